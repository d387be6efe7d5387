/// Reads yes and no answers ("yes please", "nope", "sure, go ahead").
enum YesNo {
    enum Answer { case yes, no, unclear }

    static let yesWords: Set<String> = [
        "yes", "yeah", "yep", "yup", "ya", "yea", "sure", "ok", "okay", "please", "definitely", "absolutely", "correct", "y",
        "certainly", "right", "yess", "yesss", "affirmative",
    ]
    static let noWords: Set<String> = ["no", "nope", "nah", "n", "dont", "not", "nothing"]
    /// Words that say yes on their own, unlike "ok", which also closes a conversation.
    static let strongYes: Set<String> = ["yes", "yeah", "yep", "yup", "ya", "yea", "sure", "please", "definitely", "absolutely", "y"]
    static let filler: Set<String> = [
        "it", "is", "that", "thats", "would", "be", "great", "go", "ahead", "do", "thanks", "thank", "you", "its", "fine", "im",
        "good", "all", "i", "am", "the", "one", "need", "want", "to", "a", "person", "human", "agent", "now", "just", "really",
    ]

    /// Like `read`, and also a longer message that opens with the answer: "no thanks, I'll see if
    /// a second box turns up first", "yeah go on then". A question after a yes is not a yes.
    static func readLeading(_ words: [String], question: Bool) -> Answer {
        let plain = read(words)
        guard plain == .unclear, let first = words.first else { return plain }
        if ["no", "nope", "nah"].contains(first) { return .no }
        if strongYes.contains(first) || ["fine", "ok", "okay"].contains(first), !question, words.count <= 8 { return .yes }
        return .unclear
    }

    static func read(_ words: [String]) -> Answer {
        guard !words.isEmpty, words.count <= 7 else { return .unclear }
        let known = words.allSatisfy { yesWords.contains($0) || noWords.contains($0) || filler.contains($0) }
        guard known else { return .unclear }
        if words.contains(where: noWords.contains) { return .no }
        if words.contains(where: yesWords.contains) { return .yes }
        return .unclear
    }
}
