// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "Footprint",
    // Footprint is built and tested on Linux (glibc): its meters read Linux's powercap, perf_event
    // and /proc, and `wrap` uses glibc's signal and rusage layouts. The macOS floor only states
    // what the Synchronization module (Mutex, Atomic) needs; macOS is not tested.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "footprint", targets: ["FootprintCommand"]),
        .library(name: "Footprint", targets: ["Footprint"]),
        .library(name: "Learning", targets: ["Learning"]),
        .library(name: "RunModel", targets: ["RunModel"]),
        .library(name: "PostgresRunStore", targets: ["PostgresRunStore"]),
        .library(name: "RunStores", targets: ["RunStores"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already in postgres-nio's graph; named so PostgresRunStore can use their types
        // (the event loop group, TLS for sslmode, a silent logger), and FootprintMetrics its server.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C kernels compiled per function for AVX-512 / AVX2 and chosen at run time, so the
        // package needs no unsafeFlags and still runs on any x86-64 or ARM CPU.
        // The shared vocabulary: provenance, metric names, clocks, unit constants, name
        // suggestion. A leaf every module may import; it imports nothing of the project.
        .target(name: "Vocabulary"),
        .target(name: "CKernels"),
        // perf_event_open has no libc wrapper; this shim is the only way to reach the syscall.
        .target(name: "CPerfEvent"),
        // glibc's "close every descriptor from N" spawn action is declared only under _GNU_SOURCE;
        // `wrap` needs it so its child inherits no socket, database or FIFO of Footprint's.
        .target(name: "CProcessSpawn"),
        // SO_PEERCRED's struct ucred, accept4 and pipe2 are declared only under _GNU_SOURCE:
        // `footprint agent` needs them to know which user each client is, without races.
        .target(name: "CPeerCredentials"),
        .target(name: "Learning", dependencies: ["CKernels", "Vocabulary"], exclude: ["Datasets/DATA-LICENSES.md"]),
        .target(name: "Energy", dependencies: ["CPerfEvent", "Vocabulary"]),
        .target(name: "Carbon", dependencies: ["Vocabulary"]),
        // `footprint agent`'s socket server: the node's counters, read as root, served to local
        // users over a Unix socket. Its own target, so only the command links the server.
        .target(name: "EnergyAgent", dependencies: ["CPeerCredentials", "Energy", "Vocabulary"]),
        // Medians, intervals and ratios of repeated runs; a leaf, so any module can say what
        // its numbers support.
        .target(name: "Statistics"),
        .target(name: "RunStore", dependencies: ["Vocabulary", .product(name: "GRDB", package: "GRDB.swift")]),
        // The shared PostgreSQL engine behind the same RunStorage protocol; its own target so
        // only programs that name a postgres:// store link PostgresNIO.
        .target(
            name: "PostgresRunStore",
            dependencies: [
                "RunStore", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "Logging", package: "swift-log"),
            ]),
        // The one place a store's engine is chosen: a location's SQLite file opens with RunStore,
        // its PostgreSQL server with PostgresRunStore (wrapped in the local fallback for a
        // recording). Above both engines, so neither reaches through the other.
        .target(name: "RunStores", dependencies: ["RunStore", "PostgresRunStore"]),
        // A stored run as reports and the command line read it: the JSON document, units, text
        // tables, the prediction, the CodeCarbon export. Below the tracker, so reports never
        // link the trainer, the kernels or the meters.
        .target(name: "RunModel", dependencies: ["RunStore", "Carbon", "Statistics", "Vocabulary"]),
        // The tracker: a run's session (recording, metering, prediction, liveness), `wrap` and
        // the job context. It only tracks: the demo and the projection are targets of their own.
        .target(
            name: "Footprint",
            dependencies: ["CProcessSpawn", "Learning", "Energy", "Carbon", "RunStore", "RunModel", "Vocabulary"]),
        // `footprint estimate`: a training's cost projected from measured throughput, before it runs.
        .target(name: "Estimation", dependencies: ["Learning", "Energy", "Carbon", "RunStore", "RunModel", "Statistics", "Vocabulary"]),
        // `footprint demo`: the lecture's experiments, calibrated to this CPU and tracked.
        .target(
            name: "FootprintDemo",
            dependencies: ["Footprint", "Learning", "Energy", "RunStore", "RunModel", "Vocabulary"]),
        // Live metrics of a running run: a Prometheus registry fed by live snapshots, the
        // /metrics endpoint and the Pushgateway push. Its own target, so only the command links NIO.
        .target(
            name: "FootprintMetrics",
            dependencies: [
                "Vocabulary",
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]),
        .target(name: "Reporting", dependencies: ["RunModel", "RunStore", "Carbon", "Statistics", "Vocabulary"]),
        // `footprint bench` only: timings, references and the numpy subprocess stay out of the library.
        .target(
            name: "FootprintBenchmarks",
            dependencies: [
                "Footprint", "Estimation", "FootprintMetrics", "Learning", "Energy", "Carbon", "RunStore", "RunModel", "Reporting",
                "Statistics", "Vocabulary",
            ]),
        .executableTarget(
            name: "FootprintCommand",
            dependencies: [
                "Footprint", "FootprintDemo", "Estimation", "FootprintMetrics", "FootprintBenchmarks", "Learning", "Energy", "Carbon",
                "EnergyAgent", "RunStore", "PostgresRunStore", "RunStores",
                "RunModel", "Reporting", "Statistics", "Vocabulary", "MLflowLogging",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .target(name: "FootprintTestKit", dependencies: ["Energy"], path: "Tests/FootprintTestKit"),
        .testTarget(name: "LearningTests", dependencies: ["Learning", "CKernels", "Vocabulary"]),
        .testTarget(name: "EnergyTests", dependencies: ["Energy", "FootprintTestKit", "Vocabulary"]),
        .testTarget(name: "EnergyAgentTests", dependencies: ["EnergyAgent", "Energy", "FootprintTestKit"]),
        .testTarget(name: "CarbonTests", dependencies: ["Carbon"]),
        .testTarget(name: "StatisticsTests", dependencies: ["Statistics"]),
        .testTarget(name: "VocabularyTests", dependencies: ["Vocabulary"]),
        .testTarget(name: "RunStoreTests", dependencies: ["RunStore", "Vocabulary"]),
        .testTarget(name: "PostgresRunStoreTests", dependencies: ["PostgresRunStore", "RunStore"]),
        .testTarget(name: "RunStoresTests", dependencies: ["RunStores", "RunStore", "PostgresRunStore"]),
        .testTarget(name: "RunModelTests", dependencies: ["RunModel", "RunStore", "Vocabulary"]),
        .testTarget(
            name: "ReportingTests", dependencies: ["Reporting", "RunModel", "Learning", "RunStore", "Statistics", "Vocabulary"]),
        .testTarget(
            name: "FootprintTests",
            dependencies: ["Footprint", "Learning", "Carbon", "RunStore", "RunModel", "Statistics", "FootprintTestKit", "Vocabulary"]),
        .testTarget(name: "FootprintMetricsTests", dependencies: ["FootprintMetrics", "Vocabulary", "FootprintTestKit"]),
        .testTarget(name: "EstimationTests", dependencies: ["Estimation", "Learning", "Carbon", "RunStore", "Vocabulary"]),
        .testTarget(
            name: "FootprintDemoTests",
            dependencies: ["FootprintDemo", "Footprint", "Reporting", "Learning", "Energy", "RunStore", "RunModel", "Vocabulary"]),
        .testTarget(name: "FootprintBenchmarksTests", dependencies: ["FootprintBenchmarks"]),
        .testTarget(
            name: "CommandTests",
            dependencies: [
                "FootprintCommand", "Learning", "FootprintMetrics", "RunModel", "RunStore", "PostgresRunStore", "FootprintTestKit",
            ],
            // Python programs the framework tests wrap; not Swift, not resources.
            exclude: ["Fixtures"]),
        // A finished run logged into the wrapped program's MLflow run through the tracking
        // server's REST API (URLSession, so libcurl at run time); no NIO.
        .target(name: "MLflowLogging"),
        .testTarget(name: "MLflowLoggingTests", dependencies: ["MLflowLogging"]),
    ],
    swiftLanguageModes: [.v6]
)
