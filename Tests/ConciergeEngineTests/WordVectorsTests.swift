import Foundation
import Testing

@testable import ConciergeEngine

/// The table format and its use in the features, on small tables written here (the bundled table's
/// own tests are in ConciergeKnowledgeTests).
@Suite struct WordVectorsTests {
    /// A table in `WordVectors`' layout: words sorted by bytes, int8 components with a per-word scale.
    static func table(_ words: [(String, [Float])]) -> Data {
        let sorted = words.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
        let dims = sorted.first?.1.count ?? 1
        var keys: [UInt8] = []
        var offsets: [UInt32] = [0]
        for (word, _) in sorted {
            keys += Array(word.utf8)
            offsets.append(UInt32(keys.count))
        }
        let keysOffset = 32 + 4 * offsets.count
        var vectorsOffset = keysOffset + keys.count
        vectorsOffset += (4 - vectorsOffset % 4) % 4
        var data = Data("CWV1".utf8)
        func append(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        for value in [1, sorted.count, dims, keysOffset, keys.count, vectorsOffset, 0] { append(UInt32(value)) }
        offsets.forEach(append)
        data.append(contentsOf: keys)
        data.append(contentsOf: [UInt8](repeating: 0, count: vectorsOffset - keysOffset - keys.count))
        for (_, vector) in sorted {
            let scale = max(vector.map(abs).max() ?? 0, 1e-9) / 127
            withUnsafeBytes(of: scale.bitPattern.littleEndian) { data.append(contentsOf: $0) }
            for value in vector { data.append(UInt8(bitPattern: Int8((value / scale).rounded()))) }
        }
        return data
    }

    static let small: [(String, [Float])] = [
        ("refund", [1, 0.2, 0, 0]), ("money", [0.9, 0.3, 0, 0.1]), ("back", [0.6, 0.5, 0.1, 0]),
        ("password", [0, 0, 1, 0.2]), ("reset", [0, 0.1, 0.9, 0.3]), ("login", [0.1, 0, 0.8, 0.4]),
        ("hello", [0, 0, 0, 1]), ("a", [0.1, 0.1, 0.1, 0.1]), ("zebra", [-1, 0, 0, 0]),
    ]

    @Test func readsWordsByBinarySearch() throws {
        let table = try WordVectors(bytes: Self.table(Self.small))
        #expect(table.count == Self.small.count)
        #expect(table.dimension == 4)
        for (word, vector) in Self.small {
            let read = try #require(table.vector(for: word), "\(word) is in the table")
            for (x, y) in zip(read, vector) { #expect(abs(x - y) < 0.01) }
        }
        for missing in ["", "refunds", "refun", "aa", "zzz", "@order_number", "b"] {
            #expect(table.vector(for: missing) == nil, "\(missing) is not in the table")
        }
    }

    @Test func similarWordsAreCloser() throws {
        let table = try WordVectors(bytes: Self.table(Self.small))
        let near = try #require(table.similarity("refund", "money"))
        let far = try #require(table.similarity("refund", "password"))
        #expect(near > far)
    }

    @Test func readsFromASliceOfLargerData() throws {
        var data = Data([9, 9, 9])
        data.append(Self.table(Self.small))
        let table = try WordVectors(bytes: data.dropFirst(3))
        #expect(table.contains("login"))
    }

    @Test func rejectsBytesThatAreNotATable() {
        let good = Self.table(Self.small)
        #expect(throws: WordVectors.LoadError.truncated(expected: 32, actual: 5)) { try WordVectors(bytes: Data("CWV1x".utf8)) }
        #expect(throws: WordVectors.LoadError.notAWordVectorTable) { try WordVectors(bytes: Data(repeating: 7, count: 64)) }
        var version = good
        version[4] = 2
        #expect(throws: WordVectors.LoadError.unsupportedVersion(2)) { try WordVectors(bytes: version) }
        #expect(throws: WordVectors.LoadError.truncated(expected: good.count, actual: good.count - 1)) {
            try WordVectors(bytes: good.dropLast())
        }
        var offsets = good
        offsets[32 + 4 * 2] = 0xFF  // the second word's end far past the keys
        #expect(throws: WordVectors.LoadError.self) { try WordVectors(bytes: offsets) }
        #expect((try? WordVectors(bytes: offsets)) == nil)
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(WordVectors.LoadError.truncated(expected: 100, actual: 10).description.contains("truncated"))
        #expect(WordVectors.LoadError.notAWordVectorTable.description.contains("CWV1"))
    }

    @Test func featuresGainADenseBlockAfterTheHashedOnes() throws {
        let table = try WordVectors(bytes: Self.table(Self.small))
        let analyzer = TextAnalyzer()
        let documents = ["refund please", "reset my password"].map { analyzer.analyze($0).tokens }
        let plain = FeatureExtractor(training: documents)
        let dense = FeatureExtractor(training: documents, wordVectors: table)
        #expect(dense.dimension == plain.dimension + table.dimension)
        #expect(dense.vectorBlockStart == plain.dimension)
        // "money back" shares no n-gram... but its words have vectors, near "refund"'s.
        let vector = dense.vector(for: analyzer.analyze("money back").tokens)
        let block = zip(vector.indices, vector.values).filter { Int($0.0) >= dense.vectorBlockStart }
        #expect(block.count == table.dimension)
        let length = block.map { $0.1 * $0.1 }.reduce(0, +).squareRoot()
        #expect(abs(length - dense.configuration.vectorWeight) < 1e-4)
        #expect(vector.indices == vector.indices.sorted())
        // Unknown words add nothing; no known word, no block.
        let none = dense.vector(for: analyzer.analyze("qwxz").tokens)
        #expect(none.indices.allSatisfy { Int($0) < dense.vectorBlockStart })
        // A zero weight turns the block off.
        var off = FeatureExtractor.Configuration()
        off.vectorWeight = 0
        #expect(FeatureExtractor(training: documents, configuration: off, wordVectors: table).dimension == plain.dimension)
    }

    @Test func theClassifierGeneralisesThroughTheVectors() throws {
        let table = try WordVectors(bytes: Self.table(Self.small))
        let knowledge = KnowledgeBase(
            intents: [
                Intent(name: "refund", examples: ["refund", "i want a refund", "refund please"]),
                Intent(name: "password", examples: ["reset password", "password reset please", "i need a password"]),
                Intent(name: "greeting", examples: ["hello", "hello there", "well hello"]),
            ], wordVectors: table)
        let engine = Engine(knowledge: knowledge)
        let match = engine.matcher.match(engine.analyzer.analyze("money back"))
        let best = try #require(match.best)
        #expect(engine.knowledge.intents[best.intent].name == "refund")
        let again = Engine(knowledge: knowledge).matcher.match(engine.analyzer.analyze("money back"))
        #expect(again == match, "deterministic bit for bit")
    }
}
