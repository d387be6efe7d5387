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
        let terms = Self.terms(text.tokens)
        guard !terms.isEmpty else { return [] }
        let hits = index.search(terms, limit: limit + 1)
        guard !hits.isEmpty else { return [] }
        // What the query could score at most: every known term at full saturation.
        var attainable = 0.0
        var unknown = 0
        var seen: Set<String> = []
        for term in terms where seen.insert(term).inserted {
            if let idf = index.inverseDocumentFrequency(of: term) { attainable += idf * saturation } else { unknown += 1 }
        }
        guard attainable > 0 else { return [] }
        let known = Double(seen.count - unknown) / Double(seen.count)
        return hits.prefix(limit).enumerated().map { rank, hit in
            let share = hit.score / attainable
            let next = rank + 1 < hits.count ? hits[rank + 1].score / attainable : 0
            let previous = rank > 0 ? hits[rank - 1].score / attainable : share
            let margin = rank == 0 ? share - next : share - previous
            return Hit(article: hit.document, score: hit.score, confidence: Self.confidence(share: share, margin: margin, known: known))
        }
    }

    /// A logistic of the share of attainable score, the margin over the neighbour, and the share of
    /// query words the articles know at all.
    static func confidence(share: Double, margin: Double, known: Double) -> Double {
        let z = 7.0 * share + 5.0 * margin + 2.0 * known - 5.5
        return 1 / (1 + exp(-z))
    }
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
