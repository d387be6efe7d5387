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

    /// Opens the store, or exits 2 with a message saying what to do.
    func open() throws -> any SupportStore {
        let location = store ?? ProcessInfo.processInfo.environment["CONCIERGE_STORE"] ?? Self.defaultPath
        if location.hasPrefix("postgres://") || location.hasPrefix("postgresql://") {
            return try PostgresOpener.open(location)
        }
        do {
            return try SQLiteStore(path: location)
        } catch {
            Output.error("concierge: cannot open the store at \(location): \(error); pass a writable file path with --store PATH")
            throw ExitCode(2)
        }
    }
}
