// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import ConciergeStore
import PostgresNIO

extension PostgresStore {
    /// The conversation with `id`, or nil.
    public func conversation(id: String) async throws -> ConversationRecord? {
        try await withConnection("read a conversation") { connection in
            try await Self.rows(
                connection, "SELECT \(unescaped: ConversationColumns.select) FROM conversation WHERE id = \(id)",
                ConversationColumns.record
            ).first
        }
    }

    /// The customer's most recently updated conversation (on a tie, the one with the greatest id).
    public func latestConversation(customerID: String) async throws -> ConversationRecord? {
        try await withConnection("read a conversation") { connection in
            try await Self.rows(
                connection,
                """
                SELECT \(unescaped: ConversationColumns.select) FROM conversation WHERE customer_id = \(customerID)
                ORDER BY updated_at DESC, id DESC LIMIT 1
                """,
                ConversationColumns.record
            ).first
        }
    }

    /// Saves the conversation, then appends the turn, in one transaction.
    public func record(turn: TurnRecord, conversation: ConversationRecord) async throws {
        try await transaction("save a turn") { connection in
            try await Self.execute(connection, try ConversationColumns.upsert(conversation))
            try await Self.execute(connection, try TurnColumns.insert(turn))
        }
    }

    /// Inserts or replaces the conversation's row (its turns stay).
    public func save(conversation: ConversationRecord) async throws {
        try await withConnection("save a conversation") { connection in
            try await Self.execute(connection, try ConversationColumns.upsert(conversation))
        }
    }

    /// The conversation's turns in the order they were recorded.
    public func turns(conversationID: String) async throws -> [TurnRecord] {
        try await withConnection("read turns") { connection in
            try await Self.rows(
                connection, "SELECT \(unescaped: TurnColumns.select) FROM turn WHERE conversation_id = \(conversationID) ORDER BY id",
                TurnColumns.record)
        }
    }

    /// The customer's profile, or nil.
    public func customer(id: String) async throws -> CustomerProfile? {
        try await withConnection("read a customer") { connection in
            try await Self.rows(
                connection, "SELECT \(unescaped: CustomerColumns.select) FROM customer WHERE id = \(id)", CustomerColumns.record
            ).first
        }
    }

    /// Inserts or replaces the customer's profile.
    public func save(customer: CustomerProfile) async throws {
        try await withConnection("save a customer") { connection in
            try await Self.execute(connection, try CustomerColumns.upsert(customer))
        }
    }

    // MARK: - Helpers

    /// Runs `query` to its end, reading and dropping any rows: an error the server raises while
    /// producing rows surfaces here (a dropped row sequence would hide it, and the `COMMIT` of the
    /// failed transaction would then quietly roll back).
    static func execute(_ connection: PostgresConnection, _ query: PostgresQuery) async throws {
        for try await _ in try await connection.query(query, logger: logger) {}
    }

    /// Runs `query` and reads every row it returns with `read`.
    static func rows<T>(
        _ connection: PostgresConnection, _ query: PostgresQuery, _ read: (PostgresRow) throws -> T
    ) async throws -> [T] {
        var values: [T] = []
        for try await row in try await connection.query(query, logger: logger) {
            values.append(try read(row))
        }
        return values
    }
}
#endif
