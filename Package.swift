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
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.0"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.0"),
    ],
    targets: [
        // C libraries, each behind one door: a module map and a shim, nothing else.
        .systemLibrary(name: "CLibCSV", path: "Sources/CLibCSV", providers: [.apt(["libcsv-dev"])]),
        .systemLibrary(name: "CZlibSystem", path: "Sources/CZlibSystem", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CXlsxWriter", path: "Sources/CXlsxWriter", pkgConfig: "xlsxwriter",
                       providers: [.apt(["libxlsxwriter-dev"])]),
        .systemLibrary(name: "CExpat", path: "Sources/CExpat", pkgConfig: "expat", providers: [.apt(["libexpat1-dev"])]),
        .systemLibrary(name: "CFreeXL", path: "Sources/CFreeXL", pkgConfig: "freexl", providers: [.apt(["libfreexl-dev"])]),
        // CPU hints Swift cannot spell (a cache prefetch), header-only.
        .target(name: "CZizhuSupport", path: "Sources/CZizhuSupport"),
        // The deflate level of libxlsxwriter's zip entries (it has no option: see xlsx_zip_level.c).
        .target(name: "CXlsxZipLevel", path: "Sources/CXlsxZipLevel"),
        // ISA-L's inflate and CRC-32, loaded at run time when libisal.so.2 is there (zlib otherwise).
        .target(name: "CIsal", path: "Sources/CIsal"),

        // Batches, positions, errors, value types (Fen, CalendarDate, ResidentID, Term, BankAccount),
        // findings, stage channels and their state machine.
        .target(name: "ZizhuCore", swiftSettings: strict),
        // Byte sources and sinks: files, stdin, gzip (zlib), zip reading and writing (ZIPFoundation).
        .target(name: "ZizhuIO", dependencies: [
            "ZizhuCore", "CZlibSystem", "CIsal",
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: strict),
        // Encoding detection (iconv) and libcsv → record batches with physical line numbers;
        // workbooks (.xlsx streamed through expat, .xls through FreeXL) → the same batches.
        .target(name: "ZizhuIngest", dependencies: ["ZizhuCore", "ZizhuIO", "CLibCSV", "CExpat", "CFreeXL"],
                swiftSettings: strict),
        // Schema model and loader, header matching, the row validator and its caches, reference data
        // (regions, working-day calendars).
        .target(name: "ZizhuSchema", dependencies: ["ZizhuCore", "CZizhuSupport"],
                resources: [.copy("Reference/Data")], swiftSettings: strict),
        // CSV / JSON / HTML / .xlsx (libxlsxwriter) writers, run manifest, hashing, atomic output (OutputDirectory).
        .target(name: "ZizhuReport", dependencies: [
            "ZizhuCore", "CXlsxWriter", "CXlsxZipLevel",
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
        .target(name: "ZizhuSample", dependencies: ["ZizhuCore", "ZizhuIO", "ZizhuReport"], swiftSettings: strict),
        // Run history and the life of a finding: the store protocol, identity (HMAC student key),
        // lifecycle (new/open/resolved/reopened/explained/accepted), the SQLite store (GRDB) and
        // the PostgreSQL store (postgres-nio, under Postgres/).
        .target(name: "ZizhuHistory", dependencies: [
            "ZizhuCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            // SQLite's C API, for binding the rows of a run straight to their statements.
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
            .product(name: "Crypto", package: "swift-crypto"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ], swiftSettings: strict),
        // YAML → typed stage graph → run: wires inputs and outputs to the jobs.
        .target(name: "ZizhuPipeline", dependencies: [
            "ZizhuCore", "ZizhuIO", "ZizhuIngest", "ZizhuSchema", "ZizhuJobs", "ZizhuReport", "ZizhuPackage", "ZizhuHistory",
            .product(name: "Yams", package: "Yams"),
        ], swiftSettings: strict),
        // `zizhu serve`: the workbench on Hummingbird 2 — accounts and roles, sessions, uploads, the job
        // queue and the school's pages; its own small state in SQLite (GRDB) under --data or in PostgreSQL.
        .target(name: "ZizhuServe", dependencies: [
            "ZizhuCore", "ZizhuIO", "ZizhuPipeline", "ZizhuPackage", "ZizhuHistory",
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            .product(name: "HTTPTypes", package: "swift-http-types"),
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "MultipartKit", package: "multipart-kit"),
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Crypto", package: "swift-crypto"),
            // serve.yaml (--config), and the server's own state on PostgreSQL (store: postgres://…).
            .product(name: "Yams", package: "Yams"),
            .product(name: "PostgresNIO", package: "postgres-nio"),
        ], swiftSettings: strict),
        // The CLI: argument parsing, printing, exit codes.
        .executableTarget(name: "zizhu", dependencies: [
            "ZizhuCore", "ZizhuIngest", "ZizhuPipeline", "ZizhuPackage", "ZizhuSample", "ZizhuHistory", "ZizhuServe",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: strict),

        // What the tests share: a scratch folder, a CSV reader, the CLI runner. Tests only.
        .target(name: "ZizhuTestSupport", swiftSettings: strict),

        .testTarget(name: "ZizhuCoreTests", dependencies: [
            "ZizhuCore", "ZizhuTestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuIOTests", dependencies: [
            "ZizhuCore", "ZizhuIO", "ZizhuTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuIngestTests", dependencies: [
            "ZizhuCore", "ZizhuIO", "ZizhuIngest", "ZizhuTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], exclude: ["Fixtures"], swiftSettings: strict),
        .testTarget(name: "ZizhuSchemaTests", dependencies: ["ZizhuCore", "ZizhuSchema", "ZizhuTestSupport"], swiftSettings: strict),
        .testTarget(name: "ZizhuReportTests", dependencies: [
            "ZizhuCore", "ZizhuReport", "ZizhuTestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuJobsTests", dependencies: [
            "ZizhuCore", "ZizhuSchema", "ZizhuJobs", "ZizhuPackage", "ZizhuIO", "ZizhuTestSupport",
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuPackageTests", dependencies: [
            "ZizhuCore", "ZizhuIO", "ZizhuPackage", "ZizhuTestSupport",
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuSampleTests", dependencies: [
            "ZizhuCore", "ZizhuIO", "ZizhuSample", "ZizhuPipeline", "ZizhuTestSupport",
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuPipelineTests", dependencies: ["ZizhuCore", "ZizhuPipeline", "ZizhuReport", "ZizhuSchema", "ZizhuTestSupport"], swiftSettings: strict),
        // The history store's tests run against every backend a factory gives (SQLite, PostgreSQL).
        .testTarget(name: "ZizhuHistoryTests", dependencies: [
            "ZizhuCore", "ZizhuHistory", "ZizhuTestSupport",
        ], swiftSettings: strict),
        .testTarget(name: "ZizhuServeTests", dependencies: [
            "ZizhuCore", "ZizhuServe", "ZizhuTestSupport", "ZizhuIO", "ZizhuPackage", .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "HummingbirdTesting", package: "hummingbird"),
            .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: strict),
        // Runs the `zizhu` executable that `swift build --build-tests` and `swift test` build beside it.
        .testTarget(name: "ZizhuCLITests", dependencies: [
            "ZizhuIO", "ZizhuReport", "ZizhuTestSupport", "ZizhuHistory", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: strict),
    ]
)
