import Testing

@testable import ConciergeEngine

@Suite struct IntentMatcherTests {
    let engine = Fixtures.engine

    func best(_ message: String) -> (name: String, confidence: Double, evidence: IntentMatcher.Evidence)? {
        let match = engine.matcher.match(engine.analyzer.analyze(message))
        guard let best = match.best else { return nil }
        return (engine.knowledge.intents[best.intent].name, best.confidence, match.evidence)
    }

    @Test(arguments: [
        ("has my parcel shipped yet", "order_status"),
        ("wheres my oder", "order_status"),
        ("can I send this lamp back", "return_policy"),
        ("my money back hasn't arrived", "refund_status"),
        ("how much do you charge for shipping", "shipping_cost"),
        ("hello there!", "greeting"),
        ("thank you very much", "thanks"),
    ])
    func recognisesParaphrases(message: String, intent: String) {
        #expect(best(message)?.name == intent)
    }

    @Test func patternsWinWithTheirOwnEvidence() throws {
        let match = try #require(best("where is my order??"))
        #expect(match.name == "order_status")
        #expect(match.evidence == .pattern("where is my (order|parcel)"))
        #expect(match.confidence == IntentMatcher.patternConfidence)
    }

    @Test func confidencesAreProbabilities() {
        for message in ["where is my order", "zebra quantum", "refund", "hi"] {
            let match = engine.matcher.match(engine.analyzer.analyze(message))
            for candidate in match.candidates {
                #expect(candidate.confidence >= 0 && candidate.confidence <= 1)
            }
            #expect(match.candidates.map(\.confidence) == match.candidates.map(\.confidence).sorted(by: >))
        }
    }

    @Test func sureMessagesScoreAboveVagueOnes() throws {
        let sure = try #require(best("when will i get my refund"))
        let vague = try #require(best("my thing"))
        #expect(sure.confidence > vague.confidence)
    }

    @Test func trainingIsDeterministicBitForBit() {
        let again = Engine(knowledge: Fixtures.knowledge())
        for message in ["where is my order", "refund please", "can i return a rug", "blah blah", "shipping to alaska?"] {
            let a = engine.matcher.match(engine.analyzer.analyze(message))
            let b = again.matcher.match(again.analyzer.analyze(message))
            #expect(a == b, "same knowledge and input give the same result for “\(message)”")
        }
    }
}

@Suite struct ArticleRetrieverTests {
    let engine = Fixtures.engine

    func top(_ message: String) -> String? {
        engine.retriever.search(engine.analyzer.analyze(message)).first.map { engine.knowledge.articles[$0.article].id }
    }

    @Test func findsArticlesByTitleQuestionsAndBody() {
        #expect(top("can I put my skillet in the dishwasher") == "cast-iron-care")
        #expect(top("seasoning cast iron") == "cast-iron-care")
        #expect(top("how long do refunds take to arrive") == "refund-timelines")
        #expect(top("mattress trial") == "return-policy")
    }

    @Test func returnsNothingForUnrelatedOrOnlyCommonWords() {
        #expect(top("zebra quantum") == nil)
        #expect(top("the and of") == nil)
        #expect(top("is it the one") == nil)
    }

    @Test func ranksBestFirstWithConfidences() {
        let hits = engine.retriever.search(engine.analyzer.analyze("cast iron dishwasher"))
        #expect(!hits.isEmpty)
        #expect(hits.map(\.score) == hits.map(\.score).sorted(by: >))
        #expect(hits.allSatisfy { $0.confidence > 0 && $0.confidence < 1 })
    }
}
