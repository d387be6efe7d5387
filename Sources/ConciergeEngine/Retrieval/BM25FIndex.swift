import Foundation

/// A BM25F index: documents with several weighted fields, scored against a bag of query stems.
///
/// Each field has a weight and its own length normalisation `b`; a term's frequencies in the fields
/// are combined before saturation (`k1`), so a word in the title counts more than the same word in
/// the body without one long field drowning the others. Because a posting's weight does not depend
/// on the query, it is computed once when the index is built: scoring a query is one pass over the
/// postings of its terms.
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
    private(set) var postingStart = PackedArray<Int32>([])
    private(set) var postingDocument = PackedArray<Int32>([])
    private(set) var postingWeight = PackedArray<Float>([])
    private(set) var idf: [Float] = []

    /// An index from its parts as `write(to:)` wrote them: `terms[i]` is the stem of term `i`.
    init(
        parameters: Parameters, documentCount: Int, terms: [String], postingStart: PackedArray<Int32>, postingDocument: PackedArray<Int32>,
        postingWeight: PackedArray<Float>, idf: [Float]
    ) {
        self.parameters = parameters
        self.documentCount = documentCount
        var termIDs: [String: Int32] = [:]
        termIDs.reserveCapacity(terms.count)
        for (i, term) in terms.enumerated() { termIDs[term] = Int32(i) }
        self.termIDs = termIDs
        self.postingStart = postingStart
        self.postingDocument = postingDocument
        self.postingWeight = postingWeight
        self.idf = idf
    }

    /// Indexes `documents`, each a list of fields, each field a list of stems.
    public init(documents: [[[String]]], parameters: Parameters) {
        self.parameters = parameters
        documentCount = documents.count
        let fieldCount = parameters.weights.count
        var averageLength = [Double](repeating: 0, count: fieldCount)
        for document in documents {
            precondition(document.count == fieldCount, "every document needs one entry per field")
            for f in 0..<fieldCount { averageLength[f] += Double(document[f].count) }
        }
        for f in 0..<fieldCount { averageLength[f] = max(1, averageLength[f] / Double(max(1, documents.count))) }

        // term → [(document, weighted normalised tf)]
        var postings: [[(Int32, Double)]] = []
        for (d, document) in documents.enumerated() {
            var combined: [Int32: Double] = [:]
            for f in 0..<fieldCount where parameters.weights[f] > 0 {
                let length = Double(document[f].count)
                let norm = 1 - parameters.b[f] + parameters.b[f] * length / averageLength[f]
                for stem in document[f] {
                    let id: Int32
                    if let existing = termIDs[stem] {
                        id = existing
                    } else {
                        id = Int32(postings.count)
                        termIDs[stem] = id
                        postings.append([])
                    }
                    combined[id, default: 0] += parameters.weights[f] / norm
                }
            }
            for (term, tf) in combined.sorted(by: { $0.key < $1.key }) { postings[Int(term)].append((Int32(d), tf)) }
        }
        let n = Double(documents.count)
        var postingStart: [Int32] = [], postingDocument: [Int32] = [], postingWeight: [Float] = []
        for list in postings {
            let df = Double(list.count)
            let termIDF = log(1 + (n - df + 0.5) / (df + 0.5))
            idf.append(Float(termIDF))
            postingStart.append(Int32(postingDocument.count))
            for (document, tf) in list {
                postingDocument.append(document)
                postingWeight.append(Float(termIDF * tf * (parameters.k1 + 1) / (tf + parameters.k1)))
            }
        }
        postingStart.append(Int32(postingDocument.count))
        self.postingStart = PackedArray(postingStart)
        self.postingDocument = PackedArray(postingDocument)
        self.postingWeight = PackedArray(postingWeight)
    }

    /// The number of postings (document, term pairs).
    public var postingCount: Int { postingDocument.count }

    /// The bytes the index's tables take: postings, their starts, the terms and their idf.
    public var byteCount: Int {
        postingStart.count * 4 + postingDocument.count * 4 + postingWeight.count * 4 + idf.count * 4
            + termIDs.keys.reduce(0) { $0 + $1.utf8.count + 8 }
    }

    /// The inverse document frequency of `stem`, or nil when no document has it.
    public func inverseDocumentFrequency(of stem: String) -> Double? {
        termIDs[stem].map { Double(idf[Int($0)]) }
    }

    /// The best `limit` documents for `stems` (each distinct stem counted once), best first; ties go
    /// to the document indexed first.
    public func search(_ stems: [String], limit: Int = 10) -> [Hit] {
        guard limit > 0, documentCount > 0 else { return [] }
        var scores = [Float](repeating: 0, count: documentCount)
        var matched = [Float](repeating: 0, count: documentCount)
        var seen: Set<Int32> = []
        postingStart.withUnsafeBufferPointer { postingStart in
            postingDocument.withUnsafeBufferPointer { postingDocument in
                postingWeight.withUnsafeBufferPointer { postingWeight in
                    for stem in stems {
                        guard let term = termIDs[stem], seen.insert(term).inserted else { continue }
                        let start = Int(postingStart[Int(term)]), end = Int(postingStart[Int(term) + 1])
                        let termIDF = idf[Int(term)]
                        for p in start..<end {
                            let document = Int(postingDocument[p])
                            scores[document] += postingWeight[p]
                            matched[document] += termIDF
                        }
                    }
                }
            }
        }
        var hits = Self.top(scores, limit: limit)
        for i in hits.indices { hits[i].matchedIDF = Double(matched[hits[i].document]) }
        return hits
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
