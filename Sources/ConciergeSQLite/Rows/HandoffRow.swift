import ConciergeEngine
import ConciergeStore
import Foundation
import GRDB

/// A row of the `handoff` table: one handoff with its whole packet.
///
/// `number` is the `INTEGER PRIMARY KEY AUTOINCREMENT` the id is made from (`H-000042` is number
/// 42): SQLite never hands out the same number twice, even after a rollback or a delete.
struct HandoffRow: StoreRow {
    static let databaseTableName = "handoff"

    var number: Int64?
    var id: String
    var conversationId: String
    var customerId: String?
    var reason: HandoffReason
    var queue: String
    var priority: Int
    var status: HandoffStatus
    var summary: String
    var sentiment: String
    /// JSON object.
    var slots: [String: String]
    /// JSON object, or NULL.
    var profile: CustomerProfile?
    /// JSON array of turns.
    var transcript: [TurnRecord]
    /// JSON array of `{id, title}`.
    var suggestedArticles: [Handoff.SuggestedArticle]
    var createdAt: Date
    var dueAt: Date
    var claimedBy: String?
    var claimedAt: Date?
    var leaseUntil: Date?
    var firstResponseAt: Date?
    var resolvedAt: Date?
    var resolution: String?
    var promise: String?

    enum Columns {
        static let number = Column(CodingKeys.number)
        static let id = Column(CodingKeys.id)
        static let queue = Column(CodingKeys.queue)
        static let priority = Column(CodingKeys.priority)
        static let status = Column(CodingKeys.status)
        static let createdAt = Column(CodingKeys.createdAt)
        static let conversationId = Column(CodingKeys.conversationId)
        static let claimedBy = Column(CodingKeys.claimedBy)
    }

    mutating func didInsert(_ inserted: InsertionSuccess) {
        number = inserted.rowID
    }
}

extension HandoffRow {
    init(_ handoff: Handoff) {
        self.init(
            number: nil, id: handoff.id, conversationId: handoff.conversationID, customerId: handoff.customerID,
            reason: handoff.reason, queue: handoff.queue, priority: handoff.priority, status: handoff.status,
            summary: handoff.summary, sentiment: handoff.sentiment, slots: handoff.slots, profile: handoff.profile,
            transcript: handoff.transcript, suggestedArticles: handoff.suggestedArticles, createdAt: handoff.createdAt,
            dueAt: handoff.dueAt, claimedBy: handoff.claimedBy, claimedAt: handoff.claimedAt, leaseUntil: handoff.leaseUntil,
            firstResponseAt: handoff.firstResponseAt, resolvedAt: handoff.resolvedAt, resolution: handoff.resolution,
            promise: handoff.promise)
    }

    var record: Handoff {
        var handoff = Handoff(
            id: id, conversationID: conversationId, customerID: customerId, reason: reason, queue: queue, priority: priority,
            status: status, summary: summary, sentiment: sentiment, slots: slots, profile: profile, transcript: transcript,
            suggestedArticles: suggestedArticles, createdAt: createdAt, dueAt: dueAt, promise: promise)
        handoff.claimedBy = claimedBy
        handoff.claimedAt = claimedAt
        handoff.leaseUntil = leaseUntil
        handoff.firstResponseAt = firstResponseAt
        handoff.resolvedAt = resolvedAt
        handoff.resolution = resolution
        return handoff
    }
}

extension DerivableRequest<HandoffRow> {
    /// Handoffs with one of `statuses`.
    func filter(statuses: Set<HandoffStatus>) -> Self {
        filter(statuses.map(\.rawValue).contains(HandoffRow.Columns.status))
    }

    /// Handoffs in `queue`.
    func filter(queue: String) -> Self {
        filter(HandoffRow.Columns.queue == queue)
    }

    /// Queue order, as `Handoff.queueOrder`: most urgent first, then longest waiting, then id.
    func queueOrdered() -> Self {
        order(HandoffRow.Columns.priority, HandoffRow.Columns.createdAt, HandoffRow.Columns.id)
    }
}
