// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
import PostgresNIO

extension PostgresStore {
    /// The first column of the first row of `sql`, as text, for tests and diagnostics.
    func scalar(_ sql: String) async throws -> String? {
        try await withConnection("run a query") { connection in
            try await Self.rows(connection, PostgresQuery(unsafeSQL: sql)) { row -> String? in
                let cell = row.makeRandomAccess()[0]
                switch cell.dataType {
                case .int2, .int4, .int8: return try cell.decode(Int?.self).map { String($0) }
                case .float4, .float8: return try cell.decode(Double?.self).map { String($0) }
                case .bool: return try cell.decode(Bool?.self).map { String($0) }
                default: return try cell.decode(String?.self)
                }
            }.first ?? nil
        }
    }

    /// Runs raw SQL outside the store's rules: for tests that must build an odd database.
    func execute(unchecked sql: String) async throws {
        try await withConnection("run a statement") { connection in
            try await Self.execute(connection, PostgresQuery(unsafeSQL: sql))
        }
    }
}
#endif
