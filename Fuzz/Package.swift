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
        // The harnesses' shared plumbing: a scratch folder, the input's selector bytes, the checks.
        // Each harness is an executable whose `main` is libFuzzer's: built with --sanitize=fuzzer,
        // SwiftPM compiles it as a library (-parse-as-library) and the harness exports
        // LLVMFuzzerTestOneInput (and LLVMFuzzerInitialize) with @_cdecl.
        .target(name: "FuzzSupport", dependencies: [
            .product(name: "ZizhuPipeline", package: "zizhu"),
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
        .executableTarget(name: "fuzz-workbook", dependencies: [
            "FuzzSupport", .product(name: "ZizhuPipeline", package: "zizhu"),
        ], swiftSettings: strict),
    ]
)
