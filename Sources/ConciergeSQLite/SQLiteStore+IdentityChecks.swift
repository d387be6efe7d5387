public import Foundation
import GRDB

/// The ledger of failed identity checks that limits guesses across conversations and processes.
extension SQLiteStore {
    public func recordFailedIdentityCheck(key: String, conversationID: String, at: Date) async throws {
        try await write("record a failed identity check") { db in
            try db.execute(
                sql: "INSERT INTO failedIdentityCheck (key, conversationId, at) VALUES (?, ?, ?)",
                arguments: [key, conversationID, at.timeIntervalSince1970])
        }
    }

    public func lockedIdentityKeys(since: Date, limit: Int) async throws -> Set<String> {
        try await read("read failed identity checks") { db in
            Set(
                try String.fetchAll(
                    db, sql: "SELECT key FROM failedIdentityCheck WHERE at >= ? GROUP BY key HAVING count(*) >= ?",
                    arguments: [since.timeIntervalSince1970, limit]))
        }
    }
}
