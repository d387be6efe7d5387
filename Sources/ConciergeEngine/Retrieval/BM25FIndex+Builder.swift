import Foundation

extension BM25FIndex {
    /// Builds an index one document at a time. It keeps each document's term counts per field, not
    /// its words, and weighs the postings once every document is in (a posting's weight needs the
    /// fields' average lengths), so a large help centre is indexed in little more memory than the
    /// index itself takes.
    ///
    /// ```swift
    /// var builder = BM25FIndex.Builder(parameters: ArticleRetriever.defaultParameters)
    /// builder.add([["return", "polici"], [], ["you", "can", "return"]])
    /// let index = builder.finish()
    /// ```
    public struct Builder {
        public let parameters: Parameters
        private var termIDs: [String: Int32] = [:]
        /// Document d's (term, counts) pairs are `documentPairs[d]..<documentPairs[d + 1]`.
        private var documentPairs: [Int] = [0]
        private var pairTerm: [Int32] = []
        /// One count per field for each pair (saturating at `UInt16.max`).
        private var pairCounts: [UInt16] = []
        /// The summed length of each field over the documents so far.
        private var totalLength: [Double]
        /// Each document's field lengths, field-major within a document.
        private var fieldLengths: [Int32] = []
        /// How many documents hold each term.
        private var documentFrequency: [Int32] = []

        public init(parameters: Parameters) {
            self.parameters = parameters
            totalLength = [Double](repeating: 0, count: parameters.weights.count)
        }

        /// The number of documents added.
        public var documentCount: Int { documentPairs.count - 1 }

        /// Adds the next document: one list of stems per field.
        public mutating func add(_ fields: [[String]]) {
            let fieldCount = parameters.weights.count
            precondition(fields.count == fieldCount, "every document needs one entry per field")
            let first = pairTerm.count
            var local: [Int32: Int] = [:]
            for f in 0..<fieldCount {
                totalLength[f] += Double(fields[f].count)
                fieldLengths.append(Int32(clamping: fields[f].count))
                // A field that weighs nothing adds no postings (nor terms).
                guard parameters.weights[f] > 0 else { continue }
                for stem in fields[f] {
                    let term: Int32
                    if let existing = termIDs[stem] {
                        term = existing
                    } else {
                        term = Int32(documentFrequency.count)
                        termIDs[stem] = term
                        documentFrequency.append(0)
                    }
                    let pair: Int
                    if let existing = local[term] {
                        pair = existing
                    } else {
                        pair = pairTerm.count
                        local[term] = pair
                        pairTerm.append(term)
                        pairCounts.append(contentsOf: repeatElement(0, count: fieldCount))
                        documentFrequency[Int(term)] += 1
                    }
                    let slot = pair * fieldCount + f
                    if pairCounts[slot] < UInt16.max { pairCounts[slot] += 1 }
                }
            }
            precondition(pairTerm.count - first == local.count, "one pair per term and document")
            documentPairs.append(pairTerm.count)
        }

        /// The index of every document added.
        public consuming func finish() -> BM25FIndex {
            let fieldCount = parameters.weights.count
            let documents = documentCount
            var averageLength = totalLength
            for f in 0..<fieldCount { averageLength[f] = max(1, averageLength[f] / Double(max(1, documents))) }
            let n = Double(documents)
            var idf: [Float] = []
            var termIDF: [Double] = []
            var start: [Int32] = [0]
            idf.reserveCapacity(documentFrequency.count)
            termIDF.reserveCapacity(documentFrequency.count)
            for df in documentFrequency {
                let value = log(1 + (n - Double(df) + 0.5) / (Double(df) + 0.5))
                termIDF.append(value)
                idf.append(Float(value))
                start.append(start[start.count - 1] + df)
            }
            // Each term's postings in document order, weighed: the combined frequency adds each
            // occurrence's field weight over the field's normalised length, saturated by k1.
            var next = start
            var postingDocument = [Int32](repeating: 0, count: pairTerm.count)
            var postingWeight = [Float](repeating: 0, count: pairTerm.count)
            var norms = [Double](repeating: 0, count: fieldCount)
            for d in 0..<documents {
                for f in 0..<fieldCount {
                    let length = Double(fieldLengths[d * fieldCount + f])
                    norms[f] = 1 - parameters.b[f] + parameters.b[f] * length / averageLength[f]
                }
                for pair in documentPairs[d]..<documentPairs[d + 1] {
                    var tf = 0.0
                    for f in 0..<fieldCount where parameters.weights[f] > 0 {
                        let occurrence = parameters.weights[f] / norms[f]
                        for _ in 0..<pairCounts[pair * fieldCount + f] { tf += occurrence }
                    }
                    let term = Int(pairTerm[pair])
                    let slot = Int(next[term])
                    next[term] += 1
                    postingDocument[slot] = Int32(d)
                    postingWeight[slot] = Float(termIDF[term] * tf * (parameters.k1 + 1) / (tf + parameters.k1))
                }
            }
            pairTerm = []
            pairCounts = []
            fieldLengths = []
            let lists = PostingLists(start: start, documents: postingDocument, weights: postingWeight)
            return BM25FIndex(parameters: parameters, documentCount: documents, termIDs: termIDs, lists: lists, idf: idf)
        }
    }
}
