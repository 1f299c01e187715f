// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "portinfo",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "portinfo", targets: ["portinfo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]
        ),
        // Turn migrations/*.sql and openapi.yaml into Swift source at build time, so the binary carries them.
        .executableTarget(name: "FileEmbedder"),
        .plugin(name: "EmbedMigrations", capability: .buildTool(), dependencies: ["FileEmbedder"]),
        .plugin(name: "EmbedOpenAPISpec", capability: .buildTool(), dependencies: ["FileEmbedder"]),
        .target(
            name: "Registry",
            dependencies: ["CSQLite"],
            plugins: ["EmbedMigrations"]
        ),
        .target(
            name: "HTTPServer",
            dependencies: [.product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "HostState"),
        .target(
            name: "PortInfoAPI",
            dependencies: ["HTTPServer", "Registry", "HostState", .product(name: "Logging", package: "swift-log")],
            plugins: ["EmbedOpenAPISpec"]
        ),
        .executableTarget(
            name: "portinfo",
            dependencies: [
                "PortInfoAPI",
                "HTTPServer",
                "HostState",
                "Registry",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "RegistryBench",
            dependencies: ["Registry"],
            path: "Benchmarks/RegistryBench"
        ),
        .target(name: "TestSupport", dependencies: ["Registry", "HostState"], path: "Tests/TestSupport"),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "TestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "TestSupport"]),
        .testTarget(name: "HostStateTests", dependencies: ["HostState", "TestSupport"]),
        .testTarget(name: "PortInfoAPITests", dependencies: ["PortInfoAPI", "HTTPServer", "HostState", "Registry", "TestSupport"]),
        .testTarget(name: "portinfoTests", dependencies: ["portinfo", "Registry", "HostState", "TestSupport"]),
    ]
)
