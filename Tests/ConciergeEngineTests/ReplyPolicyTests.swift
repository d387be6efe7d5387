import Testing

@testable import ConciergeEngine

@Suite struct ReplyPolicyTests {
    @Test func answersConfidentQuestionsFromTheirArticle() {
        let turn = assertReply("where is my order?", action: .answer, intent: "order_status", article: "track-your-order")
        #expect(turn.reply == "Every order gets a tracking link by email as soon as it ships.")
        #expect(turn.explanation.matchedBy == "pattern")
    }

    @Test func answersWithAnInlineResponse() {
        let turn = assertReply("how much does shipping cost", action: .answer, intent: "shipping_cost")
        #expect(turn.reply.contains("$6.95"))
    }

    @Test func answersFromRetrievalWhenNoIntentCoversIt() {
        assertReply("can cast iron go in the dishwasher", action: .answer, article: "cast-iron-care")
    }

    @Test func smalltalkIsShort() {
        let hello = assertReply("hello!", action: .smalltalk, intent: "greeting")
        #expect(hello.reply == "Hi! How can I help?")
        assertReply("thanks a lot", action: .smalltalk, intent: "thanks")
    }

    @Test func saysHonestlyWhenItDoesNotKnow() {
        let turn = assertReply("zebra quantum flux", action: .fallback)
        #expect(turn.intent == nil)
        #expect(turn.reply.contains("not sure"))
        #expect(turn.explanation.decision.hasPrefix("Out of scope"))
    }

    @Test func declinesOffTopicRequestsHonestly() {
        let turn = assertReply("what's the weather like on mars", action: .fallback, intent: "off_topic")
        #expect(turn.reply.contains("only help with"))
    }

    @Test func requestForAPersonHandsOffAtOnce() {
        let turn = assertReply("agent", action: .handoff, intent: "human_request")
        #expect(turn.handoff?.reason == .customerRequest)
        #expect(turn.handoff?.queue == "general")
    }

    @Test func keepsEntitiesInMemory() {
        var state = ConversationState(id: "t")
        let turn = Fixtures.engine.respond(to: "my order A10234 is late, email me at maya@example.com", in: &state, now: Fixtures.now)
        #expect(turn.slots["order_number"] == "A10234")
        #expect(turn.slots["email"] == "maya@example.com")
    }

    /// An engine that clarifies whenever two candidates are anywhere near each other.
    static let clarifyingEngine: Engine = {
        var settings = Settings()
        settings.clarifyMargin = 0.99
        settings.answerThreshold = 0.3
        settings.fallbackThreshold = 0.01
        return Engine(knowledge: Fixtures.knowledge(settings: settings))
    }()

    func clarification() -> (ConversationState, Turn) {
        var state = ConversationState(id: "t")
        let turn = Self.clarifyingEngine.respond(to: "refund or return", in: &state, now: Fixtures.now)
        return (state, turn)
    }

    @Test func asksOneClarifyingQuestionWithNumberedChoices() throws {
        let (state, turn) = clarification()
        #expect(turn.action == .clarify)
        #expect(turn.reply.contains("1. "))
        #expect(turn.reply.contains("2. "))
        guard case .clarification(let choices) = state.pending else {
            Issue.record("expected a pending clarification")
            return
        }
        #expect(choices.count >= 2)
    }

    @Test(arguments: ["2", "the second one", "second", "number 2", "2nd please"])
    func acceptsTheChoiceByNumber(answer: String) throws {
        var (state, turn) = clarification()
        guard case .clarification(let choices) = state.pending else { return }
        turn = Self.clarifyingEngine.respond(to: answer, in: &state, now: Fixtures.now)
        #expect(turn.action == .answer)
        #expect("intent:" + (turn.intent?.name ?? "") == choices[1].key || turn.articles.first.map { "article:" + $0.id } == choices[1].key)
    }

    @Test func acceptsTheChoiceByItsWords() throws {
        var (state, _) = clarification()
        guard case .clarification(let choices) = state.pending else { return }
        let labels = choices.map(\.label)
        let wanted = try #require(labels.firstIndex(of: "Check a refund"))
        let turn = Self.clarifyingEngine.respond(to: "check a refund", in: &state, now: Fixtures.now)
        #expect(turn.action == .answer)
        #expect(turn.intent?.name == "refund_status", "choice \(wanted + 1) of \(labels)")
    }

    @Test func noneOfThemAfterClarifyingHandsOffForLowConfidence() {
        var (state, _) = clarification()
        let turn = Self.clarifyingEngine.respond(to: "neither", in: &state, now: Fixtures.now)
        #expect(turn.action == .handoff)
        #expect(turn.handoff?.reason == .lowConfidence)
        #expect(turn.reply.contains("person"))
    }

    @Test func anUnrelatedAnswerIsReadAfresh() {
        var (state, _) = clarification()
        let turn = Self.clarifyingEngine.respond(to: "how much is shipping to my house", in: &state, now: Fixtures.now)
        #expect(turn.intent?.name == "shipping_cost")
    }
}

@Suite struct StrangeInputTests {
    @Test(arguments: [
        "", "   ", "\t\t", "\u{0}\u{0}\u{0}", "🙂🙂🙂", "!!!???...", "\u{1B}[2J\u{1B}[H", "שלום, איפה ההזמנה שלי?",
        "مرحبا، أين طلبي؟", "注文はどこですか", "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇", "\u{202E}redro ym si erehw", "\u{FEFF}hi",
    ])
    func neverCrashesAndAlwaysReplies(message: String) {
        var state = ConversationState(id: "t")
        let turn = Fixtures.engine.respond(to: message, in: &state, now: Fixtures.now)
        #expect(!turn.reply.isEmpty)
        #expect(turn.number == 1)
    }

    @Test func emptyMessageGetsAPrompt() {
        let turn = assertReply("", action: .fallback)
        #expect(turn.reply == Settings().texts.empty)
    }

    @Test func punctuationOnlyIsNotAnAnswer() {
        let turn = assertReply("?!?!", action: .fallback)
        #expect(turn.reply == Settings().texts.noWords)
    }

    @Test func invalidUTF8IsRepairedNotFatal() {
        let bytes: [UInt8] = [0x77, 0x68, 0x65, 0x72, 0x65, 0xFF, 0xFE, 0x20, 0x6F, 0x72, 0x64, 0x65, 0x72]
        let message = String(decoding: bytes, as: UTF8.self)
        assertReply(message, action: .answer, intent: "order_status")
    }

    @Test func aMegabyteLineIsAnalysedUpToTheLimit() {
        let huge = String(repeating: "where is my order ", count: 60_000)
        #expect(huge.utf8.count > 1_000_000)
        var state = ConversationState(id: "t")
        let turn = Fixtures.engine.respond(to: huge, in: &state, now: Fixtures.now)
        #expect(turn.intent?.name == "order_status")
        #expect(turn.customer.utf8.count == huge.utf8.count)
    }
}

@Suite struct RedactorTests {
    @Test(arguments: [
        ("my card is 4111 1111 1111 1111", "my card is [card number removed]"),
        ("card 4242-4242-4242-4242 exp 12/27", "card [card number removed] exp [card expiry removed]"),
        ("my password is hunter2!", "my password is [password removed]"),
        ("password: Tr0ub4dor&3", "password: [password removed]"),
        ("the cvv is 123", "the cvv is [security code removed]"),
        ("ssn 123-45-6789", "ssn [social security number removed]"),
        ("my mother's maiden name is Smith", "my mother's maiden name is [security answer removed]"),
        ("card 4111.1111.1111.1111 please", "card [card number removed] please"),
        ("my card is ４１１１ １１１１ １１１１ １１１１", "my card is [card number removed]"),
        ("iban DE89 3704 0044 0532 0130 00 for the refund", "iban [IBAN removed] for the refund"),
        ("send it to GB82WEST12345698765432", "send it to [IBAN removed]"),
        ("passwd hunter2", "passwd [password removed]"),
        ("my password's Sunflower", "my password's [password removed]"),
        ("password: sunflower", "password: [password removed]"),
        ("I use Sunflower77 as my password", "I use [password removed] as my password"),
        ("the answer to my security question is Rex", "the answer to my security question is [security answer removed]"),
        ("answer: Rex", "answer: [security answer removed]"),
        ("card ends 1111, exp 04/27", "card ends 1111, exp [card expiry removed]"),
        ("4111 1111 1111 1111 08/2028", "[card number removed] [card expiry removed]"),
    ])
    func masksWhatMustNeverBeStored(message: String, masked: String) {
        #expect(Redactor.mask(message).text == masked)
    }

    @Test(arguments: [
        "order A10234 and order A10235", "my password is not working", "I forgot my password", "call 503-555-0147",
        "I paid $1,299.00 on 11/03/2026", "tracking 1Z8A47W29464070231", "1234567890123 is not a card",
        "I forgot my password yesterday", "my password doesn't work", "password reset link please", "the answer is no", "DE89 is not an iban",
        "order A10234 expected 11/20",
    ])
    func leavesEverythingElseAlone(message: String) {
        #expect(Redactor.mask(message).text == message)
    }

    @Test func aCardSplitOverTwoMessagesIsMaskedInBoth() {
        let first = Redactor.mask("my card number is 4111 1111")
        #expect(first.text == "my card number is [card number removed]")
        #expect(first.endsWithPartialCard)
        let second = Redactor.mask("1111 1111", continuingCard: true)
        #expect(second.text == "[card number removed]")
        #expect(Redactor.mask("1111 1111").text == "1111 1111", "without the first half, digits are digits")
    }
}
