/// A question for a value the bot already had: the failure customers resent most.
///
/// ```swift
/// for repeat in RepeatedQuestion.find(in: turns) {
///     print("turn \(repeat.turn) asked for \(repeat.slot), already known as \(repeat.known)")
/// }
/// ```
public struct RepeatedQuestion: Sendable, Hashable {
    /// The turn that asked (1 for the first customer message).
    public var turn: Int
    /// The slot it asked for.
    public var slot: String
    /// The value known before that turn.
    public var known: String

    /// Every turn of one conversation, in order, that asked for a slot whose value was known before
    /// the turn, unless the turn itself rejected that value (no such order, an email that does not
    /// match). `known` is what the conversation knew before the first turn (a returning customer's
    /// profile, say).
    public static func find(in turns: [Turn], knownBefore known: [String: String] = [:]) -> [RepeatedQuestion] {
        var known = known
        var found: [RepeatedQuestion] = []
        for turn in turns {
            if let asked = turn.asked, let value = known[asked], turn.explanation.rejected != asked {
                found.append(RepeatedQuestion(turn: turn.number, slot: asked, known: value))
            }
            known = turn.slots
        }
        return found
    }
}
