import ConciergeEngine
import ConciergeKnowledge
import Foundation
import Testing

/// The word-vector table that ships with Concierge, and what it does for a few-example intent.
@Suite struct BundledWordVectorsTests {
    func table() throws -> WordVectors {
        try #require(try BundledWordVectors.load(environment: [:]).get(), "the bundled table loads")
    }

    @Test func theBundledTableLoads() throws {
        let table = try table()
        #expect(table.count > 40_000)
        #expect(table.dimension == 224)
        for word in ["refund", "password", "delivery", "parcel", "wheres", "dont", "cant"] {
            #expect(table.vector(for: word)?.count == table.dimension, "\(word) has a vector")
        }
        #expect(table.vector(for: "Refund") == nil, "keys are folded words, as Token.text")
        #expect(table.vector(for: "qzxwv") == nil)
    }

    @Test(arguments: [
        ("arrive", "delivery", "password"), ("parcel", "package", "refund"), ("refund", "reimbursement", "password"),
        ("wheres", "where", "refund"), ("cancel", "stop", "parcel"),
    ])
    func similarWordsAreCloserThanUnrelatedOnes(word: String, near: String, far: String) throws {
        let table = try table()
        let a = try #require(table.similarity(word, near)), b = try #require(table.similarity(word, far))
        #expect(a > b, "\(word) is nearer \(near) (\(a)) than \(far) (\(b))")
    }

    @Test func aCorruptTableFileIsATypedError() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-wv-\(UUID().uuidString).bin")
        defer { try? FileManager.default.removeItem(at: url) }
        let bundled = try #require(BundledWordVectors.bundledURL)
        try Data(try Data(contentsOf: bundled).prefix(1_000)).write(to: url)
        guard case .failure(let failure) = BundledWordVectors.load(environment: [BundledWordVectors.environmentVariable: url.path]) else {
            Issue.record("a truncated table must not load")
            return
        }
        #expect(failure.reason.contains("truncated"))
        guard case .success(nil) = BundledWordVectors.load(environment: [BundledWordVectors.environmentVariable: "off"]) else {
            Issue.record("`off` turns the table off")
            return
        }
    }

    @Test func theLoaderHandsTheTableToTheKnowledge() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-kb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("intents"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        try "intents:\n  - name: hi\n    examples: [hello]\n    response: Hi!\n".write(
            to: root.appendingPathComponent("intents/a.yaml"), atomically: true, encoding: .utf8)
        let loaded = KnowledgeLoader.load(directory: root)
        #expect(loaded.knowledge.wordVectors?.count == (try table()).count)
    }

    /// Three examples per intent: "my money back please" shares no content word with the refund
    /// examples; the vectors know "money back" is about refunds.
    @Test func aFewExampleIntentMatchesAParaphraseItCouldNotBefore() throws {
        var knowledge = KnowledgeBase(
            intents: [
                Intent(name: "delivery_time", examples: ["when will my order arrive", "how long does delivery take", "what is the delivery date"]),
                Intent(name: "reset_password", examples: ["i forgot my password", "reset my password", "i cannot log in"]),
                Intent(name: "refund", examples: ["i want a refund", "refund my purchase", "can i get a refund"]),
            ], wordVectors: try table())
        func best(_ message: String) -> String? {
            let engine = Engine(knowledge: knowledge)
            return engine.matcher.match(engine.analyzer.analyze(message)).best.map { engine.knowledge.intents[$0.intent].name }
        }
        knowledge.settings.wordVectorWeight = 0
        #expect(best("my money back please") != "refund", "without the vectors the words say nothing about refunds")
        knowledge.settings.wordVectorWeight = nil
        #expect(best("my money back please") == "refund")
        #expect(best("locked out of my account") == "reset_password")
        #expect(best("where is my shipment") == "delivery_time")
    }
}
