import Foundation
import Testing

@testable import ConciergeEngine

/// The act readers, one by one, and their handlers on the small fixture knowledge.
@Suite struct PersonRequestReaderTests {
    static func words(_ text: String) -> [String] {
        Fixtures.engine.analyzer.analyze(text).tokens.map(\.text)
    }

    @Test(arguments: [
        "agent", "human pls", "fine, yes, put me through", "find me a real one", "could somebody from payments check this",
        "this is useless, get me a human", "can i talk to someone", "I'd like to speak with a representative please",
        "connect me to your team", "is there a human i can talk to", "escalate this", "i want a real person not a bot",
        "ok can someone just do both for me", "can somebody fix this for me",
    ])
    func asksForAPerson(_ message: String) {
        #expect(PersonRequestReader.read(Self.words(message)), "“\(message)”")
    }

    @Test(arguments: [
        "are you a person?", "wait is this a bot or a real person", "my mum wants to know if ur a robot lol",
        "can someone else pick up my order", "i dont need a human, just tell me the return window", "where is my order",
        "the delivery person left it outside", "can i get another one in blue", "can someone pick it up for me",
        "does usps need someone to sign for it",
    ])
    func doesNotAskForAPerson(_ message: String) {
        #expect(!PersonRequestReader.read(Self.words(message)), "“\(message)”")
    }

    @Test func handsOffAsTheCustomersRequestWhateverTheMatcherSays() {
        var state = ConversationState(id: "t")
        _ = Fixtures.engine.respond(to: "how much is shipping", in: &state, now: Fixtures.now)
        let turn = Fixtures.engine.respond(to: "could somebody from payments check this", in: &state, now: Fixtures.now)
        #expect(turn.action == .handoff)
        #expect(turn.handoff?.reason == .customerRequest)
        #expect(turn.explanation.acts.contains { $0.kind == .requestPerson && $0.won })
    }
}

@Suite struct ClosingReaderTests {
    @Test(arguments: ["k", "ok thanks, going to do it now", "perfect, that's all, have a good one", "Thank you so much, that's really helpful.", "cool ty"])
    func closes(_ message: String) {
        #expect(ClosingReader.read(PersonRequestReaderTests.words(message)), "“\(message)”")
    }

    @Test(arguments: ["thanks, and does it expire?", "ok how long does shipping take", "great, can i return it"])
    func doesNotCloseAQuestion(_ message: String) {
        #expect(!ClosingReader.read(PersonRequestReaderTests.words(message)), "“\(message)”")
    }

    @Test(arguments: [
        "ok thanks, I'll wait and see if it shows up tomorrow", "no thanks, we'll just measure the doorway again first",
        "cool, I think I'll order it tonight then", "thanks for clearing that up, I'll try the app",
        "alright, maybe we'll come by the store on saturday. thank you",
    ])
    func closesWithAPlanOrWhatItThanksFor(_ message: String) {
        #expect(ClosingReader.read(PersonRequestReaderTests.words(message), asks: message.contains("?")), "“\(message)”")
    }

    @Test(arguments: [
        "thanks, I'll need a refund though", "ok I'll wait, but when will it ship?", "thanks, i still havent got my refund",
        "ok ill send it back, do i need the original box", "thanks I'll wait, where do I track it",
    ])
    func aPlanThatAsksOrRequestsIsNotAClosing(_ message: String) {
        #expect(!ClosingReader.read(PersonRequestReaderTests.words(message), asks: message.contains("?")), "“\(message)”")
    }

    @Test func aPlanWithAValueIsNotAClosing() {
        #expect(!ClosingReader.read(["ok", "thanks", "ill", "wait", "for", "@order_number"], values: true))
    }

    @Test func aClosingAfterAnAnswerIsSmallTalkNotAFollowUp() {
        var state = ConversationState(id: "t")
        _ = Fixtures.engine.respond(to: "how much is shipping", in: &state, now: Fixtures.now)
        let turn = Fixtures.engine.respond(to: "ok great thanks, that's all", in: &state, now: Fixtures.now)
        #expect(turn.action == .smalltalk)
        #expect(turn.intent?.name == "thanks")
        #expect(turn.explanation.followUpOf == nil)
    }
}

@Suite struct MessageSegmenterTests {
    @Test func cutsAtSentencesAndClausesButNotInsideValues() {
        #expect(
            MessageSegmenter.segments(of: "hi! it's A10234, email maya.chen@example.com. has it shipped? it was $3.50")
                == ["hi", "it's A10234", "email maya.chen@example.com", "has it shipped?", "it was $3.50"])
    }

    @Test func greetingsAndValuesAroundARequestDoNotDiluteIt() {
        let turn = assertReply(
            "hello there, good morning, order A10234, email maya.chen@example.com, how much is shipping?", action: .answer,
            intent: "shipping_cost")
        #expect(turn.explanation.acts.contains { $0.kind == .smalltalk && $0.evidence.contains("hello there") })
        #expect(turn.explanation.acts.contains { $0.kind == .inform && $0.detail == "order_number = A10234" })
    }

    @Test func aGreetingWithoutACommaDoesNotDiluteTheRequest() {
        let turn = assertReply("hey how much is shipping to my place", action: .answer, intent: "shipping_cost")
        #expect(turn.explanation.acts.contains { $0.kind == .smalltalk && $0.evidence.contains("hey") })
    }

    @Test func aStatementIsNotASecondQuestion() {
        #expect(MessageSegmenter.isQuestion("also how much is shipping", words: ["also", "how", "much", "is", "shipping"]))
        #expect(!MessageSegmenter.isQuestion("bought towels last week", words: ["bought", "towels", "last", "week"]))
    }

    @Test func aSecondQuestionIsAnsweredToo() {
        let turn = assertReply("what is your return policy? also how much is shipping to my house", action: .answer)
        #expect(turn.reply.contains("30 days"), "the return policy: \(turn.reply)")
        #expect(turn.reply.contains("$6.95"), "and the shipping cost: \(turn.reply)")
    }
}

@Suite struct FollowUpReaderTests {
    /// An elliptical question ("and is that free over 75?"), and one with no pointing word that is
    /// unsure on its own and names little of its own ("so i am stuck with the mattress?").
    @Test(arguments: [
        ("how much is shipping", "and is that free over 75?", "shipping_cost"),
        ("what is your return policy", "so i am stuck with the mattress?", "return_policy"),
    ])
    func aFollowUpStaysOnTheTopic(first: String, then: String, topic: String) {
        var state = ConversationState(id: "t")
        let answer = Fixtures.engine.respond(to: first, in: &state, now: Fixtures.now)
        #expect(answer.intent?.name == topic)
        let turn = Fixtures.engine.respond(to: then, in: &state, now: Fixtures.now)
        #expect(turn.intent?.name == topic, "\(turn.explanation.decision)")
        #expect(turn.explanation.acts.contains { $0.kind == .followUp })
    }

    @Test func anUnsureMessageWithASubjectOfItsOwnIsNotClaimedByTheTopic() {
        var state = ConversationState(id: "t")
        _ = Fixtures.engine.respond(to: "what is your return policy", in: &state, now: Fixtures.now)
        let turn = Fixtures.engine.respond(to: "my friend reckons skillets rust when washed in dishwashers", in: &state, now: Fixtures.now)
        #expect(turn.intent?.name != "return_policy", "\(turn.explanation.decision)")
    }

    @Test func isEllipticalOnlyWithoutASubjectOfItsOwn() {
        let engine = Fixtures.engine
        #expect(engine.isElliptical(engine.analyzer.analyze("is that yearly?")))
        #expect(engine.isElliptical(engine.analyzer.analyze("and the address?")))
        #expect(!engine.isElliptical(engine.analyzer.analyze("how long does it take for a refund to reach my bank account")))
    }
}

@Suite struct YesNoTests {
    @Test func readsAnAnswerThatOpensTheMessage() {
        #expect(YesNo.readLeading(["no", "thanks", "ill", "see", "if", "a", "second", "box", "turns", "up", "first"], question: false) == .no)
        #expect(YesNo.readLeading(["yeah", "go", "on", "then"], question: false) == .yes)
        #expect(YesNo.readLeading(["yes", "but", "how", "long", "will", "it", "take"], question: true) == .unclear)
    }
}

@Suite struct ResponseTemplateTests {
    @Test func aClauseWithABlankColumnIsLeftOut() {
        let template = "Order {order_id} is being prepared; it hasn't shipped yet. You'll get a tracking email as soon as it leaves, and it should arrive by {eta}."
        let filled = ResponseTemplate.fillDroppingEmpty(template) { ["order_id": "A10251", "eta": ""][$0] }
        #expect(filled == "Order A10251 is being prepared; it hasn't shipped yet. You'll get a tracking email as soon as it leaves.")
        let full = ResponseTemplate.fillDroppingEmpty(template) { ["order_id": "A10251", "eta": "November 3"][$0] }
        #expect(full.hasSuffix("and it should arrive by November 3."))
    }
}

@Suite struct SpellingTests {
    @Test func commonWordsAreNotCorrected() {
        let text = Fixtures.engine.analyzer.analyze("could somebody check this")
        #expect(text.tokens.map(\.text).prefix(2) == ["could", "somebody"])
    }
}

@Suite struct FewExamplesTests {
    @Test func anIntentWithThreeExamplesStillAnswers() {
        var knowledge = Fixtures.knowledge()
        knowledge.intents.append(
            Intent(
                name: "assembly", label: "Furniture assembly",
                examples: ["can you assemble my furniture", "do you offer assembly", "will someone build the bed frame for me"],
                response: "Our delivery team assembles furniture for free.", queue: "shipping"))
        let engine = Engine(knowledge: knowledge)
        let turn = assertReply("do you offer assembly for a bed frame", engine: engine, action: .answer, intent: "assembly")
        #expect(turn.reply == "Our delivery team assembles furniture for free.")
    }
}

@Suite struct SettingsTextTests {
    @Test func handoffAndMemoryRepliesComeFromSettings() {
        var settings = Settings()
        settings.texts.noted = "Noted: {values}."
        let engine = Engine(knowledge: Fixtures.knowledge(settings: settings))
        var state = ConversationState(id: "t")
        let turn = engine.respond(to: "A10234", in: &state, now: Fixtures.now)
        #expect(turn.reply == "Noted: A10234.")
    }
}
