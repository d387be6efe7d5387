/// What the engine understood of one message before any dialogue context: the analysed text, the
/// intents and articles it might mean, and whether it is out of scope.
public struct Understanding: Sendable {
    public var text: AnalyzedText
    public var intents: IntentMatcher.Match
    public var articles: [ArticleRetriever.Hit]
    /// Every candidate answer (intents and articles merged), best first.
    public var candidates: [Candidate]
    /// True when no candidate reaches the fallback threshold: the knowledge base does not cover it.
    public var isOutOfScope: Bool

    /// Something the bot could answer with.
    public struct Candidate: Sendable, Hashable {
        /// `intent:NAME` or `article:ID`.
        public var key: String
        public var label: String
        public var confidence: Double
        /// The intent's index in the knowledge base, when the candidate is an intent.
        public var intent: Int?
        /// The article's index: the intent's answer, or the retrieved article.
        public var article: Int?
    }

    public var best: Candidate? { candidates.first }
}

extension Engine {
    /// `plain` read with `lead` as its best candidate: `lead` first, then only the readings well
    /// behind it (more than the clarifying margin), so the decision answers `lead` rather than
    /// asking between it and what it displaced. What every reader that narrows a reading returns.
    func reading(_ plain: Understanding, ledBy lead: Understanding.Candidate) -> Understanding {
        var reading = plain
        reading.candidates = [lead] + plain.candidates.filter { $0.key != lead.key && $0.confidence < lead.confidence - settings.clarifyMargin }
        reading.isOutOfScope = false
        return reading
    }
}
