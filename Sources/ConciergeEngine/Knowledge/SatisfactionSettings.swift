import Foundation

/// When the customer is asked one question about how we did (1 to 5, with an optional comment), and
/// the words used. At most once per conversation, never after a conversation the customer abandoned.
/// `settings.yaml` sets these under `satisfaction:`.
public struct SatisfactionSettings: Sendable, Hashable {
    /// Ask when an agent resolves a handoff (the customer is still in the chat).
    public var afterResolution = true
    /// Ask when a conversation the bot handled alone ends (the customer says goodbye or thanks after
    /// at least one answer).
    public var afterBotConversation = false
    /// The intents that end a bot-only conversation.
    public var closingIntents = ["goodbye", "thanks"]
    /// The question; a reply that starts with a digit 1-5 answers it.
    public var question = "Before you go: how did we do, from 1 (poor) to 5 (excellent)? You can add a comment after the number."
    /// The reply to an answer.
    public var thanks = "Thank you for telling us."

    public init() {}

    /// The score (1...5) and comment in a reply to the question, or nil when the reply is not an
    /// answer: it must start with one digit 1-5 standing alone ("4", "5 quick and kind", "3 - slow"),
    /// so "10 minutes" or "2nd order" are read as ordinary messages.
    ///
    /// ```swift
    /// SatisfactionSettings.rating(in: "4, quick and kind")   // (4, "quick and kind")
    /// SatisfactionSettings.rating(in: "where is my order")   // nil
    /// ```
    public static func rating(in message: String) -> (score: Int, comment: String?)? {
        let trimmed = message.drop { $0 == " " || $0 == "\t" }
        guard let first = trimmed.first, first.isASCII, let score = first.wholeNumberValue, (1...5).contains(score) else { return nil }
        var rest = trimmed.dropFirst()
        // "4/5" is a rating too.
        if rest.hasPrefix("/5") { rest = rest.dropFirst(2) }
        let chars = Array(rest.prefix(2))
        if let next = chars.first {
            if next.isLetter || next.isNumber || next == "%" || next == "/" { return nil }
            // "4.5", "3,5" are numbers, not ratings.
            if next == "." || next == ",", chars.count > 1, chars[1].isNumber { return nil }
        }
        let comment = rest.drop { " \t,;:-–—!.)".contains($0) }.trimmingCharacters(in: .whitespaces)
        return (score, comment.isEmpty ? nil : comment)
    }
}
