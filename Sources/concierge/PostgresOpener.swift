import ArgumentParser
#if PostgreSQL
import ConciergePostgres
#endif
import ConciergeStore
import Foundation

/// Opening a PostgreSQL store (`--store postgres://user@host:port/db`, the password in `PGPASSWORD`).
enum PostgresOpener {
    /// Connects, checks the login and brings the schema up to date, or exits 2 with a message saying
    /// what to do (the message never includes the password). Called from synchronous command code.
    ///
    /// A server that is down or restarting (`StoreError.unavailable`) is waited for, with backoff, up
    /// to `patience` seconds: a bot process started during a restart comes up with the server.
    static func open(_ url: String, patience: Double = 20) throws -> any SupportStore {
        #if PostgreSQL
        let deadline = ContinuousClock.now + .seconds(patience)
        var delay = 0.25
        var told = false
        while true {
            do {
                return try blocking { try await PostgresStore.connect(url: url) }
            } catch StoreError.unavailable(let why) where ContinuousClock.now + .seconds(delay) < deadline {
                if !told {
                    Output.error("concierge: waiting for the PostgreSQL server (\(why))")
                    told = true
                }
                Thread.sleep(forTimeInterval: delay)
                delay = min(delay * 2, 2)
            } catch {
                Output.error("concierge: \(error)")
                throw ExitCode(2)
            }
        }
        #else
        Output.error(
            "concierge: this concierge was built without PostgreSQL; build it with `swift build -c release --traits PostgreSQL` "
                + "(or run `swift run --traits PostgreSQL concierge …`), or use an SQLite file: --store PATH")
        throw ExitCode(2)
        #endif
    }
}
