public import ConciergeEngine
public import Foundation

/// One conversation as stored: who, when, and the dialogue state the engine resumes from.
public struct ConversationRecord: Codable, Sendable, Hashable {
    public var id: String
    public var customerID: String?
    public var startedAt: Date
    public var updatedAt: Date
    /// The engine's memory of the conversation (slots, pending question, topic, handoff).
    public var state: ConversationState

    public init(id: String, customerID: String? = nil, startedAt: Date, updatedAt: Date? = nil, state: ConversationState) {
        self.id = id
        self.customerID = customerID
        self.startedAt = startedAt
        self.updatedAt = updatedAt ?? startedAt
        self.state = state
    }
}

/// One exchange of a conversation as stored: the customer's (masked) message and the bot's reply.
public struct TurnRecord: Codable, Sendable, Hashable {
    public var conversationID: String
    /// 1 for the first customer message.
    public var number: Int
    public var at: Date
    /// The customer's message, with anything sensitive masked.
    public var customer: String
    public var reply: String
    public var action: Action
    public var intent: String?
    public var confidence: Double?
    /// Ids of the articles the reply used.
    public var articles: [String]
    public var asked: String?
    /// Every slot value known after the turn.
    public var slots: [String: String]
    /// The handoff this turn made or belongs to.
    public var handoffID: String?

    public init(
        conversationID: String, number: Int, at: Date, customer: String, reply: String, action: Action, intent: String? = nil,
        confidence: Double? = nil, articles: [String] = [], asked: String? = nil, slots: [String: String] = [:],
        handoffID: String? = nil
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
        self.asked = asked
        self.slots = slots
        self.handoffID = handoffID
    }

    /// The record of an engine turn.
    public init(_ turn: Turn, conversationID: String, at: Date) {
        self.init(
            conversationID: conversationID, number: turn.number, at: at, customer: turn.customer, reply: turn.reply,
            action: turn.action, intent: turn.intent?.name, confidence: turn.intent?.confidence, articles: turn.articles.map(\.id),
            asked: turn.asked, slots: turn.slots, handoffID: turn.handoff?.id.nilIfEmpty)
    }
}

/// What Concierge remembers about a customer between conversations. Each remembered field carries
/// the time it was learned, so retention periods can expire it.
public struct CustomerProfile: Codable, Sendable, Hashable {
    public var id: String
    public var name: String?
    /// Remembered values by key (`email`, `phone`, `last_topic`, `order:A10234`...).
    public var fields: [String: RememberedValue]
    public var updatedAt: Date

    public init(id: String, name: String? = nil, fields: [String: RememberedValue] = [:], updatedAt: Date) {
        self.id = id
        self.name = name
        self.fields = fields
        self.updatedAt = updatedAt
    }

    /// A remembered value and when it was learned.
    public struct RememberedValue: Codable, Sendable, Hashable {
        public var value: String
        public var learnedAt: Date
        public init(value: String, learnedAt: Date) {
            self.value = value
            self.learnedAt = learnedAt
        }
    }
}

/// Where a handoff is in its life.
public enum HandoffStatus: String, Codable, Sendable, Hashable, CaseIterable {
    /// Waiting for an agent.
    case queued
    /// An agent has it (under a lease that returns it to the queue if they disappear).
    case claimed
    /// An agent finished it.
    case resolved
    /// An agent handed the customer back to the bot.
    case returned
}

/// A conversation handed to a person: the packet an agent reads instead of asking the customer again.
public struct Handoff: Codable, Sendable, Hashable {
    /// The queue's id, such as `H-000042`; empty until the store assigns it.
    public var id: String
    public var conversationID: String
    public var customerID: String?
    public var reason: HandoffReason
    /// The team (skill) it is routed to.
    public var queue: String
    /// 1 (most urgent) to 4.
    public var priority: Int
    public var status: HandoffStatus
    /// A short, deterministic account of what the customer wants and what the bot tried.
    public var summary: String
    /// `frustrated`, `negative`, `neutral` or `positive`.
    public var sentiment: String
    /// Every slot and entity value the bot knew.
    public var slots: [String: String]
    /// The customer's profile at the time of the handoff.
    public var profile: CustomerProfile?
    /// The whole conversation so far, each turn with its intent, confidence and articles.
    public var transcript: [TurnRecord]
    /// Articles the bot suggests the agent look at.
    public var suggestedArticles: [SuggestedArticle]
    public var createdAt: Date
    /// When the first response is due (the queue's service-level target).
    public var dueAt: Date
    public var claimedBy: String?
    public var claimedAt: Date?
    public var leaseUntil: Date?
    public var firstResponseAt: Date?
    public var resolvedAt: Date?
    public var resolution: String?
    /// When no agent is on duty: what the customer was promised ("we will reply by email by ...").
    public var promise: String?

    public struct SuggestedArticle: Codable, Sendable, Hashable {
        public var id: String
        public var title: String
        public init(id: String, title: String) {
            self.id = id
            self.title = title
        }
    }

    public init(
        id: String = "", conversationID: String, customerID: String?, reason: HandoffReason, queue: String, priority: Int,
        status: HandoffStatus = .queued, summary: String, sentiment: String, slots: [String: String], profile: CustomerProfile?,
        transcript: [TurnRecord], suggestedArticles: [SuggestedArticle], createdAt: Date, dueAt: Date, promise: String? = nil
    ) {
        self.id = id
        self.conversationID = conversationID
        self.customerID = customerID
        self.reason = reason
        self.queue = queue
        self.priority = priority
        self.status = status
        self.summary = summary
        self.sentiment = sentiment
        self.slots = slots
        self.profile = profile
        self.transcript = transcript
        self.suggestedArticles = suggestedArticles
        self.createdAt = createdAt
        self.dueAt = dueAt
        self.promise = promise
    }

    /// True when the first response came late, or is late now.
    public func breachesTarget(now: Date) -> Bool {
        if let first = firstResponseAt { return first > dueAt }
        return status == .queued || status == .claimed ? now > dueAt : false
    }
}

/// A message in a handed-off conversation.
public struct HandoffMessage: Codable, Sendable, Hashable {
    /// Who wrote it.
    public enum Sender: String, Codable, Sendable, Hashable {
        case customer, agent
        /// An agent's internal note: never shown to the customer.
        case note
        /// Concierge itself (queue updates, hand-back).
        case system
    }

    public var handoffID: String
    /// Assigned by the store: 1, 2, 3... per handoff.
    public var sequence: Int
    public var at: Date
    public var sender: Sender
    /// The agent's name, or the customer's id.
    public var author: String
    public var text: String

    public init(handoffID: String, sequence: Int = 0, at: Date, sender: Sender, author: String, text: String) {
        self.handoffID = handoffID
        self.sequence = sequence
        self.at = at
        self.sender = sender
        self.author = author
        self.text = text
    }
}

/// One entry of a handoff's audit log.
public struct HandoffEvent: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        case created, claimed, released, transferred, resolved, handedBack = "handed_back", leaseExpired = "lease_expired"
        case replied, noted, customerMessage = "customer_message", taught
    }

    public var handoffID: String
    public var sequence: Int
    public var at: Date
    public var kind: Kind
    /// The agent, `customer` or `system`.
    public var actor: String
    public var detail: String

    public init(handoffID: String, sequence: Int = 0, at: Date, kind: Kind, actor: String, detail: String = "") {
        self.handoffID = handoffID
        self.sequence = sequence
        self.at = at
        self.kind = kind
        self.actor = actor
        self.detail = detail
    }
}

/// A customer question an agent marked as a new example for an intent or article (`resolve --teach`).
public struct Suggestion: Codable, Sendable, Hashable {
    /// Assigned by the store.
    public var id: Int
    public var handoffID: String
    /// The customer's words.
    public var text: String
    /// `intent:NAME` or `article:ID`.
    public var target: String
    public var agent: String
    public var createdAt: Date

    public init(id: Int = 0, handoffID: String, text: String, target: String, agent: String, createdAt: Date) {
        self.id = id
        self.handoffID = handoffID
        self.text = text
        self.target = target
        self.agent = agent
        self.createdAt = createdAt
    }
}

/// What an attempt to claim a handoff came to.
public enum ClaimOutcome: Sendable, Hashable {
    /// The agent has it now.
    case claimed(Handoff)
    /// Another agent holds it.
    case heldBy(String)
    /// It is resolved or returned to the bot.
    case closed(HandoffStatus)
    /// No handoff has that id.
    case notFound
    /// Nothing is waiting in the agent's queues.
    case queueEmpty
    /// The handoff waits in this queue, which is not one of the agent's: it stays queued.
    case otherQueue(String)
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}
