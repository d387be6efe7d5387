import ConciergeEngine
import ConciergeStore
import Foundation
import GRDB

/// A row of the `turn` table: one exchange of a conversation. `id` keeps the order turns were
/// recorded in.
struct TurnRow: StoreRow, PersistableRecord {
    static let databaseTableName = "turn"

    var id: Int64?
    var conversationId: String
    var number: Int
    var at: Date
    var customer: String
    var reply: String
    var action: Action
    var intent: String?
    var confidence: Double?
    /// JSON array of article ids.
    var articles: [String]
    var asked: String?
    /// JSON object.
    var slots: [String: String]
    var handoffId: String?

    enum Columns {
        static let id = Column(CodingKeys.id)
        static let conversationId = Column(CodingKeys.conversationId)
        static let number = Column(CodingKeys.number)
    }
}

extension TurnRow {
    init(_ record: TurnRecord) {
        self.init(
            id: nil, conversationId: record.conversationID, number: record.number, at: record.at, customer: record.customer,
            reply: record.reply, action: record.action, intent: record.intent, confidence: record.confidence,
            articles: record.articles, asked: record.asked, slots: record.slots, handoffId: record.handoffID)
    }

    var record: TurnRecord {
        TurnRecord(
            conversationID: conversationId, number: number, at: at, customer: customer, reply: reply, action: action,
            intent: intent, confidence: confidence, articles: articles, asked: asked, slots: slots, handoffID: handoffId)
    }
}

extension DerivableRequest<TurnRow> {
    /// The conversation's turns in the order they were recorded.
    func inConversation(_ conversationID: String) -> Self {
        filter(TurnRow.Columns.conversationId == conversationID).order(TurnRow.Columns.id)
    }
}
