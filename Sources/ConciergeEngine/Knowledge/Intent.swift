/// Something a customer wants, as the support team wrote it in `intents/*.yaml`.
public struct Intent: Sendable, Hashable {
    /// What kind of exchange the intent starts.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A question or request the bot answers (the default).
        case task
        /// Greetings, thanks, goodbyes: a short reply, no article.
        case smalltalk
        /// Always goes to a person: a request for a human, or a matter policy reserves for one.
        case handoff
        /// Off-topic requests the bot deliberately declines (jokes, the weather): its response is an
        /// honest "I can't help with that", and the turn is a fallback.
        case outOfScope = "out_of_scope"
    }

    /// Unique snake_case name, as reported in `intent.name`.
    public var name: String
    /// Short human label, used in clarifying questions ("1. Track an order").
    public var label: String
    public var kind: Kind
    /// The family (the file name without extension), for coverage reports and routing defaults.
    public var family: String
    /// Example utterances the classifier learns from.
    public var examples: [String]
    /// High-precision token patterns; see `TokenPattern`.
    public var patterns: [String]
    /// Slots the intent needs before it can answer, asked in this order.
    public var slots: [SlotRequirement]
    /// A lookup action that answers from a data table once the slots are filled.
    public var action: String?
    /// The article that answers this intent.
    public var answer: String?
    /// The reply text; `{slot}` placeholders are filled from the conversation's memory.
    public var response: String?
    /// For `kind: handoff`: why the conversation goes to a person (`customer_request` or `policy`).
    public var handoffReason: HandoffReason?
    /// The team a handoff from this intent goes to.
    public var queue: String?
    /// After answering, offer to pass the customer to `queue` (a case a person must act on, such as a
    /// damaged item): "yes" hands off, anything else is read afresh.
    public var offersHandoff: Bool
    /// Where the intent is defined.
    public var location: SourceLocation
    /// Where each example is written, parallel to `examples`.
    public var exampleLocations: [SourceLocation]
    /// Where each pattern is written, parallel to `patterns`.
    public var patternLocations: [SourceLocation]

    public init(
        name: String, label: String? = nil, kind: Kind = .task, family: String = "",
        examples: [String], patterns: [String] = [], slots: [SlotRequirement] = [],
        action: String? = nil, answer: String? = nil, response: String? = nil,
        handoffReason: HandoffReason? = nil, queue: String? = nil, offersHandoff: Bool = false,
        location: SourceLocation = SourceLocation(file: "<memory>"), exampleLocations: [SourceLocation]? = nil,
        patternLocations: [SourceLocation]? = nil
    ) {
        self.name = name
        self.label = label ?? name.replacingUnderscores()
        self.kind = kind
        self.family = family
        self.examples = examples
        self.patterns = patterns
        self.slots = slots
        self.action = action
        self.answer = answer
        self.response = response
        self.handoffReason = handoffReason
        self.queue = queue
        self.offersHandoff = offersHandoff
        self.location = location
        self.exampleLocations = exampleLocations ?? Array(repeating: location, count: examples.count)
        self.patternLocations = patternLocations ?? Array(repeating: location, count: patterns.count)
    }
}

/// A value an intent needs, with the question that asks for it.
public struct SlotRequirement: Sendable, Hashable {
    /// The slot's name, as it appears in `slots` and `{name}` templates.
    public var name: String
    /// The entity whose values fill the slot.
    public var entity: String
    /// The question the bot asks when the slot is missing.
    public var prompt: String
    /// Said with the prompt when the customer's answer was not a valid value.
    public var hint: String?
    /// False when the intent can answer without it.
    public var required: Bool

    public init(name: String, entity: String, prompt: String, hint: String? = nil, required: Bool = true) {
        self.name = name
        self.entity = entity
        self.prompt = prompt
        self.hint = hint
        self.required = required
    }
}

/// Why a conversation went to a person; the raw values are the `handoff.reason` contract.
public enum HandoffReason: String, Sendable, Hashable, Codable, CaseIterable {
    /// The customer asked for a person.
    case customerRequest = "customer_request"
    /// Confidence stayed low after a clarifying attempt.
    case lowConfidence = "low_confidence"
    /// Answers did not help, the same question came again, or fallbacks repeated.
    case repeatedFailure = "repeated_failure"
    /// The customer is getting frustrated.
    case frustration
    /// The knowledge base reserves this matter for a person.
    case policy
    /// A lookup the answer depended on failed.
    case actionFailed = "action_failed"
}

extension String {
    func replacingUnderscores() -> String {
        var out = self
        out = String(out.map { $0 == "_" ? " " : $0 })
        return out.prefix(1).uppercased() + out.dropFirst()
    }
}
