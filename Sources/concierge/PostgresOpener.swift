import ArgumentParser
import ConciergePostgres
import ConciergeStore

/// Opening a PostgreSQL store (`--store postgres://user@host:port/db`, the password in `PGPASSWORD`).
enum PostgresOpener {
    /// Connects, checks the login and brings the schema up to date, or exits 2 with a message saying
    /// what to do (the message never includes the password). Called from synchronous command code.
    static func open(_ url: String) throws -> any SupportStore {
        do {
            return try blocking { try await PostgresStore.connect(url: url) }
        } catch {
            Output.error("concierge: \(error)")
            throw ExitCode(2)
        }
    }
}
