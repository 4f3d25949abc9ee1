// swift-tools-version: 6.1
import PackageDescription

let strictSwift: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Advocate",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "Advocate", targets: ["Advocate"]),
        .executable(name: "advocate", targets: ["AdvocateCLI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1", traits: ["FullFoundation"]),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        // Tests only: the browser test talks to chromedriver over HTTP (already built for HummingbirdTesting).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        // C: libxml2, seen only through AdvocateXML.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        // Safe XML parsing and writing over libxml2, without Foundation.
        .target(name: "AdvocateXML", dependencies: ["CLibXML2"], swiftSettings: strictSwift),
        // The pure core: expressions, calendars, workflow definitions and the transition function.
        .target(name: "AdvocateCore", swiftSettings: strictSwift),
        // The plain-language glossary: lookup, search, completion and readability (pure).
        .target(name: "AdvocateGlossary", swiftSettings: strictSwift),
        // Document assembly: the template language over DOCX, ODT and HTML, compiled once and filled fast (no Foundation).
        .target(name: "AdvocateAssembly", dependencies: ["AdvocateCore", "AdvocateXML"], swiftSettings: strictSwift),
        // Reading workflow, calendar and glossary files, with positions for every error.
        .target(
            name: "AdvocateFormat",
            dependencies: [
                "AdvocateCore", "AdvocateGlossary", "AdvocateXML", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift
        ),
        // The durable case store: journal, projections and the agenda index (SQLite via GRDB).
        .target(
            name: "AdvocateStore",
            dependencies: ["AdvocateCore", .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: strictSwift
        ),
        // The library other programs use: a workspace of definitions plus the interpreter around the core.
        .target(
            name: "Advocate",
            dependencies: [
                "AdvocateAssembly", "AdvocateCore", "AdvocateFormat", "AdvocateGlossary", "AdvocateStore", "AdvocateXML",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: strictSwift
        ),
        // The web app for advocates: pages and the JSON API over the same store (Hummingbird 2).
        .target(
            name: "AdvocateWeb",
            dependencies: [
                "Advocate", "AdvocateXML",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates"), .copy("Assets"), .copy("API/openapi.yaml")],
            swiftSettings: strictSwift
        ),
        // The `advocate` command.
        .executableTarget(
            name: "AdvocateCLI",
            dependencies: ["Advocate", "AdvocateWeb", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "AdvocateBenchmarks",
            dependencies: ["Advocate"],
            path: "Benchmarks/AdvocateBenchmarks",
            swiftSettings: strictSwift
        ),
        .executableTarget(
            name: "AdvocateWebBench",
            dependencies: ["Advocate", "AdvocateWeb", .product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/AdvocateWebBench",
            swiftSettings: strictSwift
        ),
        .target(name: "TestSupport", dependencies: ["Advocate"], path: "Tests/TestSupport", swiftSettings: strictSwift),
        .testTarget(name: "AdvocateXMLTests", dependencies: ["AdvocateXML"], swiftSettings: strictSwift),
        .testTarget(name: "AdvocateAssemblyTests", dependencies: ["Advocate", "AdvocateAssembly", "AdvocateXML", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "AdvocateCoreTests", dependencies: ["AdvocateCore"], swiftSettings: strictSwift),
        .testTarget(name: "AdvocateGlossaryTests", dependencies: ["Advocate", "AdvocateGlossary", "AdvocateFormat", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "AdvocateFormatTests", dependencies: ["AdvocateFormat", "AdvocateStore", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(name: "AdvocateTests", dependencies: ["Advocate", "TestSupport"], swiftSettings: strictSwift),
        .testTarget(
            name: "AdvocateWebTests",
            dependencies: [
                "AdvocateWeb", "AdvocateXML", "TestSupport", .product(name: "HummingbirdTesting", package: "hummingbird"), .product(name: "Yams", package: "Yams"),
            ],
            swiftSettings: strictSwift
        ),
        .testTarget(
            name: "AdvocateCLITests", dependencies: ["AdvocateCLI", "TestSupport", .product(name: "AsyncHTTPClient", package: "async-http-client")],
            swiftSettings: strictSwift),
    ]
)
