import Foundation

/// Finds the help-centre articles that answer a message: BM25F over each article's title, its
/// alternative questions and its body, with a confidence for the best hits.
public struct ArticleRetriever: Sendable {
    /// One article that may answer the message.
    public struct Hit: Sendable, Hashable {
        /// The article's index in the knowledge base.
        public var article: Int
        /// The BM25F score.
        public var score: Double
        /// The probability that this article answers the message.
        public var confidence: Double
    }

    /// Default field tuning: the title and the alternative questions say what an article answers and
    /// weigh ten times the body, which says much else. A high `k1` lets repeated evidence keep counting.
    /// Tuned on a declared fifth of StackFAQ's queries; nearby values score the same (a plateau).
    public static let defaultParameters = BM25FIndex.Parameters(weights: [10, 10, 1], b: [0.5, 0.5, 1.0], k1: 10)

    /// The index the retriever scores with.
    public let index: BM25FIndex

    /// The bytes the retrieval index takes (see `BM25FIndex.byteCount`).
    public var indexBytes: Int { index.byteCount }
    /// The index's postings (document, term pairs).
    public var postingCount: Int { index.postingCount }
    /// The most weight a query term can add, per idf unit: (k1 + 1).
    let saturation: Double

    public init(articles: [Article], analyzer: TextAnalyzer, parameters: BM25FIndex.Parameters = defaultParameters) {
        var words: [String: Int] = [:]
        self.init(articles: articles, analyzer: analyzer, parameters: parameters, countingWords: &words)
    }

    /// Indexes `articles` and adds every word they use, as typed (before synonyms), to `words` with
    /// its number of occurrences: the speller's vocabulary, counted on the same pass so a large help
    /// centre is read once. `analyzer`'s speller is not used (authored text is never corrected).
    public init(
        articles: [Article], analyzer: TextAnalyzer, parameters: BM25FIndex.Parameters = defaultParameters,
        countingWords words: inout [String: Int]
    ) {
        // One article at a time: only the index's counts outlive an article's words.
        var builder = BM25FIndex.Builder(parameters: parameters)
        for article in articles {
            builder.add([
                Self.terms(analyzer.analyzeAuthored(article.title, countingWords: &words)),
                Self.terms(analyzer.analyzeAuthored(article.questions.joined(separator: "\n"), countingWords: &words)),
                Self.terms(analyzer.analyzeAuthored((article.summary ?? "") + "\n" + article.body, countingWords: &words)),
            ])
        }
        index = builder.finish()
        saturation = parameters.k1 + 1
    }

    /// A retriever from its parts as `write(to:)` wrote them.
    init(index: BM25FIndex, calibration: Calibration) {
        self.index = index
        saturation = index.parameters.k1 + 1
        self.calibration = calibration
    }

    /// Retrieval terms: the stems, without entity placeholders and bare numbers (a "2" in a question
    /// says nothing about which article answers it). Common words stay: their low inverse document
    /// frequency already makes them weigh little, and removing them loses phrasing that matters.
    public static func terms(_ tokens: [Token]) -> [String] {
        tokens.compactMap { token in
            token.isEntity || token.stem.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) ? nil : token.stem
        }
    }

    /// The best `limit` articles for an analysed message, best first.
    public func search(_ text: AnalyzedText, limit: Int = 3) -> [Hit] {
        scored(text, limit: limit).map { hit, features in
            Hit(article: hit.document, score: hit.score, confidence: calibration.confidence(features))
        }
    }

    /// The best hits with the evidence their confidence is computed from (for fitting a calibration).
    public func scored(_ text: AnalyzedText, limit: Int = 3) -> [(hit: BM25FIndex.Hit, features: Features)] {
        let terms = Self.terms(text.tokens)
        // A message of only common words ("is it the one") says nothing about which article is meant.
        guard terms.contains(where: { !Stopwords.english.contains($0) }) else { return [] }
        let hits = index.search(terms, limit: limit + 1)
        guard !hits.isEmpty else { return [] }
        // The query's weight: every distinct term's idf; a word no article uses counts as the rarest.
        var total = 0.0
        var attainable = 0.0
        var seen: Set<String> = []
        for term in terms where seen.insert(term).inserted {
            let idf = index.inverseDocumentFrequency(of: term)
            total += idf ?? index.maximumIDF
            attainable += (idf ?? 0) * saturation
        }
        guard attainable > 0, total > 0 else { return [] }
        return hits.prefix(limit).enumerated().map { rank, hit in
            let next = rank + 1 < hits.count ? hits[rank + 1].score : 0
            return (hit, Features(coverage: hit.matchedIDF / total, share: hit.score / attainable, margin: (hit.score - next) / attainable))
        }
    }

    /// The evidence a hit's confidence is computed from.
    public struct Features: Sendable, Hashable {
        /// The share of the query's weight (idf) that the article contains: how much of the question it covers.
        public var coverage: Double
        /// The score as a share of what the query could score at most.
        public var share: Double
        /// The lead over the next article, as a share of what the query could score.
        public var margin: Double
    }

    /// A logistic function of the score's share and margin, scaled down when the article covers too
    /// little of the question to be its answer.
    public struct Calibration: Sendable, Hashable {
        public var share: Double
        public var margin: Double
        public var intercept: Double
        /// At and below this coverage the article cannot be the answer (confidence 0)...
        public var noCoverage: Double
        /// ...and at and above this one the logistic's confidence is kept whole; in between it grows linearly.
        public var fullCoverage: Double

        public func confidence(_ f: Features) -> Double {
            let p = 1 / (1 + exp(-(share * f.share + margin * f.margin + intercept)))
            return p * min(1, max(0, (f.coverage - noCoverage) / (fullCoverage - noCoverage)))
        }
    }

    /// The calibration in use.
    public var calibration = ArticleRetriever.defaultCalibration

    /// The logistic was fitted on StackFAQ (an unrelated FAQ collection, so not tuned to any one
    /// knowledge base) as the probability that the best article is the right one; `concierge eval
    /// retrieval` prints the fit for other data. The coverage rule is by design, because a FAQ collection
    /// has no out-of-scope questions to learn it from: an article that holds less than 20% of the
    /// question's weight (its rare words count most) is not its answer, and one holding 60% or more is
    /// judged by the fit alone.
    public static let defaultCalibration = Calibration(share: 3.46, margin: 6.08, intercept: -0.06, noCoverage: 0.2, fullCoverage: 0.6)

}

extension TextAnalyzer {
    /// Analyses authored text (titles, bodies): like a message, but without spelling correction
    /// and without a length limit.
    public func analyzeAuthored(_ text: String) -> [Token] {
        stemAuthored(normalizer.tokenize(TextNormalizer(maximumScalars: Int.max / 2).sanitize(text)))
    }

    /// Analyses authored text and adds each word, as written (before synonyms), to `words`.
    func analyzeAuthored(_ text: String, countingWords words: inout [String: Int]) -> [Token] {
        let tokens = normalizer.tokenize(TextNormalizer(maximumScalars: Int.max / 2).sanitize(text))
        for token in tokens { words[token.text, default: 0] += 1 }
        return stemAuthored(tokens)
    }

    private func stemAuthored(_ words: [Token]) -> [Token] {
        var tokens = synonyms.apply(to: words)
        for i in tokens.indices { tokens[i].stem = EnglishStemmer.stem(tokens[i].text) }
        return tokens
    }
}
