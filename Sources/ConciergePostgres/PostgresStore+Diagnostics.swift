import PostgresNIO

extension PostgresStore {
    /// The first column of the first row of `sql`, as text, for tests and diagnostics.
    func scalar(_ sql: String) async throws -> String? {
        try await withConnection("run a query") { connection in
            try await Self.rows(connection, PostgresQuery(unsafeSQL: sql)) { try $0.makeRandomAccess()[0].decode(String?.self) }.first
                ?? nil
        }
    }

    /// Runs raw SQL outside the store's rules: for tests that must build an odd database.
    func execute(unchecked sql: String) async throws {
        try await withConnection("run a statement") { connection in
            try await Self.execute(connection, PostgresQuery(unsafeSQL: sql))
        }
    }
}
