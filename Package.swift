// swift-tools-version: 6.1
import PackageDescription

/// One set of compiler settings for every target: Swift 6 language mode is the package default;
/// these upcoming features keep our own code explicit about existentials and imports.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Concierge",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "concierge", targets: ["concierge"]),
        .library(name: "ConciergeEngine", targets: ["ConciergeEngine"]),
    ],
    // Opt-in parts of the build. `swift build` and `swift run concierge` leave them out; `swift build
    // --traits PostgreSQL` (and `swift test --traits PostgreSQL`, README's test command) builds them.
    traits: [
        .trait(
            name: "PostgreSQL",
            description: "The shared PostgreSQL store (`--store postgres://…`) through postgres-nio, whose network and TLS stack is most of a cold build's time."
        )
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/onevcat/Rainbow", from: "4.2.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        // Already in the graph through postgres-nio (its SCRAM login): SHA-256 for agents' secrets.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.9.0"..<"6.0.0"),
    ],
    targets: [
        // The understanding engine and dialogue policy: pure Swift, no terminal, database or process I/O.
        // Optimised even in debug builds: it trains a classifier at start-up, and the tests and the
        // end-to-end runs of the debug binary would otherwise spend most of their time there.
        .target(name: "ConciergeEngine", swiftSettings: swiftSettings + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
        // Reads a knowledge folder (YAML, Markdown, CSV) into the engine's model and validates it.
        .target(
            name: "ConciergeKnowledge",
            dependencies: ["ConciergeEngine", .product(name: "Yams", package: "Yams")],
            // The word-vector table (Scripts/wordvectors/make_table.py makes it).
            resources: [.copy("Resources/wordvectors.bin")],
            swiftSettings: swiftSettings
        ),
        // The store interface (conversations, customers, handoff queue) and an in-memory implementation.
        .target(name: "ConciergeStore", dependencies: ["ConciergeEngine"], swiftSettings: swiftSettings),
        // A customer's conversation and an agent's desk: the engine and a store working together.
        .target(
            name: "ConciergeService",
            dependencies: ["ConciergeEngine", "ConciergeStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        // The embedded store: one SQLite file through GRDB, WAL mode.
        .target(
            name: "ConciergeSQLite",
            dependencies: ["ConciergeEngine", "ConciergeStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // The shared store for many processes and machines: PostgreSQL through postgres-nio (its own
        // target, so everyday edits elsewhere never rebuild against it). Empty without the PostgreSQL trait.
        .target(
            name: "ConciergePostgres",
            dependencies: [
                "ConciergeEngine", "ConciergeStore",
                .product(name: "PostgresNIO", package: "postgres-nio", condition: .when(traits: ["PostgreSQL"])),
            ],
            swiftSettings: swiftSettings
        ),
        // `concierge report`: figures computed from a store's rows (pure), and the HTML page.
        .target(name: "ConciergeReport", dependencies: ["ConciergeEngine", "ConciergeStore"], swiftSettings: swiftSettings),
        // Transcripts: the plain-text conversation format, recording, replay and its report.
        .target(
            name: "ConciergeTranscripts",
            dependencies: ["ConciergeEngine", "ConciergeStore", "ConciergeService", "ConciergeKnowledge"],
            swiftSettings: swiftSettings
        ),
        // GNU readline, wrapped for Swift (the binary links readline: see README and LICENSE).
        .systemLibrary(name: "CReadline", path: "Sources/CReadline"),
        // The command-line tool: parses arguments, prints, and calls the libraries.
        .executableTarget(
            name: "concierge",
            dependencies: [
                "ConciergeEngine", "ConciergeKnowledge", "ConciergeStore", "ConciergeSQLite", "ConciergeService",
                .target(name: "ConciergePostgres", condition: .when(traits: ["PostgreSQL"])),
                "ConciergeTranscripts", "ConciergeReport", "CReadline",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Rainbow", package: "Rainbow"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "ConciergeEngineTests", dependencies: ["ConciergeEngine"], swiftSettings: swiftSettings),
        // One behavioural suite run against every store implementation.
        .testTarget(
            name: "ConciergeStoreTests",
            dependencies: [
                "ConciergeEngine", "ConciergeStore", "ConciergeSQLite",
                .target(name: "ConciergePostgres", condition: .when(traits: ["PostgreSQL"])),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConciergeTranscriptTests",
            dependencies: ["ConciergeTranscripts"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConciergeServiceTests",
            dependencies: ["ConciergeService", "ConciergeSQLite", "ConciergeKnowledge"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConciergeReportTests",
            dependencies: ["ConciergeReport", "ConciergeService", "ConciergeSQLite", "ConciergeKnowledge"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ConciergeKnowledgeTests",
            dependencies: ["ConciergeKnowledge"],
            swiftSettings: swiftSettings
        ),
        // Runs the built `concierge` binary with piped input; depends on it so `swift test` builds it.
        .testTarget(
            name: "ConciergeEndToEndTests",
            dependencies: ["concierge", "ConciergeEngine", "ConciergeSQLite", "ConciergeStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
    ]
)
