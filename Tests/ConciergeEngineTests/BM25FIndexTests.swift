import Foundation
import Testing

@testable import ConciergeEngine

@Suite struct BM25FIndexTests {
    @Test func titleWeightOutranksBody() {
        let index = BM25FIndex(
            documents: [[["lamp"], ["cord", "bulb", "shade"]], [["sofa"], ["lamp", "cushion", "leg"]]],
            parameters: .init(weights: [3, 1], b: [0.5, 0.75]))
        let hits = index.search(["lamp"])
        #expect(hits.map(\.document) == [0, 1])
        #expect(hits[0].score > hits[1].score)
    }

    @Test func rareTermsWeighMore() {
        let index = BM25FIndex(
            documents: [[["order", "late"]], [["order", "broken"]], [["order", "missing"]]], parameters: .init(weights: [1], b: [0.75]))
        #expect(index.inverseDocumentFrequency(of: "broken")! > index.inverseDocumentFrequency(of: "order")!)
        #expect(index.search(["order", "broken"]).first?.document == 1)
        #expect(index.inverseDocumentFrequency(of: "absent") == nil)
    }

    /// A collection shaped like a help centre: Zipf-distributed words, so a few terms are in most
    /// documents (lists of many blocks) and most are rare, over three fields of different lengths.
    static func collection(documents: Int, vocabulary: Int, seed: UInt64) -> [[[String]]] {
        var random = SplitMix64(seed: seed)
        // Zipf over the vocabulary by inverse transform on the cumulative weights 1/rank.
        var cumulative: [Double] = []
        var total = 0.0
        for rank in 1...vocabulary {
            total += 1 / Double(rank)
            cumulative.append(total)
        }
        func word() -> String {
            let u = Double(random.next() % 1_000_000) / 1_000_000 * total
            var low = 0, high = vocabulary - 1
            while low < high {
                let mid = (low + high) / 2
                if cumulative[mid] < u { low = mid + 1 } else { high = mid }
            }
            return "w\(low)"
        }
        return (0..<documents).map { _ in
            [
                (0..<Int(2 + random.next() % 6)).map { _ in word() },
                (0..<Int(random.next() % 12)).map { _ in word() },
                (0..<Int(10 + random.next() % 120)).map { _ in word() },
            ]
        }
    }

    static let parameters = BM25FIndex.Parameters(weights: [3, 2, 1], b: [0.3, 0.5, 0.75])

    @Test func prunedSearchReturnsExactlyTheExhaustiveTopK() {
        let documents = Self.collection(documents: 6_000, vocabulary: 4_000, seed: 7)
        let index = BM25FIndex(documents: documents, parameters: Self.parameters)
        var random = SplitMix64(seed: 11)
        var checked = 0
        for q in 0..<3_000 {
            // Words from a document (findable), from the whole vocabulary (noise), some repeated,
            // some unknown; one to twelve of them; limits from 1 to 25.
            let source = documents[Int(random.next() % UInt64(documents.count))].flatMap { $0 }
            let count = Int(1 + random.next() % 12)
            var query: [String] = (0..<count).map { _ in
                switch random.next() % 10 {
                case 0: "w\(random.next() % 4_000)"
                case 1: "unknown\(q)"
                default: source[Int(random.next() % UInt64(source.count))]
                }
            }
            if random.next() % 5 == 0, let first = query.first { query.append(first) }
            let limit = [1, 3, 4, 10, 11, 25][Int(random.next() % 6)]
            let pruned = index.prunedSearch(query, limit: limit)
            let exhaustive = index.exhaustiveSearch(query, limit: limit)
            #expect(pruned == exhaustive, "query \(q): \(query) limit \(limit)")
            #expect(index.search(query, limit: limit) == exhaustive)
            if pruned != exhaustive { return }
            checked += pruned.count
        }
        #expect(checked > 10_000)
    }

    @Test func postingListsDecodeToWhatWasIndexedInUnderTenBytesAPosting() {
        let documents = Self.collection(documents: 6_000, vocabulary: 4_000, seed: 3)
        let index = BM25FIndex(documents: documents, parameters: Self.parameters)
        // Every document holding a term is in its list, once, in order.
        var holders: [Int: [Int32]] = [:]
        for (d, document) in documents.enumerated() {
            for term in Set(document.flatMap { $0 }).compactMap({ index.termIDs[$0] }) { holders[Int(term), default: []].append(Int32(d)) }
        }
        for term in 0..<index.lists.termCount {
            #expect(index.lists.decode(term: term).map(\.document) == holders[term]!.sorted())
        }
        #expect(index.lists.validate(documentCount: documents.count))
        #expect(index.lists.termBlocks.withUnsafeBufferPointer { t in zip(t, t.dropFirst()).contains { $1 - $0 > 10 } })
        let perPosting = Double(index.lists.byteCount) / Double(index.postingCount)
        #expect(perPosting < 10, "\(perPosting) bytes a posting")
    }

    @Test func damagedPostingTablesAreRefused() {
        let index = BM25FIndex(documents: Self.collection(documents: 500, vocabulary: 300, seed: 5), parameters: Self.parameters)
        let lists = index.lists
        // A block claiming a last document past the end, and bytes that decode to another count.
        var last = lists.blockLast.array
        last[0] = 10_000
        let pastEnd = PostingLists(
            termBlocks: lists.termBlocks, termMaximum: lists.termMaximum, blockPostings: lists.blockPostings, blockBytes: lists.blockBytes,
            blockLast: PackedArray(last), blockMaximum: lists.blockMaximum, documentBytes: lists.documentBytes, weights: lists.weights)
        #expect(!pastEnd.validate(documentCount: 500))
        var bytes = lists.documentBytes.array
        bytes[0] |= 0x80
        let garbled = PostingLists(
            termBlocks: lists.termBlocks, termMaximum: lists.termMaximum, blockPostings: lists.blockPostings, blockBytes: lists.blockBytes,
            blockLast: lists.blockLast, blockMaximum: lists.blockMaximum, documentBytes: PackedArray(bytes), weights: lists.weights)
        #expect(!garbled.validate(documentCount: 500))
    }

    /// The streaming builder weighs every posting exactly as indexing all documents at once did
    /// (the formula written out here, summed occurrence by occurrence), bit for bit.
    @Test func builderWeighsAsTheDirectFormula() {
        let documents = Self.collection(documents: 800, vocabulary: 600, seed: 9)
        let parameters = Self.parameters
        let index = BM25FIndex(documents: documents, parameters: parameters)
        var average = [Double](repeating: 0, count: 3)
        for document in documents { for f in 0..<3 { average[f] += Double(document[f].count) } }
        for f in 0..<3 { average[f] = max(1, average[f] / Double(documents.count)) }
        var frequency: [String: Int] = [:]
        for document in documents { for stem in Set(document.flatMap { $0 }) { frequency[stem, default: 0] += 1 } }
        for (d, document) in documents.enumerated() {
            var combined: [String: Double] = [:]
            var order: [String] = []
            for f in 0..<3 {
                let norm = 1 - parameters.b[f] + parameters.b[f] * Double(document[f].count) / average[f]
                for stem in document[f] {
                    if combined[stem] == nil { order.append(stem) }
                    combined[stem, default: 0] += parameters.weights[f] / norm
                }
            }
            for stem in order {
                let tf = combined[stem]!, df = Double(frequency[stem]!)
                let idf = log(1 + (Double(documents.count) - df + 0.5) / (df + 0.5))
                let expected = Float(idf * tf * (parameters.k1 + 1) / (tf + parameters.k1))
                let posting = index.lists.decode(term: Int(index.termIDs[stem]!)).first { $0.document == Int32(d) }
                #expect(posting?.weight.bitPattern == expected.bitPattern, "document \(d), \(stem)")
            }
        }
    }
}
