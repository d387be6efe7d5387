/// The words and shapes that make a message lean on what was said before: pointing words ("is
/// *that* yearly?"), openings ("and…", "what about…"), fragments ("and to a debit card?") and
/// question shapes with no subject ("how often?").
extension Engine {
    /// Follow-up cues: words that lean on what was said before.
    static let followUpCues: Set<String> = [
        "that", "it", "this", "those", "these", "and", "also", "about", "what", "how", "then", "same", "too", "there", "one", "them",
        "they", "else", "either", "instead", "thing", "ones",
    ]

    /// Words that point back at the subject without naming it ("is *that* yearly?", "and *there*?").
    static let pointingWords: Set<String> = ["that", "it", "its", "thats", "this", "those", "these", "there", "them", "they", "same", "too", "one", "ones", "either"]

    /// The words of a message that name a subject: not stop words, cues or question shapes.
    func contentWords(_ text: AnalyzedText) -> [String] {
        text.tokens.filter {
            !$0.isEntity && !Stopwords.english.contains($0.stem) && !Self.followUpCues.contains($0.text) && !Self.questionWords.contains($0.text)
                && !MessageSegmenter.fillerWords.contains($0.text)
        }.map(\.stem)
    }

    /// True for a message that leans on the topic without naming a subject of its own: a pointing
    /// word or an opening like "and…", with at most two content words ("is that yearly?", "and the
    /// address?", "does it cost anything?").
    func isElliptical(_ text: AnalyzedText) -> Bool {
        let words = text.tokens.map(\.text)
        guard words.count <= 9 else { return false }
        let leans = Self.leansOnTopic(words) || words.contains(where: Self.pointingWords.contains)
        return (leans && contentWords(text).count <= 2) || isShapeOnly(text)
    }

    /// "How often?", "how much?": only the shape of a question, its subject left to the topic.
    func isShapeOnly(_ text: AnalyzedText) -> Bool {
        text.tokens.contains(where: { Self.questionWords.contains($0.text) }) && contentWords(text).isEmpty
    }

    /// Openings that always lean on the topic: "and for express?", "what about returns?".
    static func leansOnTopic(_ words: [String]) -> Bool {
        guard let first = words.first else { return false }
        return first == "and" || first == "also" || first == "same" || (words.count >= 2 && ["what", "how"].contains(first) && words[1] == "about")
    }

    /// "And to a debit card?", "what about for furniture?", "also with express?": an opening that
    /// leans on the topic followed by a preposition, the rest of the question left unsaid.
    /// "And my Circle points?" too: a noun phrase alone, its verb ("will I lose…") left unsaid.
    static func isFragment(_ words: [String]) -> Bool {
        guard leansOnTopic(words) else { return false }
        let rest = words.drop { ["and", "also", "same", "what", "how", "about", "then", "so"].contains($0) }
        return rest.first.map { fragmentPrepositions.contains($0) || fragmentDeterminers.contains($0) } ?? false
    }

    static let fragmentPrepositions: Set<String> = ["to", "for", "with", "on", "in", "at", "by", "from", "into", "onto", "via", "over", "under"]
    static let fragmentDeterminers: Set<String> = ["my", "the", "your", "our", "his", "her", "their", "a", "an"]

    /// "Why…", "how come…": a question about the answer itself rather than for it again.
    static func questionsTheAnswer(_ words: [String]) -> Bool {
        words.first == "why" || (words.count >= 2 && words[0] == "how" && words[1] == "come")
    }

    /// Words that shape a question rather than name its subject ("how much", "how long").
    static let questionWords: Set<String> = ["much", "many", "long", "often", "soon", "far", "big", "old", "cost", "costs", "price"]
}
