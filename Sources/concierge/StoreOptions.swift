import ArgumentParser
import ConciergeSQLite
import ConciergeStore
import Foundation

/// Which store to use; shared by every command that reads or writes conversations and the queue.
struct StoreOptions: ParsableArguments {
    /// Where chat and agent console started in the same folder find each other by default.
    static let defaultPath = ".concierge/concierge.sqlite"

    @Option(name: .long, help: ArgumentHelp("The store: a SQLite file path or a postgres:// URL (default: \(StoreOptions.defaultPath)).", valueName: "path|url"))
    var store: String?

    /// The store asked for: `--store`, else `CONCIERGE_STORE`, else the default path.
    var location: String { store ?? ProcessInfo.processInfo.environment["CONCIERGE_STORE"] ?? Self.defaultPath }

    /// True for a `postgres://` URL.
    var isPostgres: Bool { location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") }

    /// Opens the store, or exits 2 with a message saying what to do.
    func open() throws -> any SupportStore {
        let location = location
        if isPostgres {
            return try PostgresOpener.open(location)
        }
        do {
            return try SQLiteStore(path: location)
        } catch {
            Output.error("concierge: cannot open the store at \(location): \(error); pass a writable file path with --store PATH")
            throw ExitCode(2)
        }
    }

    /// The keyring of a store the user running Concierge alone can open (see ``StoreTrust``), where
    /// agents are enrolled by name; nil for a shared store, where every agent needs their secret.
    /// Call after ``open()``, which makes the file.
    func keyring() -> AgentKeyFile? {
        guard !isPostgres, StoreTrust.ownedAlone(sqlitePath: location) else { return nil }
        return AgentKeyFile(storePath: location)
    }
}

/// Whose a store is: the rule for trusting the local user with every agent's name.
///
/// A SQLite store is **private** when the database file belongs to the user running Concierge and
/// nobody else may read or write it (no group or other permission bits: Concierge makes its files
/// 0600, in a 0700 `.concierge` folder by default). Nobody else can open such a file, and its owner
/// could change any row of it anyway, so there an agent's secret would stop no one: an unknown name
/// is enrolled, and its secret kept beside the file (``AgentKeyFile``, which refuses a file of that
/// name someone else made). Every other store is **shared** — PostgreSQL, or a SQLite file that is
/// someone else's or open to others — and there every agent needs the secret an operator gave them.
enum StoreTrust {
    /// True when the file at `sqlitePath` is a regular file of this user's, closed to everyone else.
    static func ownedAlone(sqlitePath: String) -> Bool {
        var file = stat()
        guard stat(sqlitePath, &file) == 0 else { return false }
        return file.st_mode & S_IFMT == S_IFREG && file.st_uid == geteuid() && file.st_mode & 0o077 == 0
    }
}
