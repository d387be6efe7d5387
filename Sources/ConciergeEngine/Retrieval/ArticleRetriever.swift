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

    /// Default field tuning: the title and questions say what an article answers; the body says much else.
    public static let defaultParameters = BM25FIndex.Parameters(weights: [3.0, 2.0, 1.0], b: [0.5, 0.5, 0.75], k1: 1.2)

    let index: BM25FIndex
    /// The most weight a query term can add, per idf unit: (k1 + 1).
    let saturation: Double

    public init(articles: [Article], analyzer: TextAnalyzer, parameters: BM25FIndex.Parameters = defaultParameters) {
        let documents = articles.map { article -> [[String]] in
            [
                Self.terms(analyzer.analyzeAuthored(article.title)),
                Self.terms(analyzer.analyzeAuthored(article.questions.joined(separator: "\n"))),
                Self.terms(analyzer.analyzeAuthored((article.summary ?? "") + "\n" + article.body)),
            ]
        }
        index = BM25FIndex(documents: documents, parameters: parameters)
        saturation = parameters.k1 + 1
    }

    /// Retrieval terms: stems without stopwords and entity placeholders.
    static func terms(_ tokens: [Token]) -> [String] {
        tokens.compactMap { $0.isEntity || Stopwords.english.contains($0.stem) ? nil : $0.stem }
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
        guard !terms.isEmpty else { return [] }
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
        /// The coverage at and above which the logistic's confidence is kept whole; below, it shrinks in proportion.
        public var fullCoverage: Double

        public func confidence(_ f: Features) -> Double {
            let p = 1 / (1 + exp(-(share * f.share + margin * f.margin + intercept)))
            return p * min(1, f.coverage / fullCoverage)
        }
    }

    /// The calibration in use.
    public var calibration = ArticleRetriever.defaultCalibration

    /// The logistic was fitted on StackFAQ (an unrelated FAQ collection, so not tuned to any one
    /// knowledge base) as the probability that the best article is the right one; `concierge eval
    /// retrieval` prints the fit for other data. The coverage rule is by design: an article that shares
    /// less than half of the question's weight cannot confidently be its answer.
    public static let defaultCalibration = Calibration(share: 1.11, margin: 16.9, intercept: -1.34, fullCoverage: 0.5)

}

extension TextAnalyzer {
    /// Analyses authored text (titles, bodies): like a message, but without spelling correction
    /// and without a length limit.
    public func analyzeAuthored(_ text: String) -> [Token] {
        var tokens = normalizer.tokenize(TextNormalizer(maximumScalars: Int.max / 2).sanitize(text))
        tokens = synonyms.apply(to: tokens)
        for i in tokens.indices { tokens[i].stem = EnglishStemmer.stem(tokens[i].text) }
        return tokens
    }
}
