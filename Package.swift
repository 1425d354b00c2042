// swift-tools-version:6.1
import PackageDescription

// Linux only: the sandbox (bubblewrap, unshare, /proc, parent-death signals), the memory watch and
// the spawn code are Linux's; a macOS build would need its own of each.
#if !os(Linux)
#error("rlmd builds and runs on Linux only (see docs/architecture.md)")
#endif

let package = Package(
    name: "rlmd",
    products: [
        .executable(name: "rlmd", targets: ["rlmd"]),
        .executable(name: "rlmd-lm", targets: ["rlmd-lm"]),
        .library(name: "ContextStore", targets: ["ContextStore"]),
        .library(name: "LMClient", targets: ["LMClient"]),
        .library(name: "REPL", targets: ["REPL"]),
        .library(name: "RLMEngine", targets: ["RLMEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
    ],
    targets: [
        // General helpers with no dependencies (locks, blocking queues, EINTR-safe I/O, hand-written JSON).
        .target(name: "RLMSupport"),
        .target(
            name: "ContextStore",
            dependencies: [
                "RLMSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libcurl's C API, for LMClient's HTTP (see Sources/LMClient/CurlSession.swift).
        .systemLibrary(name: "CCurl", path: "Sources/CCurl"),
        .target(
            name: "LMClient",
            dependencies: [
                "CCurl",
                "RLMSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "TOMLKit", package: "TOMLKit"),
            ],
            resources: [.process("Resources")]
        ),
        .target(
            name: "REPL",
            dependencies: ["ContextStore", "RLMSupport"],
            resources: [.copy("Resources/repl_runtime.py")]
        ),
        .target(
            name: "RLMEngine",
            dependencies: [
                "ContextStore",
                "LMClient",
                "REPL",
                "RLMSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.process("Resources")]
        ),
        // The benchmark suites of `rlmd bench`: tasks, scoring, the runner and its results.
        .target(
            name: "Bench",
            dependencies: ["RLMEngine", "ContextStore", "LMClient", "REPL", "RLMSupport",
                           .product(name: "Logging", package: "swift-log")],
            resources: [.process("Resources")]
        ),
        .target(name: "RLMProtocol"),
        .target(name: "JSONRPC", dependencies: ["RLMProtocol", "RLMSupport"]),
        .target(
            name: "Daemon",
            dependencies: ["RLMProtocol", "JSONRPC", "RLMEngine", "ContextStore", "LMClient", "REPL",
                           "RLMSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "CLISupport",
            dependencies: [
                "ContextStore",
                "REPL",
                "RLMSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The store commands; it never links LMClient (see CLISupport/ModelCommands.swift).
        .executableTarget(
            name: "rlmd",
            dependencies: [
                "CLISupport",
                "ContextStore",
                "REPL",
                "RLMProtocol",
                "RLMSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "rlmd-lm",
            dependencies: [
                "CLISupport",
                "ContextStore",
                "LMClient",
                "REPL",
                "RLMEngine",
                "RLMProtocol",
                "Daemon",
                "Bench",
                "JSONRPC",
                "RLMSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ContextStoreTests",
            dependencies: ["ContextStore", "TestSupport", .product(name: "GRDB", package: "GRDB.swift"),
                           .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["ContextStore", "RLMSupport"],
            path: "Tests/TestSupport",
            exclude: ["scripted_lm_server.py", "scripted_lm.py", "png_stats.py"]
        ),
        .testTarget(name: "RLMSupportTests", dependencies: ["RLMSupport"]),
        .testTarget(
            name: "LMClientTests",
            dependencies: ["LMClient", "TestSupport"]
        ),
        .testTarget(
            name: "REPLTests",
            dependencies: ["REPL", "ContextStore", "TestSupport"]
        ),
        .testTarget(
            name: "RLMEngineTests",
            dependencies: ["RLMEngine", "REPL", "LMClient", "ContextStore", "TestSupport"]
        ),
        .testTarget(
            name: "BenchTests",
            dependencies: ["Bench", "RLMEngine", "ContextStore", "TestSupport"]
        ),
        .testTarget(
            name: "DaemonTests",
            dependencies: ["Daemon", "JSONRPC", "RLMProtocol", "ContextStore", "TestSupport"]
        ),
        .testTarget(
            name: "CLITests",
            dependencies: ["ContextStore", "RLMProtocol", "RLMSupport", "rlmd", "rlmd-lm", "TestSupport"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
