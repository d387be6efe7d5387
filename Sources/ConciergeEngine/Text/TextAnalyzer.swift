/// A customer's message after every understanding stage that works on the text itself.
public struct AnalyzedText: Sendable {
    /// The message as analysed (control characters removed, bounded length).
    public var sanitized: String
    /// The words after entity replacement, spelling correction and synonyms, each with its stem.
    public var tokens: [Token]
    /// The entity values found, in message order.
    public var entities: [EntityMatch]
    /// Spelling corrections made, as (typed, corrected).
    public var corrections: [Correction]
    /// True when the message was cut to the analyser's maximum length.
    public var truncated: Bool

    /// A word the speller replaced.
    public struct Correction: Sendable, Hashable, Codable {
        public var typed: String
        public var corrected: String
    }

    /// The stems, in order: what matching and retrieval compare.
    public var stems: [String] { tokens.map(\.stem) }
}

/// Runs the text stages of a turn: normalise → tokenise → entities → spelling → synonyms → stems.
///
/// Entities with a shape (order numbers, emails) become one placeholder token (`@order_number`), so
/// "where is A10234" and "where is A99999" read the same to the classifier; named values (products)
/// keep their words, which carry meaning.
public struct TextAnalyzer: Sendable {
    public var normalizer: TextNormalizer
    public var synonyms: SynonymTable
    public var speller: SpellingCorrector
    public var entities: EntityExtractor
    /// Entities whose words are replaced by a placeholder token.
    /// Entities read by pattern (order numbers, emails): their values become `@entity` tokens.
    public private(set) var placeholderEntities: Set<String>

    public init(
        normalizer: TextNormalizer = TextNormalizer(), synonyms: SynonymTable = SynonymTable(),
        speller: SpellingCorrector = SpellingCorrector(), entities: EntityExtractor = EntityExtractor()
    ) {
        self.normalizer = normalizer
        self.synonyms = synonyms
        self.speller = speller
        self.entities = entities
        self.placeholderEntities = Set(entities.definitions.filter { !$0.patterns.isEmpty }.map(\.name))
    }

    /// Analyses one message.
    public func analyze(_ message: String) -> AnalyzedText {
        let sanitized = normalizer.sanitize(message)
        let truncated = sanitized.unicodeScalars.count >= normalizer.maximumScalars
            && message.unicodeScalars.count > normalizer.maximumScalars
        var tokens = normalizer.tokenize(sanitized)
        let found = entities.extract(from: sanitized, tokens: tokens)
        if !found.isEmpty { tokens = Self.replaceEntities(found.filter { placeholderEntities.contains($0.entity) }, in: tokens) }
        var corrections: [AnalyzedText.Correction] = []
        for i in tokens.indices where !tokens[i].isEntity {
            if let corrected = speller.correct(tokens[i].text) {
                corrections.append(.init(typed: tokens[i].text, corrected: corrected))
                tokens[i].text = corrected
            }
        }
        tokens = synonyms.apply(to: tokens)
        for i in tokens.indices where !tokens[i].isEntity {
            tokens[i].stem = EnglishStemmer.stem(tokens[i].text)
        }
        return AnalyzedText(sanitized: sanitized, tokens: tokens, entities: found, corrections: corrections, truncated: truncated)
    }

    /// Stems for a run of authored words (pattern literals, examples): fold, synonyms, stem; no spelling.
    public func stems(ofAuthored words: [String]) -> [String] {
        let tokens = normalizer.tokenize(normalizer.sanitize(words.joined(separator: " ")))
        return synonyms.apply(to: tokens).map { EnglishStemmer.stem($0.text) }
    }

    /// Replaces the tokens each match covers with one `@entity` token.
    static func replaceEntities(_ matches: [EntityMatch], in tokens: [Token]) -> [Token] {
        guard !matches.isEmpty else { return tokens }
        var out: [Token] = []
        var m = 0
        var i = 0
        while i < tokens.count {
            while m < matches.count, matches[m].end <= tokens[i].range.lowerBound { m += 1 }
            if m < matches.count, matches[m].range.overlaps(tokens[i].range) {
                let match = matches[m]
                out.append(Token(text: "@" + match.entity, range: match.range, isEntity: true))
                while i < tokens.count, tokens[i].range.lowerBound < match.end { i += 1 }
                m += 1
                continue
            }
            out.append(tokens[i])
            i += 1
        }
        return out
    }
}
