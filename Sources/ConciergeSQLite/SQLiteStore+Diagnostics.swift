import GRDB

extension SQLiteStore {
    /// The value of `PRAGMA name` (`journal_mode`, `synchronous`, `foreign_keys`...), for tests and
    /// diagnostics.
    func pragma(_ name: String) async throws -> String? {
        try await read("read a setting") { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    /// The first column of the first row of a query, as text, for tests and diagnostics.
    func scalar(_ sql: String) async throws -> String? {
        try await read("run a query") { db in try String.fetchOne(db, sql: sql) }
    }

    /// Runs raw SQL outside the store's rules: for tests that must build an odd database.
    func execute(unchecked sql: String) async throws {
        try await write("run a statement") { db in try db.execute(sql: sql) }
    }

    /// Copies the write-ahead log into the database file and empties it, so the file alone holds
    /// everything: for tests that read or damage the file's bytes.
    func checkpoint() async throws {
        try await writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
    }
}
