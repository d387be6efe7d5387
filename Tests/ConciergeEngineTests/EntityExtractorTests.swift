import Testing

@testable import ConciergeEngine

@Suite struct EntityExtractorTests {
    let analyzer = Fixtures.engine.analyzer

    @Test func findsOrderNumbersNormalised() {
        let text = analyzer.analyze("hi, order a10234 hasn't arrived")
        #expect(text.entities.map(\.value) == ["A10234"])
        #expect(text.entities.first?.entity == "order_number")
        #expect(text.tokens.contains { $0.text == "@order_number" && $0.isEntity })
    }

    @Test func findsEmailsWithoutAlsoFindingTheirParts() {
        let text = analyzer.analyze("my email is Maya.Chen@Example.com")
        #expect(text.entities.map(\.entity) == ["email"])
        #expect(text.entities.first?.value == "maya.chen@example.com")
    }

    @Test func findsProductsFromLookupListsAndKeepsTheirWords() {
        let text = analyzer.analyze("how do I wash my linen duvet?")
        #expect(text.entities.map(\.value) == ["Linen Duvet Cover"])
        #expect(text.tokens.map(\.text).contains("duvet"))
    }

    @Test func findsAProductNamedInThePlural() {
        #expect(analyzer.analyze("both oak tables arrived").entities.map(\.value) == ["Oak Table"])
        #expect(analyzer.analyze("the linen duvet covers").entities.map(\.value) == ["Linen Duvet Cover"])
        #expect(analyzer.analyze("an oak tablet").entities.isEmpty)
    }

    @Test func findsSeveralInMessageOrder() {
        let text = analyzer.analyze("orders A10234 and A10235 for the oak table")
        #expect(text.entities.map(\.value) == ["A10234", "A10235", "Oak Table"])
    }

    @Test func findsNothingInPlainText() {
        #expect(analyzer.analyze("where is my parcel").entities.isEmpty)
    }
}

@Suite struct TokenPatternTests {
    let analyzer = Fixtures.engine.analyzer

    func matches(_ pattern: String, _ message: String) throws -> Bool {
        try TokenPattern(pattern, stems: analyzer.stems(ofAuthored:)).matches(analyzer.analyze(message).tokens)
    }

    @Test func matchesWordsByStemAnywhere() throws {
        #expect(try matches("track order", "can you track orders for me"))
        #expect(try !matches("track order", "order tracking"))
    }

    @Test func alternativesOptionalsAndWildcards() throws {
        #expect(try matches("where is my (order|parcel)", "so where is my package?"))  // package → parcel by synonym
        #expect(try matches("cancel [my] order", "cancel order"))
        #expect(try matches("cancel [my] order", "cancel my order"))
        #expect(try matches("refund * card", "refund back onto my credit card"))
        #expect(try !matches("refund * card", "card refund"))
    }

    @Test func entities() throws {
        #expect(try matches("track {order_number}", "track A10234"))
        #expect(try !matches("track {order_number}", "track it"))
    }

    @Test func syntaxErrorsSayWhere() {
        #expect(throws: TokenPattern.SyntaxError.self) { try TokenPattern("where (is|", stems: { $0 }) }
        do {
            _ = try TokenPattern("track ]", stems: { $0 })
            Issue.record("expected a syntax error")
        } catch {
            #expect(error.column == 7)
        }
        #expect(throws: TokenPattern.SyntaxError.self) { try TokenPattern("*", stems: { $0 }) }
        #expect(throws: TokenPattern.SyntaxError.self) { try TokenPattern("a {} b", stems: { $0 }) }
    }
}
