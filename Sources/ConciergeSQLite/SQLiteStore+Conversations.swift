public import ConciergeStore
import GRDB

extension SQLiteStore {
    /// The conversation with `id`, or nil.
    public func conversation(id: String) async throws -> ConversationRecord? {
        try await read("read a conversation") { db in try ConversationRow.fetchOne(db, key: id)?.record }
    }

    /// The customer's most recently updated conversation (on a tie, the one with the greatest id).
    public func latestConversation(customerID: String) async throws -> ConversationRecord? {
        try await read("read a conversation") { db in
            try ConversationRow.all().latest(customerID: customerID).fetchOne(db)?.record
        }
    }

    /// Saves the conversation, then appends the turn, in one transaction. A turn whose number the
    /// conversation already has (a retried write) is not added twice.
    public func record(turn: TurnRecord, conversation: ConversationRecord) async throws {
        try await write("save a turn") { db in
            try ConversationRow(conversation).upsert(db)
            let recorded = try TurnRow.filter(TurnRow.Columns.conversationId == turn.conversationID && TurnRow.Columns.number == turn.number)
                .isEmpty(db) == false
            if !recorded { try TurnRow(turn).insert(db) }
        }
    }

    /// Inserts or replaces the conversation's row (its turns stay).
    public func save(conversation: ConversationRecord) async throws {
        try await write("save a conversation") { db in try ConversationRow(conversation).upsert(db) }
    }

    /// The conversation's turns in the order they were recorded.
    public func turns(conversationID: String) async throws -> [TurnRecord] {
        try await read("read turns") { db in
            try TurnRow.all().inConversation(conversationID).fetchAll(db).map(\.record)
        }
    }

    /// The customer's profile, or nil.
    public func customer(id: String) async throws -> CustomerProfile? {
        try await read("read a customer") { db in try CustomerRow.fetchOne(db, key: id)?.record }
    }

    /// Inserts or replaces the customer's profile.
    public func save(customer: CustomerProfile) async throws {
        try await write("save a customer") { db in try CustomerRow(customer).upsert(db) }
    }
}
