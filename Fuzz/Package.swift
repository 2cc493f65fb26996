// swift-tools-version: 6.1
// The libFuzzer harnesses (see README.md). A package of its own, so the main build and `make test`
// never see the sanitizer flags: `make fuzz` builds it with `-sanitize=fuzzer,address`.
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "zizhu-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(name: "zizhu", path: ".."),
    ],
    targets: [
        // Declares libFuzzer's LLVMFuzzerRunDriver: SwiftPM renames an executable's `main`, so each
        // harness's own main hands its arguments and its callback to libFuzzer through this door.
        .target(name: "CFuzzDriver"),
        // The harnesses' shared plumbing: the driver call, a scratch folder, the input's selector bytes.
        .target(name: "FuzzSupport", dependencies: [
            "CFuzzDriver", .product(name: "ZizhuPipeline", package: "zizhu"),
        ], swiftSettings: strict),
        .executableTarget(name: "fuzz-record-reader", dependencies: [
            "FuzzSupport", .product(name: "ZizhuPipeline", package: "zizhu"),
        ], swiftSettings: strict),
        .executableTarget(name: "fuzz-package-verifier", dependencies: [
            "FuzzSupport", .product(name: "ZizhuPipeline", package: "zizhu"),
        ], swiftSettings: strict),
        .executableTarget(name: "fuzz-pipeline-yaml", dependencies: [
            "FuzzSupport", .product(name: "ZizhuPipeline", package: "zizhu"),
        ], swiftSettings: strict),
    ]
)
