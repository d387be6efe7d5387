import ConciergeStore
import Foundation
import GRDB

/// A row of the `handoffMessage` table: one message of a handed-off conversation, numbered from 1
/// per handoff.
struct HandoffMessageRow: StoreRow, PersistableRecord {
    static let databaseTableName = "handoffMessage"

    var handoffId: String
    var sequence: Int
    var at: Date
    var sender: HandoffMessage.Sender
    var author: String
    var text: String

    enum Columns {
        static let handoffId = Column(CodingKeys.handoffId)
        static let sequence = Column(CodingKeys.sequence)
        static let sender = Column(CodingKeys.sender)
        static let at = Column(CodingKeys.at)
        static let text = Column(CodingKeys.text)
        static let author = Column(CodingKeys.author)
    }
}

extension HandoffMessageRow {
    init(_ message: HandoffMessage) {
        self.init(
            handoffId: message.handoffID, sequence: message.sequence, at: message.at, sender: message.sender,
            author: message.author, text: message.text)
    }

    var record: HandoffMessage {
        HandoffMessage(handoffID: handoffId, sequence: sequence, at: at, sender: sender, author: author, text: text)
    }
}

extension DerivableRequest<HandoffMessageRow> {
    /// The handoff's messages after `sequence`, in order.
    func inHandoff(_ handoffID: String, after sequence: Int) -> Self {
        filter(HandoffMessageRow.Columns.handoffId == handoffID && HandoffMessageRow.Columns.sequence > sequence)
            .order(HandoffMessageRow.Columns.sequence)
    }
}

/// A row of the `handoffEvent` table: one entry of a handoff's audit log, numbered from 1 per handoff.
struct HandoffEventRow: StoreRow, PersistableRecord {
    static let databaseTableName = "handoffEvent"

    var handoffId: String
    var sequence: Int
    var at: Date
    var kind: HandoffEvent.Kind
    var actor: String
    var detail: String

    enum Columns {
        static let handoffId = Column(CodingKeys.handoffId)
        static let sequence = Column(CodingKeys.sequence)
    }
}

extension HandoffEventRow {
    init(_ event: HandoffEvent) {
        self.init(
            handoffId: event.handoffID, sequence: event.sequence, at: event.at, kind: event.kind, actor: event.actor,
            detail: event.detail)
    }

    var record: HandoffEvent {
        HandoffEvent(handoffID: handoffId, sequence: sequence, at: at, kind: kind, actor: actor, detail: detail)
    }
}

extension DerivableRequest<HandoffEventRow> {
    /// The handoff's audit log in order.
    func inHandoff(_ handoffID: String) -> Self {
        filter(HandoffEventRow.Columns.handoffId == handoffID).order(HandoffEventRow.Columns.sequence)
    }
}

/// A row of the `suggestion` table: a customer question an agent marked as a new example.
struct SuggestionRow: StoreRow, PersistableRecord {
    static let databaseTableName = "suggestion"

    var id: Int64?
    var handoffId: String
    var text: String
    var target: String
    var agent: String
    var createdAt: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
    }
}

extension SuggestionRow {
    init(_ suggestion: Suggestion) {
        self.init(
            id: nil, handoffId: suggestion.handoffID, text: suggestion.text, target: suggestion.target,
            agent: suggestion.agent, createdAt: suggestion.createdAt)
    }

    var record: Suggestion {
        Suggestion(id: Int(id ?? 0), handoffID: handoffId, text: text, target: target, agent: agent, createdAt: createdAt)
    }
}
