import ArgumentParser
import ConciergeStore

/// Opening a PostgreSQL store (`--store postgres://...`).
enum PostgresOpener {
    static func open(_ url: String) throws -> any SupportStore {
        Output.error("concierge: this build has no PostgreSQL store yet; use a SQLite file with --store PATH")
        throw ExitCode(2)
    }
}
