import Foundation

/// How the bot behaves: thresholds, canned texts, limits. Every field has a sensible default; the
/// knowledge folder's `settings.yaml` (or `--config FILE`) overrides any of them, and documents each.
public struct Settings: Sendable, Hashable {
    /// Who the bot is.
    public var assistantName = "Concierge"
    public var companyName = "Larkspur Home"

    /// Confidence at or above which the bot answers without asking.
    public var answerThreshold = 0.55
    /// Confidence below which nothing is good enough: the bot says it is not sure.
    public var fallbackThreshold = 0.30
    /// When the runner-up is within this much of the best candidate, the bot asks which one was meant.
    public var clarifyMargin = 0.12
    /// The most choices a clarifying question offers.
    public var maximumChoices = 3
    /// Messages longer than this (in characters) are analysed only up to here.
    public var maximumMessageLength = 2_000

    /// Canned texts. `{assistant}` and `{company}` are filled in.
    public var texts = Texts()

    public struct Texts: Sendable, Hashable {
        public var welcome = "Hi, I'm {assistant}, {company}'s assistant. Ask me about orders, delivery, returns, payments or your account. Type /help for commands."
        public var fallback = "I'm not sure I understood that. Could you say it another way? If you'd rather talk to a person, just say \"agent\"."
        public var clarify = "Just to be sure I help with the right thing, did you mean:"
        public var clarifyFooter = "Reply with a number, or tell me a little more."
        public var empty = "I didn't catch anything there. What can I help you with?"
        public var noWords = "I can only read words, I'm afraid. What can I help you with?"
        public var offerHuman = "Would you like me to pass you to a person on our team?"
        public var slotInvalid = "That doesn't look right."
        public var goodbye = "Thanks for chatting with {company}. Take care!"
        public init() {}
    }

    public init() {}

    /// `text` with `{assistant}` and `{company}` filled in.
    public func fill(_ text: String) -> String {
        text.replacingOccurrences(of: "{assistant}", with: assistantName)
            .replacingOccurrences(of: "{company}", with: companyName)
    }
}
