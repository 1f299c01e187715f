// swift-tools-version: 6.1
// Linux only: the HTTP server watches its sockets with epoll (Sources/CLinux), and host state
// comes from Linux's /proc. Other platforms are not supported.
import PackageDescription

let package = Package(
    name: "portinfo",
    products: [
        .executable(name: "portinfo", targets: ["portinfo"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // Linux interfaces Glibc's module leaves out (epoll, netlink's socket diagnostics).
        .systemLibrary(name: "CLinux"),
        // Files of the repository (migrations, the IANA snapshot, knowledge/, openapi.yaml, the
        // widget) turned into Swift source at build time, as each target's `embedded-files`
        // manifest says, so that the binary carries them.
        .executableTarget(name: "FileEmbedder", dependencies: ["Basics"]),
        .plugin(name: "EmbedFiles", capability: .buildTool(), dependencies: ["FileEmbedder"]),
        // Helpers every module may use: ASCII digits and hex, text made safe to print, durations,
        // throttled reports, named threads.
        .target(name: "Basics"),
        .target(
            name: "Registry",
            dependencies: ["CSQLite", "Basics"],
            exclude: ["embedded-files"],
            plugins: ["EmbedFiles"]
        ),
        // Sockets and the epoll set, below the HTTP layer: knows nothing of HTTP.
        .target(name: "Sockets", dependencies: ["Basics", "CLinux"]),
        .target(
            name: "HTTPServer",
            dependencies: ["Basics", "CLinux", "Sockets", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "HostState", dependencies: ["Basics", "CLinux", "Sockets"]),
        // HTML pages: renders the registry's answers for browsers; knows no sockets.
        .target(name: "PortInfoPages", dependencies: ["Basics", "Registry"], exclude: ["embedded-files"], plugins: ["EmbedFiles"]),
        // JSON bodies and text tables, shared by the CLI and the HTTP API.
        .target(name: "PortInfoReports", dependencies: ["Basics", "HostState", "Registry"]),
        .target(
            name: "PortInfoAPI",
            dependencies: [
                "Basics",
                "HTTPServer",
                "PortInfoReports",
                "Registry",
                "HostState",
                "PortInfoPages",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            exclude: ["embedded-files"],
            plugins: ["EmbedFiles"]
        ),
        .executableTarget(
            name: "portinfo",
            dependencies: [
                "Basics",
                "PortInfoAPI",
                "PortInfoReports",
                "HTTPServer",
                "HostState",
                "Registry",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "RegistryBench",
            dependencies: ["Registry"],
            path: "Benchmarks/RegistryBench"
        ),
        .executableTarget(
            name: "ListenerBench",
            dependencies: ["HostState"],
            path: "Benchmarks/ListenerBench"
        ),
        .executableTarget(
            name: "LoadGenerator",
            dependencies: ["CLinux", "Sockets"],
            path: "Benchmarks/LoadGenerator"
        ),
        .target(name: "TestSupport", dependencies: ["Registry", "HostState"], path: "Tests/TestSupport"),
        .testTarget(name: "BasicsTests", dependencies: ["Basics", "TestSupport"]),
        .testTarget(name: "FileEmbedderTests", dependencies: ["FileEmbedder", "TestSupport"]),
        .testTarget(name: "SocketsTests", dependencies: ["CLinux", "Sockets", "TestSupport"]),
        .testTarget(name: "RegistryTests", dependencies: ["Registry", "TestSupport"]),
        .testTarget(name: "HTTPServerTests", dependencies: ["HTTPServer", "Sockets", "TestSupport"]),
        .testTarget(name: "HostStateTests", dependencies: ["HostState", "TestSupport"]),
        .testTarget(name: "PortInfoAPITests", dependencies: [
            "PortInfoAPI", "HTTPServer", "HostState", "Registry", "TestSupport",
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .testTarget(name: "PortInfoReportsTests", dependencies: ["PortInfoReports", "Registry", "TestSupport"]),
        .testTarget(name: "PortInfoPagesTests", dependencies: ["PortInfoPages", "Registry", "TestSupport"]),
        .testTarget(name: "portinfoTests", dependencies: ["portinfo", "Registry", "HostState", "TestSupport"]),
    ]
)
