/// The bot's reply to one customer message, with everything needed to explain it.
public struct Turn: Sendable, Hashable {
    /// 1 for the first customer message.
    public var number: Int
    /// The message as the customer sent it.
    public var customer: String
    /// The full text the customer sees.
    public var reply: String
    public var action: Action
    /// The intent the reply is for, with its confidence.
    public var intent: IntentScore?
    /// Articles considered relevant, best first.
    public var articles: [ArticleScore]
    /// The slot asked for in this reply.
    public var asked: String?
    /// Every slot value known after this turn.
    public var slots: [String: String]
    /// Set when the reply hands the conversation to a person.
    public var handoff: HandoffRequest?
    /// Why the bot replied as it did.
    public var explanation: Explanation
    /// The key (an order number) whose identity check failed on this turn, for the store's ledger.
    public var identityFailure: String? = nil

    public struct IntentScore: Sendable, Hashable, Codable {
        public var name: String
        public var confidence: Double
    }

    public struct ArticleScore: Sendable, Hashable, Codable {
        public var id: String
        public var score: Double
    }
}

/// A handoff the engine decided on; the host writes it to the queue and fills in the id.
public struct HandoffRequest: Sendable, Hashable, Codable {
    /// The queue's id for the handoff (empty until the host has written it).
    public var id: String
    public var reason: HandoffReason
    /// The team it goes to.
    public var queue: String
    /// 1 (most urgent) to 4.
    public var priority: Int = 3
    /// What the customer wants and what the bot tried, in one line.
    public var summary: String = ""
    /// `frustrated`, `negative`, `neutral` or `positive`.
    public var sentiment: String = "neutral"
    /// Articles for the agent (id, title).
    public var suggestedArticles: [SuggestedArticle] = []

    public struct SuggestedArticle: Sendable, Hashable, Codable {
        public var id: String
        public var title: String
    }

    public init(id: String, reason: HandoffReason, queue: String) {
        self.id = id
        self.reason = reason
        self.queue = queue
    }

    enum CodingKeys: String, CodingKey { case id, reason, queue }
}

/// The reasoning behind a turn, shown by `/why` and carried in `--jsonl`.
public struct Explanation: Sendable, Hashable, Codable {
    /// How the intent was recognised: `pattern` or `examples`, or nil when no intent was used.
    public var matchedBy: String?
    /// The pattern that matched.
    public var pattern: String?
    /// Intent candidates, best first.
    public var intents: [Candidate] = []
    /// Article candidates, best first.
    public var articles: [Candidate] = []
    /// The words after normalisation, spelling and synonyms (stems).
    public var stems: [String] = []
    /// Spelling corrections made.
    public var corrections: [AnalyzedText.Correction] = []
    /// Entities found in the message.
    public var entities: [EntityMatch] = []
    /// The policy's decision in one sentence.
    public var decision: String = ""
    /// What the message did, as the act readers found it, in the order read; the one acted on is marked.
    public var acts: [DialogueAct] = []
    /// The message read as a follow-up to this topic.
    public var followUpOf: String?
    /// What was masked before anything else read the message.
    public var masked: [String] = []
    /// The frustration score of the conversation after this message.
    public var mood: Double = 0
    /// A slot whose known value this turn found wrong (an order number with no order, an email that
    /// does not match), so asking for it again is not a repeated question.
    public var rejected: String?

    public struct Candidate: Sendable, Hashable, Codable {
        public var name: String
        public var confidence: Double
        public var score: Double
    }

    public init() {}
}
