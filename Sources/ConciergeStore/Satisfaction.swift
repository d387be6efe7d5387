public import Foundation

/// One customer's answer to "how did we do?" (or the question still unanswered), at most one per
/// conversation, stored with who and what it is about so reports can group it by queue, agent and
/// intent.
public struct SatisfactionRecord: Codable, Sendable, Hashable {
    /// The conversation asked (one record per conversation).
    public var conversationID: String
    /// The handoff the agent resolved, or nil when the bot handled the conversation alone.
    public var handoffID: String?
    public var customerID: String?
    /// The agent who resolved the handoff.
    public var agent: String?
    /// The handoff's queue.
    public var queue: String?
    /// What the conversation was about: the intent of its last answer (or of the handoff).
    public var intent: String?
    public var askedAt: Date
    /// 1 (poor) to 5 (excellent), or nil while unanswered.
    public var score: Int?
    /// What the customer wrote after the number (masked as every stored message is).
    public var comment: String?
    public var answeredAt: Date?

    public init(
        conversationID: String, handoffID: String? = nil, customerID: String? = nil, agent: String? = nil, queue: String? = nil,
        intent: String? = nil, askedAt: Date, score: Int? = nil, comment: String? = nil, answeredAt: Date? = nil
    ) {
        self.conversationID = conversationID
        self.handoffID = handoffID
        self.customerID = customerID
        self.agent = agent
        self.queue = queue
        self.intent = intent
        self.askedAt = askedAt
        self.score = score
        self.comment = comment
        self.answeredAt = answeredAt
    }
}
