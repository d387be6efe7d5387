// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import Foundation
import PostgresNIO

/// The ledger of failed identity checks that limits guesses across conversations and processes.
extension PostgresStore {
    public func recordFailedIdentityCheck(key: String, conversationID: String, at: Date) async throws {
        try await withConnection("record a failed identity check") { connection in
            try await Self.execute(
                connection,
                "INSERT INTO failed_identity_check (key, conversation_id, at) VALUES (\(key), \(conversationID), to_timestamp(\(at.seconds)))")
        }
    }

    public func lockedIdentityKeys(since: Date, limit: Int) async throws -> Set<String> {
        try await withConnection("read failed identity checks") { connection in
            Set(
                try await Self.rows(
                    connection,
                    """
                    SELECT key FROM failed_identity_check WHERE at >= to_timestamp(\(since.seconds))
                    GROUP BY key HAVING count(*) >= \(limit)
                    """
                ) { try RowReader($0).string("key") })
        }
    }
}
#endif
