public import ConciergeEngine

/// A deterministic generator of a large help centre, for measuring at scale: articles whose words
/// follow a Zipf distribution over a made-up vocabulary (as real text does), and queries built from
/// an article's words with some noise, each naming the article that answers it.
///
/// ```swift
/// let articles = SyntheticKnowledge.articles(count: 10_000)          // the same every run
/// let queries = SyntheticKnowledge.queries(for: articles, count: 1_000)
/// ```
///
/// The vocabulary grows with the number of articles (Heaps' law), so 100,000 articles hold about
/// 8 million postings, as a real help centre of that size would.
public enum SyntheticKnowledge {
    /// A query and the id of the article it was made from.
    public struct Query: Sendable, Hashable {
        public var text: String
        public var articleID: String
    }

    /// `count` articles, ids `syn-000001`...; the same `count` and `seed` give the same articles.
    public static func articles(count: Int, seed: UInt64 = 1) -> [Article] {
        let vocabulary = Vocabulary(size: vocabularySize(forArticles: count))
        var random = SplitMix64(seed: seed)
        var articles: [Article] = []
        articles.reserveCapacity(count)
        for n in 1...max(count, 1) where n <= count {
            let titleLength = 3 + Int(random.next() % 6)
            let bodyLength = 60 + Int(random.next() % 140)
            // Each article has a few topic words of its own that it repeats: what makes it findable.
            let topics = (0..<3).map { _ in vocabulary.rare(&random) }
            var title: [String] = []
            for i in 0..<titleLength { title.append(i < 2 ? topics[i] : vocabulary.word(&random)) }
            var body: [String] = []
            body.reserveCapacity(bodyLength)
            for _ in 0..<bodyLength {
                body.append(random.next() % 10 == 0 ? topics[Int(random.next() % 3)] : vocabulary.word(&random))
            }
            var text = ""
            for (i, word) in body.enumerated() {
                text += word
                text += i + 1 == body.count ? "." : i % 15 == 14 ? ". " : " "
            }
            let id = "syn-" + String(n).leftPadded(to: 6)
            articles.append(Article(id: id, title: title.joined(separator: " ").capitalizedFirst, body: text.capitalizedFirst))
        }
        return articles
    }

    /// `count` queries over `articles`: three to seven words, mostly the article's own (title words
    /// weigh most), some common words and an unrelated one now and then.
    public static func queries(for articles: [Article], count: Int, seed: UInt64 = 2) -> [Query] {
        guard !articles.isEmpty else { return [] }
        let vocabulary = Vocabulary(size: vocabularySize(forArticles: articles.count))
        var random = SplitMix64(seed: seed)
        var queries: [Query] = []
        queries.reserveCapacity(count)
        for _ in 0..<count {
            let article = articles[Int(random.next() % UInt64(articles.count))]
            let title = article.title.lowercased().split(separator: " ").map(String.init)
            let body = article.body.lowercased().split(whereSeparator: { $0 == " " || $0 == "." }).map(String.init)
            let length = 3 + Int(random.next() % 5)
            var words: [String] = []
            for _ in 0..<length {
                switch random.next() % 10 {
                case 0..<4: words.append(title[Int(random.next() % UInt64(title.count))])
                case 4..<8: words.append(body[Int(random.next() % UInt64(body.count))])
                case 8: words.append(vocabulary.common(&random))
                default: words.append(vocabulary.word(&random))
                }
            }
            queries.append(Query(text: words.joined(separator: " "), articleID: article.id))
        }
        return queries
    }

    /// The articles as JSON Lines (`{"id","title","body"}`, one a line), as `concierge eval retrieval` reads them.
    public static func jsonLines(_ articles: [Article]) -> String {
        var out = ""
        for article in articles {
            out += "{\"id\":\"\(article.id)\",\"title\":\"\(article.title)\",\"body\":\"\(article.body)\"}\n"
        }
        return out
    }

    /// The queries as CSV (`query,article_id` with a header), as `concierge eval retrieval` reads them.
    public static func csv(_ queries: [Query]) -> String {
        "query,article_id\n" + queries.map { "\($0.text),\($0.articleID)\n" }.joined()
    }

    /// The number of distinct words for a collection of `count` articles (Heaps' law, K n^0.5).
    static func vocabularySize(forArticles count: Int) -> Int {
        max(2_000, Int(200 * Double(max(count, 1)).squareRoot()))
    }

    /// Made-up words from syllables, ranked: rank 0 is the most frequent.
    struct Vocabulary {
        let words: [String]
        /// Cumulative Zipf weights (exponent 1), for sampling by rank.
        let cumulative: [Double]
        static let syllables = [
            "ba", "be", "bi", "bo", "bu", "ca", "ce", "co", "da", "de", "di", "do", "fa", "fe", "fi", "fo", "ga", "ge", "go",
            "ha", "he", "hi", "ho", "ka", "ke", "ki", "ko", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "mu", "na",
            "ne", "ni", "no", "pa", "pe", "pi", "po", "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so", "ta", "te", "ti",
            "to", "tu", "va", "ve", "vi", "vo", "za", "ze", "zo", "lan", "mar", "tor", "ven", "sil", "dur", "kel", "pra",
        ]

        init(size: Int) {
            var words: [String] = []
            words.reserveCapacity(size)
            var seen: Set<String> = []
            var random = SplitMix64(seed: 0x5EED)
            while words.count < size {
                // Frequent words are short, rare ones longer, as in real text.
                let length = 2 + min(3, words.count / 2_000) + Int(random.next() % 2)
                var word = ""
                for _ in 0..<length { word += Self.syllables[Int(random.next() % UInt64(Self.syllables.count))] }
                if seen.insert(word).inserted { words.append(word) }
            }
            self.words = words
            var total = 0.0
            var cumulative: [Double] = []
            cumulative.reserveCapacity(size)
            for rank in 0..<size {
                total += 1 / (Double(rank) + 2.7)
                cumulative.append(total)
            }
            self.cumulative = cumulative.map { $0 / total }
        }

        /// A word drawn by its Zipf frequency.
        func word(_ random: inout SplitMix64) -> String {
            let u = Double(random.next() >> 11) / Double(1 << 53)
            var low = 0, high = cumulative.count - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] < u { low = mid + 1 } else { high = mid }
            }
            return words[low]
        }

        /// One of the 100 most frequent words.
        func common(_ random: inout SplitMix64) -> String { words[Int(random.next() % UInt64(min(100, words.count)))] }

        /// A word from the rarer half of the vocabulary (an article's topic).
        func rare(_ random: inout SplitMix64) -> String {
            let half = words.count / 2
            return words[half + Int(random.next() % UInt64(words.count - half))]
        }
    }
}

extension String {
    fileprivate func leftPadded(to length: Int) -> String {
        count >= length ? self : String(repeating: "0", count: length - count) + self
    }

    fileprivate var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
