/// "Refund or return?", "exchange or store credit": the customer names two things and has not
/// said which they want. Answering either is a guess, so the bot asks which, offering the reading
/// of each side.
///
/// ```swift
/// // "refund or return" → "did you mean: 1. Ask for a refund 2. Our return policy"
/// ```
extension Engine {
    /// The two readings to offer, when the message is two short alternatives joined by "or", each
    /// read as a different request; nil otherwise.
    func alternativeOptions(_ understanding: Understanding) -> [Understanding.Candidate]? {
        let tokens = understanding.text.tokens
        guard tokens.count <= PolicyThresholds.alternativesWords,
            let or = tokens.firstIndex(where: { $0.text == "or" }), or > 0, or < tokens.count - 1,
            tokens.filter({ $0.text == "or" }).count == 1
        else { return nil }
        func side(_ part: ArraySlice<Token>) -> Understanding.Candidate? {
            var text = understanding.text
            text.tokens = Array(part)
            guard !contentWords(text).isEmpty else { return nil }
            let reading = understand(analyzed: text)
            guard let best = reading.best, best.confidence >= settings.fallbackThreshold,
                best.intent.map({ knowledge.intents[$0].kind == .task }) ?? true
            else { return nil }
            return best
        }
        guard let left = side(tokens[..<or]), let right = side(tokens[(or + 1)...]), left.key != right.key else { return nil }
        return [left, right]
    }
}
