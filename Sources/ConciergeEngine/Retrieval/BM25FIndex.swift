import Foundation

/// A BM25F index: documents with several weighted fields, scored against a bag of query stems.
///
/// Each field has a weight and its own length normalisation `b`; a term's frequencies in the fields
/// are combined before saturation (`k1`), so a word in the title counts more than the same word in
/// the body without one long field drowning the others. Because a posting's weight does not depend
/// on the query, it is computed once when the index is built (`BM25FIndex.Builder`), and a search
/// scores only documents that can still reach the top (`PrunedSearch`).
public struct BM25FIndex: Sendable {
    /// The tuning of the index.
    public struct Parameters: Sendable, Hashable {
        /// Per-field weights, parallel to the documents' fields.
        public var weights: [Double]
        /// Per-field length normalisation in 0...1.
        public var b: [Double]
        /// Term-frequency saturation.
        public var k1: Double

        public init(weights: [Double], b: [Double], k1: Double = 1.2) {
            precondition(weights.count == b.count, "one b per field weight")
            self.weights = weights
            self.b = b
            self.k1 = k1
        }
    }

    /// One scored document.
    public struct Hit: Sendable, Hashable {
        public var document: Int
        public var score: Double
        /// The summed inverse document frequency of the query terms the document contains.
        public var matchedIDF: Double = 0
    }

    public let parameters: Parameters
    public let documentCount: Int
    private(set) var termIDs: [String: Int32] = [:]
    /// The postings, compact (see `PostingLists`).
    let lists: PostingLists
    private(set) var idf: [Float] = []

    /// An index from its parts as `write(to:)` wrote them: `terms[i]` is the stem of term `i`.
    init(parameters: Parameters, documentCount: Int, terms: [String], lists: PostingLists, idf: [Float]) {
        var termIDs: [String: Int32] = [:]
        termIDs.reserveCapacity(terms.count)
        for (i, term) in terms.enumerated() { termIDs[term] = Int32(i) }
        self.init(parameters: parameters, documentCount: documentCount, termIDs: termIDs, lists: lists, idf: idf)
    }

    /// An index from its parts, `termIDs` mapping each stem to its term id.
    init(parameters: Parameters, documentCount: Int, termIDs: [String: Int32], lists: PostingLists, idf: [Float]) {
        self.parameters = parameters
        self.documentCount = documentCount
        self.termIDs = termIDs
        self.lists = lists
        self.idf = idf
    }

    /// Indexes `documents`, each a list of fields, each field a list of stems.
    public init(documents: [[[String]]], parameters: Parameters) {
        var builder = Builder(parameters: parameters)
        for document in documents { builder.add(document) }
        self = builder.finish()
    }

    /// The collection size from which `search` prunes.
    static let pruningThreshold = 32_768

    /// The number of postings (document, term pairs).
    public var postingCount: Int { lists.postingCount }

    /// The bytes the index's tables take: postings, their blocks, the terms and their idf.
    public var byteCount: Int {
        lists.byteCount + idf.count * 4 + termIDs.keys.reduce(0) { $0 + $1.utf8.count + 8 }
    }

    /// The inverse document frequency of `stem`, or nil when no document has it.
    public func inverseDocumentFrequency(of stem: String) -> Double? {
        termIDs[stem].map { Double(idf[Int($0)]) }
    }

    /// The best `limit` documents for `stems` (each distinct stem counted once), best first; ties go
    /// to the document indexed first. Pruned (`PrunedSearch`) where that pays, with the same result,
    /// bit for bit, as adding up every posting (`exhaustiveSearch`).
    public func search(_ stems: [String], limit: Int = 10) -> [Hit] {
        guard limit > 0, documentCount > 0 else { return [] }
        let terms = distinctTerms(stems)
        guard !terms.isEmpty else { return [] }
        // Below some 30,000 documents, clearing a score per document and adding every posting costs
        // less than bounding candidates (measured with `eval retrieval` on synthetic help centres:
        // 10,000 articles favour adding, 100,000 favour pruning by three times).
        guard documentCount >= Self.pruningThreshold else { return exhaustive(terms, limit: limit) }
        // Bounding a candidate costs about what adding ten postings or clearing twenty scores does:
        // past that budget the query is one of common words, and adding everything is cheaper.
        let postings = lists.withTables { tables in terms.reduce(0) { $0 + tables.postingCount(of: $1) } }
        let budget = max(64, (documentCount + 2 * postings) / 20)
        if let hits = PrunedSearch(lists: lists, limit: limit).run(terms: terms, idf: idf, budget: budget) {
            // A damaged file cannot name a document past the end: such a hit is dropped, never indexed.
            return hits.filter { $0.document < documentCount }
        }
        return exhaustive(terms, limit: limit)
    }

    /// The same as `search`, by adding up every posting of every term, as a plain loop over arrays
    /// would: the reference the pruned search is tested against, and the cost pruning is measured from.
    public func exhaustiveSearch(_ stems: [String], limit: Int = 10) -> [Hit] {
        guard limit > 0, documentCount > 0 else { return [] }
        return exhaustive(distinctTerms(stems), limit: limit)
    }

    /// The same as `search`, always pruned (for tests of the pruning itself).
    func prunedSearch(_ stems: [String], limit: Int = 10) -> [Hit] {
        guard limit > 0, documentCount > 0 else { return [] }
        let terms = distinctTerms(stems)
        guard !terms.isEmpty else { return [] }
        return (PrunedSearch(lists: lists, limit: limit).run(terms: terms, idf: idf) ?? []).filter { $0.document < documentCount }
    }

    /// Term at a time: every posting's weight added to its document's score, terms in the query's order.
    func exhaustive(_ terms: [Int], limit: Int) -> [Hit] {
        var scores = [Float](repeating: 0, count: documentCount)
        var matched = [Float](repeating: 0, count: documentCount)
        let buffer = UnsafeMutablePointer<Int32>.allocate(capacity: PostingLists.blockSize)
        defer { buffer.deallocate() }
        let documents = documentCount
        scores.withUnsafeMutableBufferPointer { scores in
            matched.withUnsafeMutableBufferPointer { matched in
                lists.withTables { tables in
                    for term in terms {
                        let termIDF = idf[term]
                        var previous: Int32 = -1
                        for b in Int(tables.termBlocks[term])..<Int(tables.termBlocks[term + 1]) {
                            let count = PostingLists.decode(
                                bytes: tables.documentBytes, from: Int(tables.blockBytes[b]), to: Int(tables.blockBytes[b + 1]), after: previous,
                                into: buffer)
                            let first = Int(tables.blockPostings[b])
                            for k in 0..<count {
                                let document = Int(buffer[k])
                                guard document >= 0, document < documents else { continue }
                                scores[document] += tables.weights[first + k]
                                matched[document] += termIDF
                            }
                            previous = tables.blockLast[b]
                        }
                    }
                }
            }
        }
        var hits = Self.top(scores, limit: limit)
        for i in hits.indices { hits[i].matchedIDF = Double(matched[hits[i].document]) }
        return hits
    }

    /// The ids of the stems the index knows, each once, in the query's order (the order scores add up in).
    func distinctTerms(_ stems: [String]) -> [Int] {
        var terms: [Int] = []
        for stem in stems {
            guard let term = termIDs[stem].map(Int.init), !terms.contains(term) else { continue }
            terms.append(term)
        }
        return terms
    }

    /// The largest inverse document frequency any term can have (a term in one document).
    public var maximumIDF: Double { log(1 + (Double(documentCount) - 0.5) / 1.5) }

    /// The `limit` highest positive scores, best first, ties by lower index.
    static func top(_ scores: [Float], limit: Int) -> [Hit] {
        var best: [Hit] = []
        best.reserveCapacity(limit + 1)
        for (d, score) in scores.enumerated() where score > 0 {
            if best.count == limit, Double(score) <= best[limit - 1].score { continue }
            var i = best.count
            while i > 0, best[i - 1].score < Double(score) { i -= 1 }
            best.insert(Hit(document: d, score: Double(score)), at: i)
            if best.count > limit { best.removeLast() }
        }
        return best
    }
}
