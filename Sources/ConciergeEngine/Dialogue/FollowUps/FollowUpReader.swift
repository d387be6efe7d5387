/// Follow-ups: a short message read against the conversation's topic ("and for express?", "is
/// that yearly?", "what about furniture?"), and when another reading wins over it.
///
/// The rules run in order; each reads the message (a ``FollowUp``) and either settles it, says it
/// is no follow-up, or leaves it to the next:
///
/// | rule | file | what it reads |
/// |---|---|---|
/// | not a follow-up | `NotAFollowUpRule.swift` | a value for the pending question, an acknowledgement, "that didn't help", another question about the same record |
/// | the topic's sibling | `SiblingOfTopicRule.swift` | "what about furniture?" after the return policy: the same team's furniture returns |
/// | a thing after the topic | `ThingAfterTopicRule.swift` | "what about rugs?" after a store return: the topic's question about rugs |
/// | the topic's own words | `EchoedTopicRule.swift` | "does it expire?" after an answer that says when points expire |
/// | read in context | `ContextualReadingRule.swift` | anything else that leans on the topic: read with the topic's label beside it |
///
/// ```swift
/// // After the return policy, "what about furniture?" reads on its own as furniture delivery:
/// let reading = engine.followUp(plain, topic: topic, state: state)
/// reading?.best?.label   // "Return furniture"
/// ```
extension Engine {
    /// The follow-up rules, in the order they read a message.
    static let followUpRules: [any FollowUpRule.Type] = [
        NotAFollowUpRule.self,
        SiblingOfTopicRule.self,
        ThingAfterTopicRule.self,
        EchoedTopicRule.self,
        ContextualReadingRule.self,
    ]

    /// A short message read against `topic` (the one it leans on, `leanedOnTopic`), when that
    /// reading is clearly better; nil when the message is read on its own.
    func followUp(_ plain: Understanding, topic: ConversationState.Topic, state: ConversationState) -> Understanding? {
        let message = FollowUp(plain: plain, topic: topic, state: state, engine: self)
        for rule in Self.followUpRules {
            switch rule.read(message, engine: self) {
            case .reading(let reading): return reading
            case .notAFollowUp: return nil
            case .undecided: continue
            }
        }
        return nil
    }
}

/// A message that may follow up on the topic, with what every rule asks of it worked out once.
struct FollowUp {
    /// The message read on its own.
    let plain: Understanding
    /// The answer it may lean on.
    let topic: ConversationState.Topic
    let state: ConversationState
    /// The message's words (folded), in order.
    let words: [String]
    /// The words that name a subject (`Engine.contentWords`).
    let contentWords: [String]
    /// The confidence of the best reading on its own (0 when there is none).
    let plainBest: Double
    /// An opening that always leans on the topic: "and…", "also…", "what about…".
    let leaning: Bool
    /// The topic's intent, when it is one.
    let topicIntent: Int?
    /// The team (queue) of the topic's intent.
    let topicTeam: String?

    init(plain: Understanding, topic: ConversationState.Topic, state: ConversationState, engine: Engine) {
        self.plain = plain
        self.topic = topic
        self.state = state
        words = plain.text.tokens.map(\.text)
        contentWords = engine.contentWords(plain.text)
        plainBest = plain.best?.confidence ?? 0
        leaning = Engine.leansOnTopic(words)
        topicIntent = topic.intent.flatMap { engine.intentIndex[$0] }
        topicTeam = topicIntent.flatMap { engine.knowledge.intents[$0].queue }
    }
}

/// What a follow-up rule made of the message.
enum FollowUpOutcome {
    /// The message read against the topic: the policy acts on this reading.
    case reading(Understanding)
    /// Not a follow-up: the message is read on its own, and no later rule runs.
    case notAFollowUp
    /// For the next rule to decide.
    case undecided
}

/// One way a message can lean on the topic (see ``Engine/followUpRules``).
protocol FollowUpRule: SendableMetatype {
    static func read(_ message: FollowUp, engine: Engine) -> FollowUpOutcome
}
