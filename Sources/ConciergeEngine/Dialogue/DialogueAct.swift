import Foundation

/// One thing a customer's message does in the conversation, as the act readers found it: "hi, it's
/// A10234, has it shipped?" is a greeting, an inform (order_id = A10234) and a request
/// (order_status). `/why` and the `why` of `--jsonl` list the acts of each turn, the evidence for
/// each, and which one the policy acted on.
///
/// ```swift
/// let act = DialogueAct(.requestPerson, evidence: "“put me through”")
/// act.description   // "request a person (“put me through”)"
/// ```
public struct DialogueAct: Sendable, Hashable, Codable {
    /// The kinds of act, in the order the policy considers them.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// Hello, thanks, goodbye and other small talk around the request.
        case smalltalk
        /// Asks to be passed to a person.
        case requestPerson = "request_person"
        /// Says the customer is upset ("this is useless!!!").
        case complain
        /// Changes a value given before ("sorry, it's A10235").
        case correct
        /// Answers the question the bot asked: a clarifying choice, a slot value, yes or no.
        case answerPending = "answer_pending"
        /// Gives a value without being asked ("btw my email is …").
        case inform
        /// Says the last answer did not help.
        case notHelpful = "not_helpful"
        /// A short question leaning on what was just answered ("and for express?").
        case followUp = "follow_up"
        /// Asks for something: an intent or an article.
        case request
        /// Nothing the knowledge covers.
        case outOfScope = "out_of_scope"
    }

    public var kind: Kind
    /// What the act is about: an intent, a slot and its value, a choice.
    public var detail: String?
    /// The evidence the reader found, in words a knowledge author can check.
    public var evidence: String
    /// True for the act the policy acted on.
    public var won = false

    public init(_ kind: Kind, detail: String? = nil, evidence: String, won: Bool = false) {
        self.kind = kind
        self.detail = detail
        self.evidence = evidence
        self.won = won
    }

    /// "request (order_status): confidence 0.91".
    public var description: String {
        let name = kind.rawValue.replacingOccurrences(of: "_", with: " ")
        return name + (detail.map { " (\($0))" } ?? "") + ": " + evidence + (won ? "  ← acted on" : "")
    }
}
