// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "zizhu",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "zizhu", targets: ["zizhu"]),
        .library(name: "ZizhuPipeline", targets: ["ZizhuPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-async-algorithms", from: "1.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        // C libraries, each behind one door: a module map and a shim, nothing else.
        .systemLibrary(name: "CLibCSV", path: "Sources/CLibCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CZlibSystem", path: "Sources/CZlibSystem", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        // CPU hints Swift cannot spell (a cache prefetch), header-only.
        .target(name: "CZizhuSupport", path: "Sources/CZizhuSupport"),

        // Batches, positions, errors, value types (Fen, CalendarDate, ResidentID, Term), channels.
        .target(name: "ZizhuCore", swiftSettings: strict),
        // Byte sources and sinks: files, stdin, gzip (zlib), zip (ZIPFoundation), atomic output.
        .target(name: "ZizhuIO", dependencies: [
            "ZizhuCore", "CZlibSystem",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: strict),
        // Encoding detection (iconv) and libcsv → record batches with physical line numbers.
        .target(name: "ZizhuIngest", dependencies: ["ZizhuCore", "ZizhuIO", "CLibCSV"], swiftSettings: strict),
        // Schema model and loader, header matching, normalizers, validator, reference data.
        .target(name: "ZizhuSchema", dependencies: ["ZizhuCore", "CZizhuSupport"],
                resources: [.copy("Reference/Data")], swiftSettings: strict),
        // CSV / JSON / HTML writers, manifest, hashing.
        .target(name: "ZizhuReport", dependencies: [
            "ZizhuCore", "ZizhuIO",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], swiftSettings: strict),
        // The school package (申报包): format, declaration, builder, Ed25519 keys, verifier.
        .target(name: "ZizhuPackage", dependencies: [
            "ZizhuCore", "ZizhuIO",
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "Mustache", package: "swift-mustache"),
        ], swiftSettings: strict),
        // The jobs' rules, one folder per job: Reconcile/, Submit/, Merge/ (verify, choose, M01–M06,
        // merged files; reads packages through ZizhuPackage and archives through ZizhuIO).
        .target(name: "ZizhuJobs", dependencies: ["ZizhuCore", "ZizhuSchema", "ZizhuIO", "ZizhuPackage"],
                swiftSettings: strict),
        // Synthetic, messy data sets for demos, tests and benchmarks.
        .target(name: "ZizhuSample", dependencies: ["ZizhuCore", "ZizhuIO"], swiftSettings: strict),
        // YAML → typed stage graph → run.
        .target(name: "ZizhuPipeline", dependencies: [
            "ZizhuCore", "ZizhuIO", "ZizhuIngest", "ZizhuSchema", "ZizhuJobs", "ZizhuReport", "ZizhuSample", "ZizhuPackage",
            .product(name: "Yams", package: "Yams"),
            .product(name: "AsyncAlgorithms", package: "swift-async-algorithms"),
        ], swiftSettings: strict),
        // The CLI: argument parsing, printing, exit codes.
        .executableTarget(name: "zizhu", dependencies: [
            "ZizhuPipeline", "ZizhuPackage",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),

        .testTarget(name: "ZizhuCoreTests", dependencies: [
            "ZizhuCore", .product(name: "PropertyBased", package: "swift-property-based"),
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuIOTests", dependencies: ["ZizhuIO"], swiftSettings: strict),
        .testTarget(name: "ZizhuIngestTests", dependencies: ["ZizhuIngest", "ZizhuIO"], swiftSettings: strict),
        .testTarget(name: "ZizhuSchemaTests", dependencies: [
            "ZizhuSchema", .product(name: "PropertyBased", package: "swift-property-based"),
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuJobsTests", dependencies: ["ZizhuJobs", "ZizhuSchema", "ZizhuPackage", "ZizhuIO"],
                    swiftSettings: strict),
        .testTarget(name: "ZizhuPackageTests", dependencies: ["ZizhuPackage", "ZizhuIO"], swiftSettings: strict),
        .testTarget(name: "ZizhuPipelineTests", dependencies: ["ZizhuPipeline"], swiftSettings: strict),
        .testTarget(name: "ZizhuCLITests", dependencies: ["ZizhuPipeline", "ZizhuPackage", "ZizhuIO", "ZizhuReport"], swiftSettings: strict),
    ]
)
