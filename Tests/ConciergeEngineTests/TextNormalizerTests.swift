import Testing

@testable import ConciergeEngine

@Suite struct TextNormalizerTests {
    let normalizer = TextNormalizer()

    func words(_ text: String) -> [String] { normalizer.tokenize(normalizer.sanitize(text)).map(\.text) }

    @Test func foldsCaseAccentsAndApostrophes() {
        #expect(words("Where's my ORDER?") == ["wheres", "my", "order"])
        #expect(words("Café crème brûlée") == ["cafe", "creme", "brulee"])
        #expect(words("don’t") == ["dont"])
        #expect(words("Straße") == ["strasse"])
    }

    @Test func keepsDigitsAndSplitsOnPunctuation() {
        #expect(words("order A10234, please!") == ["order", "a10234", "please"])
        #expect(words("maya.chen@example.com") == ["maya", "chen", "example", "com"])
        #expect(words("$1,299.00") == ["1", "299", "00"])
    }

    @Test func tokenRangesPointIntoTheSanitisedText() {
        let tokens = normalizer.tokenize("hi A10234")
        #expect(tokens.map(\.range) == [0..<2, 3..<9])
    }

    @Test func controlCharactersBecomeSpaces() {
        #expect(normalizer.sanitize("a\u{0}b\u{7}c\td\u{1B}[31m") == "a b c d [31m")
        #expect(words("hello\u{0}world") == ["hello", "world"])
    }

    @Test func emojiAndSymbolsSeparateWords() {
        #expect(words("thanks🙂so much") == ["thanks", "so", "much"])
        #expect(words("🙂🙂🙂 ??? !!!").isEmpty)
    }

    @Test func otherScriptsMakeWords() {
        #expect(words("שלום עולם") == ["שלום", "עולם"])
        #expect(words("مرحبا") == ["مرحبا"])
        #expect(words("Привет МИР") == ["привет", "мир"])
        #expect(words("注文はどこ").count == 1)
    }

    @Test func longMessagesAreBounded() {
        let short = TextNormalizer(maximumScalars: 10)
        #expect(short.sanitize(String(repeating: "a", count: 1_000)).count == 10)
    }
}

@Suite struct SynonymTableTests {
    @Test func replacesPhrasesLongestFirst() {
        let table = SynonymTable(["refund": ["money back", "reimbursement"], "parcel": ["package"]])
        #expect(table.apply(to: ["i", "want", "my", "money", "back"]) == ["i", "want", "my", "refund"])
        #expect(table.apply(to: ["where", "is", "my", "package"]) == ["where", "is", "my", "parcel"])
        #expect(table.apply(to: ["money", "matters"]) == ["money", "matters"])
    }
}

@Suite struct SpellingCorrectorTests {
    let speller = SpellingCorrector(words: ["receive", "order", "order", "address", "delivery", "refund", "cancel", "parcel"])

    @Test func correctsOneEditInShortWords() {
        #expect(speller.correct("recieve") == "receive")  // a swap
        #expect(speller.correct("oder") == "order")  // a deletion
        #expect(speller.correct("adress") == "address")
        #expect(speller.correct("refnud") == "refund")
    }

    @Test func correctsTwoEditsInLongWords() {
        #expect(speller.correct("delivrey") == "delivery")
        #expect(speller.correct("dilevery") == "delivery")
    }

    @Test func leavesKnownShortAndFarWordsAlone() {
        #expect(speller.correct("order") == nil)
        #expect(speller.correct("ordr") == "order")
        #expect(speller.correct("the") == nil)
        #expect(speller.correct("xylophone") == nil)
        #expect(speller.correct("a10234") == nil)
        #expect(speller.correct("ünïcode") == nil)
    }

    @Test func prefersTheMoreFrequentWordOnATie() {
        let tie = SpellingCorrector(words: ["cart", "card", "card"])
        #expect(tie.correct("carx") == "card")
    }
}
