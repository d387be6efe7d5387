public import ConciergeEngine
public import Foundation

/// The rows a report is computed from: the conversations started in a date range and everything
/// that belongs to them, in plain values (no decoded conversation state), so a store can read a
/// hundred thousand conversations quickly. `ReportBuilder` (ConciergeReport) turns them into figures.
public struct ReportRows: Sendable, Hashable {
    /// Conversations, in id order.
    public var conversations: [Conversation] = []
    /// Their turns, ordered by conversation id, then turn number.
    public var turns: [Turn] = []
    /// Their handoffs, in id order.
    public var handoffs: [Handoff] = []
    /// The handoffs' audit entries, by handoff then sequence.
    public var events: [Event] = []
    /// Their satisfaction records, by conversation id.
    public var satisfaction: [SatisfactionRecord] = []

    public init() {}

    /// One conversation.
    public struct Conversation: Sendable, Hashable {
        public var id: String
        public var startedAt: Date
        public var updatedAt: Date
        public init(id: String, startedAt: Date, updatedAt: Date) {
            self.id = id
            self.startedAt = startedAt
            self.updatedAt = updatedAt
        }
    }

    /// One turn: the masked customer message and what the bot did.
    public struct Turn: Sendable, Hashable {
        public var conversationID: String
        public var number: Int
        public var at: Date
        /// The customer's message as stored (masked).
        public var customer: String
        public var reply: String
        public var action: Action
        public var intent: String?
        public var confidence: Double?
        public var articles: [String]
        public var handoffID: String?
        public init(
            conversationID: String, number: Int, at: Date, customer: String, reply: String, action: Action, intent: String?,
            confidence: Double?, articles: [String], handoffID: String?
        ) {
            self.conversationID = conversationID
            self.number = number
            self.at = at
            self.customer = customer
            self.reply = reply
            self.action = action
            self.intent = intent
            self.confidence = confidence
            self.articles = articles
            self.handoffID = handoffID
        }

        public init(_ record: TurnRecord) {
            self.init(
                conversationID: record.conversationID, number: record.number, at: record.at, customer: record.customer, reply: record.reply,
                action: record.action, intent: record.intent, confidence: record.confidence, articles: record.articles,
                handoffID: record.handoffID)
        }
    }

    /// One handoff, without its packet.
    public struct Handoff: Sendable, Hashable {
        public var id: String
        public var conversationID: String
        public var reason: HandoffReason
        public var queue: String
        public var status: HandoffStatus
        public var createdAt: Date
        public var dueAt: Date
        public var claimedBy: String?
        public var firstResponseAt: Date?
        public var resolvedAt: Date?
        public init(
            id: String, conversationID: String, reason: HandoffReason, queue: String, status: HandoffStatus, createdAt: Date, dueAt: Date,
            claimedBy: String?, firstResponseAt: Date?, resolvedAt: Date?
        ) {
            self.id = id
            self.conversationID = conversationID
            self.reason = reason
            self.queue = queue
            self.status = status
            self.createdAt = createdAt
            self.dueAt = dueAt
            self.claimedBy = claimedBy
            self.firstResponseAt = firstResponseAt
            self.resolvedAt = resolvedAt
        }

        public init(_ handoff: ConciergeStore.Handoff) {
            self.init(
                id: handoff.id, conversationID: handoff.conversationID, reason: handoff.reason, queue: handoff.queue, status: handoff.status,
                createdAt: handoff.createdAt, dueAt: handoff.dueAt, claimedBy: handoff.claimedBy, firstResponseAt: handoff.firstResponseAt,
                resolvedAt: handoff.resolvedAt)
        }
    }

    /// One audit entry of a handoff.
    public struct Event: Sendable, Hashable {
        public var handoffID: String
        public var at: Date
        public var kind: HandoffEvent.Kind
        /// The agent (or `system`).
        public var actor: String
        public init(handoffID: String, at: Date, kind: HandoffEvent.Kind, actor: String) {
            self.handoffID = handoffID
            self.at = at
            self.kind = kind
            self.actor = actor
        }
    }
}

/// How far a store has read the rows of a report, for a progress line.
public struct ReportProgress: Sendable, Hashable {
    /// What is being read: `conversations`, `turns`, `handoffs`, `events`, `satisfaction`.
    public var stage: String
    public var done: Int
    /// The total, when known.
    public var total: Int?
    public init(stage: String, done: Int, total: Int?) {
        self.stage = stage
        self.done = done
        self.total = total
    }
}

/// The conversations a report covers: those started at or after `since` and before `until` (either
/// open).
public struct ReportRange: Sendable, Hashable {
    public var since: Date?
    public var until: Date?
    public init(since: Date? = nil, until: Date? = nil) {
        self.since = since
        self.until = until
    }

    /// True when a conversation started at `date` is in the range.
    public func contains(_ date: Date) -> Bool {
        (since.map { date >= $0 } ?? true) && (until.map { date < $0 } ?? true)
    }
}

extension ReportRows {
    /// A JSON array of plain strings (`["a","b"]`, `["a", "b"]`) read without a JSON decoder, since
    /// a report reads hundreds of thousands of them; nil for anything unusual (escapes, not an
    /// array), which the store then decodes properly.
    public static func stringArray(_ json: String) -> [String]? {
        if json == "[]" { return [] }
        let bytes = Array(json.utf8)
        guard bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"), !bytes.contains(UInt8(ascii: "\\")) else { return nil }
        var values: [String] = []
        var start: Int?
        for (index, byte) in bytes.enumerated() where byte == UInt8(ascii: "\"") {
            if let open = start {
                values.append(String(decoding: bytes[(open + 1)..<index], as: UTF8.self))
                start = nil
            } else {
                start = index
            }
        }
        return values
    }
}
