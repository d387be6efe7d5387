import ConciergeEngine
import ConciergeStore
import Foundation
import GRDB

/// A row of the `conversation` table: one conversation and the dialogue state it resumes from.
struct ConversationRow: StoreRow, PersistableRecord {
    static let databaseTableName = "conversation"

    var id: String
    var customerId: String?
    var startedAt: Date
    var updatedAt: Date
    /// JSON.
    var state: ConversationState

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let customerId = Column(CodingKeys.customerId)
        static let startedAt = Column(CodingKeys.startedAt)
        static let updatedAt = Column(CodingKeys.updatedAt)
        static let state = Column(CodingKeys.state)
    }
}

extension ConversationRow {
    init(_ record: ConversationRecord) {
        self.init(
            id: record.id, customerId: record.customerID, startedAt: record.startedAt, updatedAt: record.updatedAt,
            state: record.state)
    }

    var record: ConversationRecord {
        ConversationRecord(id: id, customerID: customerId, startedAt: startedAt, updatedAt: updatedAt, state: state)
    }
}

extension DerivableRequest<ConversationRow> {
    /// The customer's conversations, most recently updated first (ties: the greatest id first).
    func latest(customerID: String) -> Self {
        filter(ConversationRow.Columns.customerId == customerID)
            .order(ConversationRow.Columns.updatedAt.desc, ConversationRow.Columns.id.desc)
    }
}
