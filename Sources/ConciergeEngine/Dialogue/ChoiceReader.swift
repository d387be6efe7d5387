/// Reads a customer's answer to a clarifying question: "1", "the second one", "last", "neither",
/// or words from one choice's label.
enum ChoiceReader {
    /// What the customer picked.
    enum Answer: Equatable {
        /// The choice at this 0-based position.
        case choice(Int)
        /// None of them.
        case none
        /// Not an answer to the question: read the message afresh.
        case unrelated
    }

    static let ordinals: [String: Int] = [
        "1": 0, "one": 0, "first": 0, "1st": 0, "former": 0, "top": 0,
        "2": 1, "two": 1, "second": 1, "2nd": 1,
        "3": 2, "three": 2, "third": 2, "3rd": 2,
        "4": 3, "four": 3, "fourth": 3, "4th": 3,
    ]
    static let filler: Set<String> = [
        "the", "one", "option", "number", "no", "choice", "please", "pls", "i", "mean", "meant", "it", "s", "its", "that",
        "thats", "is", "yes", "yeah", "yep", "ok", "okay", "um", "uh", "hmm", "hm", "oh", "ah", "go", "with", "for", "sure",
        "latter", "last", "a", "an", "to", "want", "like", "would",
    ]
    static let negatives: Set<String> = ["none", "neither", "nothing", "nope", "nah", "no", "other", "else", "different"]

    /// Reads `tokens` (folded words) against choices' label token sets.
    static func read(_ tokens: [Token], choices: [[String]], analyzerStems: [String], allowWords: Bool = true) -> Answer {
        let words = tokens.map(\.text)
        guard !words.isEmpty else { return .unrelated }
        // A message that is only a number or ordinal, with filler.
        let meaningful = words.filter { !filler.contains($0) || ordinals[$0] != nil || $0 == "last" || $0 == "latter" }
        if words.count <= 5 {
            for word in words {
                if let position = ordinals[word], position < choices.count, word != "one" || words.count == 1 || words.contains("number") {
                    if meaningful.allSatisfy({ ordinals[$0] != nil || filler.contains($0) }) { return .choice(position) }
                }
            }
            if words.contains("last") || words.contains("latter"),
                meaningful.allSatisfy({ filler.contains($0) || ordinals[$0] != nil })
            {
                return .choice(choices.count - 1)
            }
            if words.count == 1, words[0] == "one" { return .choice(0) }
            if words.allSatisfy({ negatives.contains($0) || filler.contains($0) || $0 == "of" || $0 == "them" || $0 == "those" || $0 == "these" }),
                words.contains(where: negatives.contains)
            {
                return .none
            }
        }
        // Words of a choice's label: the choice sharing the most stems, if it is the only one with that
        // many and they are most of what the customer said.
        // "The return one", "the refund option": a choice by its words, however the words alone read.
        let pointsAtAChoice = words.count <= 5 && words.first == "the" && ["one", "option"].contains(words.last)
        guard allowWords || pointsAtAChoice else { return .unrelated }
        let stems = Set(analyzerStems.filter { !Stopwords.english.contains($0) })
        let overlaps = choices.map { label in label.filter { stems.contains($0) }.count }
        guard let best = overlaps.max(), best > 0, overlaps.filter({ $0 == best }).count == 1, best * 2 >= stems.count else { return .unrelated }
        // Only when the message is short enough to be an answer rather than a new question.
        return words.count <= 6 ? .choice(overlaps.firstIndex(of: best)!) : .unrelated
    }
}
