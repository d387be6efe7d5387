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
/// A SQLite store is **private** when the database file and the folder it is in both belong to the
/// user running Concierge and the folder lets nobody else in (no group or other permission bits,
/// as the 0700 `.concierge` folder Concierge makes). Nobody else can open such a file, and its
/// owner could change any row of it anyway, so there an agent's secret would stop no one: an unknown
/// name is enrolled, and its secret kept in the folder. Every other store is **shared** —
/// PostgreSQL, or a SQLite file in a folder others may enter or that belongs to someone else — and
/// there every agent needs the secret an operator gave them.
enum StoreTrust {
    /// True when the file at `sqlitePath` and its folder belong to this user and the folder is closed to others.
    static func ownedAlone(sqlitePath: String) -> Bool {
        let folder = URL(fileURLWithPath: sqlitePath).deletingLastPathComponent().path
        var file = stat(), directory = stat()
        guard stat(sqlitePath, &file) == 0, stat(folder, &directory) == 0 else { return false }
        let me = geteuid()
        return file.st_uid == me && directory.st_uid == me && directory.st_mode & 0o077 == 0 && file.st_mode & S_IFMT == S_IFREG
    }
}
