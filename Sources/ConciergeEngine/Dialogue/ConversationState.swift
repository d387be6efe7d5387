/// Everything the bot remembers about one conversation between turns. A plain value: the engine
/// reads and returns it, and a store persists it, so a conversation survives a restart.
public struct ConversationState: Sendable, Hashable, Codable {
    /// The conversation's id.
    public var id: String
    /// The customer, once known (`--customer`, or identified in the chat).
    public var customerID: String?
    /// The number of customer messages so far.
    public var turnCount = 0
    /// Every slot and entity value known, by slot name (`order_id`) or entity name (`email`).
    public var slots: [String: String] = [:]
    /// What the bot is waiting for from the customer.
    public var pending: Pending = .nothing
    /// The intent or article last answered, for follow-ups and "that didn't help".
    public var topic: Topic?
    /// The second request the topic's turn answered too ("is pickup free, and do you charge tax?"),
    /// so a follow-up may lean on either answer.
    public var alsoAnswered: Topic?
    /// Answers already given in this conversation (candidate keys), so none is repeated after a failure.
    public var answered: [String] = []
    /// Fallbacks in a row.
    public var consecutiveFallbacks = 0
    /// Clarifying questions asked since the last answer.
    public var clarifications = 0
    /// Times the customer said an answer did not help.
    public var failures = 0
    /// The handoff this conversation is in, while a person has it.
    public var handoff: HandoffState?
    /// Every value mentioned per slot, oldest first ("what about the other one?").
    public var mentioned: [String: [String]] = [:]
    /// Slots the customer declined to give; never asked again in this conversation.
    public var declined: [String] = []
    /// Key values (order numbers) whose identity check passed.
    public var verified: [String] = []
    /// Other candidates from the last answer, best first, offered when it did not help.
    public var alternatives: [ConversationState.Choice] = []
    /// The running frustration score, 0...1 (see `FrustrationDetector`).
    public var mood = 0.0
    /// What the customer said that showed frustration, for the handoff packet.
    public var frustrationSignals: [String] = []
    /// The last few customer messages (masked), for handoff summaries and suggestions.
    public var recentMessages: [String] = []
    /// Lookups that found nothing, per slot, in a row.
    public var lookupFailures: [String: Int] = [:]
    /// True once the bot has reminded the customer of an interrupted question.
    public var resumeOffered = false
    /// Articles shown in this conversation, by id, in order.
    public var shownArticles: [String] = []
    /// True when the last message ended with the first part of a card number (masked), so the
    /// digits that start the next one are masked as its rest.
    public var cardInProgress: Bool?
    /// Identity checks that failed (nil until the first check): see `IdentityLedger`.
    public var identity: IdentityLedger?

    public init(id: String, customerID: String? = nil) {
        self.id = id
        self.customerID = customerID
    }

    /// Failed identity checks, so a guesser is stopped: this conversation's count, and the keys
    /// (order numbers) that too many checks have failed for anywhere recently, which the service
    /// reads from the store before each turn (a new process or conversation does not reset them).
    public struct IdentityLedger: Sendable, Hashable, Codable {
        /// Failed checks in this conversation.
        public var failures: Int
        /// Keys locked across conversations.
        public var lockedKeys: [String]

        public init(failures: Int = 0, lockedKeys: [String] = []) {
            self.failures = failures
            self.lockedKeys = lockedKeys
        }
    }

    /// What the bot asked and is waiting for.
    public enum Pending: Sendable, Hashable, Codable {
        case nothing
        /// A clarifying question with these choices (candidate keys), in the order offered.
        case clarification([Choice])
        /// A slot value for an intent.
        case slot(intent: String, slot: String, attempts: Int)
        /// "Would you like me to pass you to a person?"
        case handoffOffer(reason: HandoffReason)
        /// "Is this about order A10234?": yes fills the slot.
        case confirmation(slot: String, value: String)
    }

    /// One numbered choice of a clarifying question.
    public struct Choice: Sendable, Hashable, Codable {
        /// `intent:NAME` or `article:ID`.
        public var key: String
        public var label: String
        public init(key: String, label: String) {
            self.key = key
            self.label = label
        }
    }

    /// The subject of the last answer.
    public struct Topic: Sendable, Hashable, Codable {
        public var key: String
        public var intent: String?
        public var article: String?
        /// The turn it was set on.
        public var turn: Int
    }

    /// A handoff in progress.
    public struct HandoffState: Sendable, Hashable, Codable {
        public var id: String
        public var reason: HandoffReason
        public var queue: String
    }
}
