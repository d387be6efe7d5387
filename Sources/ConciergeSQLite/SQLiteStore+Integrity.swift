import ConciergeStore
import Foundation
import GRDB

extension SQLiteStore {
    /// Files up to this size get SQLite's whole `PRAGMA quick_check` at every open; larger ones only
    /// a check of the schema table. The trade: a whole check reads every page (about 1.3 ms per MiB
    /// here with the file in the page cache, so about 40 ms at this size on top of a 60 ms
    /// `queue list`), while a damaged page that goes unnoticed can be written around and spread.
    static let wholeCheckLimit: Int64 = 32 << 20

    /// Refuses a damaged file before anything writes to it: `PRAGMA quick_check` over every page of
    /// a file up to ``wholeCheckLimit``, or over the schema table of a larger one, on a read-only
    /// connection of its own (opening the store's pool already writes: GRDB makes sure the WAL
    /// exists). A file that cannot be opened read-only here is left to the pool's own errors.
    ///
    /// - Throws: `StoreError.corrupt` naming the file and SQLite's first finding (page and tree
    ///   numbers, never row contents), and what to do.
    static func checkIntegrity(path: String) throws {
        let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? NSNumber)?.int64Value ?? 0
        guard size > 0 else { return }
        let pragma = size <= wholeCheckLimit ? "PRAGMA quick_check(1)" : "PRAGMA quick_check(sqlite_schema)"
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        let finding: String
        do {
            let reader = try DatabaseQueue(path: path, configuration: configuration)
            finding = try reader.read { db in try String.fetchOne(db, sql: pragma) ?? "no answer" }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            finding = error.message ?? "SQLite error \(error.resultCode)"
        } catch {
            // Not a database at all, or not readable here: the pool's open says which.
            return
        }
        guard finding != "ok" else { return }
        throw StoreError.corrupt(
            "\(path) is damaged (SQLite's quick_check: \(String(finding.prefix(160)))); nothing was written to it: restore it from a backup, or move it aside to start a new store")
    }
}
