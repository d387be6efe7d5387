public import ConciergeStore
import Foundation
import GRDB

/// A row of the `satisfaction` table: one conversation's answer to "how did we do?".
struct SatisfactionRow: StoreRow, PersistableRecord {
    static let databaseTableName = "satisfaction"

    var conversationId: String
    var handoffId: String?
    var customerId: String?
    var agent: String?
    var queue: String?
    var intent: String?
    var askedAt: Date
    var score: Int?
    var comment: String?
    var answeredAt: Date?

    enum Columns {
        static let conversationId = Column(CodingKeys.conversationId)
    }
}

extension SatisfactionRow {
    init(_ record: SatisfactionRecord) {
        self.init(
            conversationId: record.conversationID, handoffId: record.handoffID, customerId: record.customerID, agent: record.agent,
            queue: record.queue, intent: record.intent, askedAt: record.askedAt, score: record.score, comment: record.comment,
            answeredAt: record.answeredAt)
    }

    var record: SatisfactionRecord {
        SatisfactionRecord(
            conversationID: conversationId, handoffID: handoffId, customerID: customerId, agent: agent, queue: queue, intent: intent,
            askedAt: askedAt, score: score, comment: comment, answeredAt: answeredAt)
    }
}

extension SQLiteStore {
    public func save(satisfaction: SatisfactionRecord) async throws {
        try await write("save a satisfaction answer") { db in try SatisfactionRow(satisfaction).upsert(db) }
    }

    public func satisfaction(conversationID: String) async throws -> SatisfactionRecord? {
        try await read("read a satisfaction answer") { db in try SatisfactionRow.fetchOne(db, key: conversationID)?.record }
    }
}
