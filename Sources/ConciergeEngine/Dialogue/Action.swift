/// What the bot did in a turn; the raw values are the `action` field of `--jsonl`.
public enum Action: String, Sendable, Hashable, Codable, CaseIterable {
    /// Answered from an article, a response or a lookup.
    case answer
    /// Asked for a slot value the answer needs.
    case ask
    /// Asked which of two or three close candidates the customer meant.
    case clarify
    /// Passed the conversation to a person (or the message went to the person already on it).
    case handoff
    /// A greeting, thanks or goodbye.
    case smalltalk
    /// Nothing was good enough: said so honestly.
    case fallback
}
