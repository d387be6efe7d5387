import Foundation
import Testing

@testable import ConciergeEngine

/// The readers that read a message against the conversation (`Dialogue/`), on the fixture shop
/// with gift cards and the care of two products added: what the customer sees when each applies.
@Suite struct ConversationReaderTests {
    static let engine: Engine = {
        var knowledge = Fixtures.knowledge()
        knowledge.intents += [
            Intent(
                name: "gift_card_balance", label: "Gift card balance",
                examples: [
                    "how much is left on my gift card", "check my gift card balance", "gift card balance", "whats the balance on my card",
                    "how do i see what's left on a gift card", "balance of a gift card", "is there money left on my gift card",
                    "how much credit is on my gift card", "look up a gift card balance", "my gift card balance please",
                ],
                response: "Enter the card number at larkspur.example/balance to see what's left.", queue: "billing"),
            Intent(
                name: "redeem_gift_card", label: "Redeem a gift card",
                examples: [
                    "how do i use a gift card", "redeem a gift card", "where do i enter my gift card at checkout", "pay with a gift card",
                    "can i use two gift cards on one order", "apply my gift card", "using a gift card online", "gift card at checkout",
                    "spend my gift card", "how to pay using a gift card",
                ],
                response: "Enter the card number and PIN in the payment step at checkout.", queue: "billing"),
            Intent(
                name: "care_linen", label: "Linen care",
                examples: [
                    "how do i look after linen", "how to wash the linen duvet cover", "can linen go in the dryer", "caring for linen bedding",
                    "does linen shrink in the wash", "how should i clean my linen", "linen care instructions", "ironing linen",
                    "best way to wash linen sheets", "will linen soften over time",
                ],
                response: "Wash linen at 40°C on a gentle cycle and tumble dry low.", queue: "product"),
            Intent(
                name: "care_oak", label: "Oak furniture care",
                examples: [
                    "how do i look after the oak table", "how to oil an oak table", "can i use polish on oak", "caring for oak furniture",
                    "oak table care", "how should i clean my oak table", "the oak looks dry what do i do", "wood care for oak",
                    "how often do i oil oak", "water ring on my oak table",
                ],
                response: "Dust oak with a dry cloth and oil it twice a year.", queue: "product"),
            Intent(
                name: "not_helpful", label: "That didn't help",
                examples: [
                    "that didnt help", "not helpful", "that doesnt answer my question", "useless answer", "no that's not it",
                    "that's not what i asked", "you didn't help", "that was no help", "still not helpful", "this doesnt help me",
                ]),
            Intent(
                name: "bot_identity", label: "Am I talking to a bot?", kind: .smalltalk,
                examples: [
                    "are you a bot", "is this a robot", "am i talking to a computer", "are you real", "are you ai", "is this automated",
                    "are you a chatbot", "bot or human?", "is this a machine", "you're a bot aren't you",
                ],
                response: "I'm the shop's assistant, a bot; a person is one message away."),
        ]
        return Engine(knowledge: knowledge)
    }()

    struct Chat {
        var state = ConversationState(id: "readers")
        mutating func say(_ message: String) -> Turn { ConversationReaderTests.engine.respond(to: message, in: &state, now: Fixtures.now) }
    }

    // MARK: - A subject announced, nothing asked yet

    @Test(arguments: ["question about my gift card", "got a q about gift cards", "i have a quick question regarding my gift card"])
    func anAnnouncedSubjectOffersItsQuestions(_ message: String) {
        var chat = Chat()
        let turn = chat.say(message)
        #expect(turn.action == .clarify, "\(turn.explanation.decision)")
        #expect(turn.reply.contains("Gift card balance") && turn.reply.contains("Redeem a gift card"), "\(turn.reply)")
    }

    @Test func aSubjectWithAQuestionIsAnswered() {
        var chat = Chat()
        let turn = chat.say("question about my gift card: how much is left on it?")
        #expect(turn.action == .answer, "\(turn.explanation.decision)")
        #expect(turn.intent?.name == "gift_card_balance")
    }

    // MARK: - "That didn't help" needs an answer before it

    @Test func thatDidNotHelpAsTheFirstMessageIsNotReadAsSuch() {
        var chat = Chat()
        let first = chat.say("that was no help")
        #expect(first.intent?.name != "not_helpful", "nothing was said yet: \(first.explanation.decision)")
        var after = Chat()
        _ = after.say("how much is shipping")
        #expect(after.say("that was no help").intent?.name == "not_helpful")
    }

    @Test func noThatDidNotHelpEitherAfterTheOfferOfAPersonHandsOff() {
        var chat = Chat()
        _ = chat.say("how much is shipping")
        let offer = chat.say("that didnt help")
        #expect(offer.reply.contains("person"), "\(offer.explanation.decision)")
        let turn = chat.say("no, that didnt help either")
        #expect(turn.action == .handoff, "\(turn.explanation.decision)")
        #expect(turn.handoff?.reason == .repeatedFailure)
    }

    // MARK: - What the bot is

    @Test func aRoundaboutQuestionAboutTheBotIsAnswered() {
        var chat = Chat()
        let turn = chat.say("my mum keeps asking me whether ur a robot lol")
        #expect(turn.action == .smalltalk, "\(turn.explanation.decision)")
        #expect(turn.intent?.name == "bot_identity")
    }

    // MARK: - One plausible answer

    @Test func aVagueMessageWithOnePlausibleAnswerIsAYesOrNoQuestion() {
        var state = ConversationState(id: "one")
        let first = Fixtures.engine.respond(to: "something about my stuff", in: &state, now: Fixtures.now)
        #expect(first.action == .clarify)
        #expect(first.reply.contains("do you mean “Our return policy”?"), "\(first.reply)")
        let yes = Fixtures.engine.respond(to: "yes", in: &state, now: Fixtures.now)
        #expect(yes.action == .answer)
        #expect(yes.intent?.name == "return_policy")
    }

    // MARK: - Two things named: which?

    @Test func twoAlternativesAreAskedAbout() {
        var chat = Chat()
        let turn = chat.say("refund or return?")
        #expect(turn.action == .clarify, "\(turn.explanation.decision)")
        #expect(turn.reply.contains("Check a refund") && turn.reply.contains("Our return policy"), "\(turn.reply)")
        #expect(chat.say("2").intent?.name == "return_policy")
    }

    @Test func anOrInsideAQuestionIsNotAChoice() {
        var chat = Chat()
        let turn = chat.say("can i return it or is it too late now that a month has passed")
        #expect(!turn.explanation.decision.contains("names two things"), "\(turn.explanation.decision)")
    }

    // MARK: - A value instead of a choice

    @Test func aValueGivenInsteadOfAChoiceKeepsTheQuestion() {
        var chat = Chat()
        #expect(chat.say("question about my gift card").action == .clarify)
        let turn = chat.say("A10234")
        #expect(turn.action == .clarify, "\(turn.explanation.decision)")
        #expect(turn.reply.hasPrefix("Thanks, I've noted A10234."), "\(turn.reply)")
        #expect(turn.reply.contains("Redeem a gift card"), "the choices again: \(turn.reply)")
        let choice = chat.say("2")
        #expect(choice.intent?.name != nil && choice.action == .answer, "the question still stands: \(choice.explanation.decision)")
    }

    // MARK: - A pronoun for the thing named before

    @Test func aPronounStandsForTheProductNamedBefore() {
        var plain = Chat()
        #expect(plain.say("any tips for keeping it nice").action != .answer, "on its own it says too little")
        var chat = Chat()
        _ = chat.say("hi there, the oak table came today")
        let turn = chat.say("any tips for keeping it nice")
        #expect(turn.intent?.name == "care_oak", "\(turn.explanation.decision)")
        #expect(turn.explanation.acts.contains { $0.evidence.contains("pronoun") })
    }

    @Test func theOtherProductGivesTheOtherReading() {
        var chat = Chat()
        _ = chat.say("hi there, the linen duvet cover came today")
        #expect(chat.say("any tips for keeping it nice").intent?.name == "care_linen")
    }

    @Test func aFragmentNamingOnlyAThingAsksTheTopicsQuestionAboutIt() {
        var plain = Chat()
        #expect(plain.say("what about oak?").intent?.name == "care_oak", "on its own it is the oak's care")
        var chat = Chat()
        #expect(chat.say("what is your return policy").intent?.name == "return_policy")
        let turn = chat.say("what about oak?")
        #expect(turn.intent?.name == "return_policy", "\(turn.explanation.decision)")
        // Within the topic's own team the thing changes the question: the other product's care.
        var care = Chat()
        #expect(care.say("how do i look after linen").intent?.name == "care_linen")
        #expect(care.say("and the oak table?").intent?.name == "care_oak")
    }

    // MARK: - A long paragraph with its question inside

    @Test func theQuestionInsideAParagraphIsAnswered() {
        var chat = Chat()
        let turn = chat.say(
            "Hello! I hope you're well. We moved house last month and I've been slowly sorting everything out, and my aunt sent me a card for my birthday. I was wondering how much is left on my gift card? No rush at all, and thank you in advance!"
        )
        #expect(turn.action == .answer, "\(turn.explanation.decision)")
        #expect(turn.intent?.name == "gift_card_balance")
    }

    // MARK: - Follow-ups

    @Test func aDefiniteThingTheAnswerSpokeOfRefersToIt() {
        let engine = Self.engine
        let topic = ConversationState.Topic(key: "intent:return_policy", intent: "return_policy", article: "return-policy", turn: 1)
        // The return policy's answer says "within 30 days of delivery".
        #expect(engine.refersToAnswer(engine.analyzer.analyze("is the delivery day counted?"), topic: topic))
        #expect(!engine.refersToAnswer(engine.analyzer.analyze("is the oak table on sale?"), topic: topic))
        #expect(!engine.refersToAnswer(engine.analyzer.analyze("is delivery free"), topic: topic), "no “the”: not pointing back")
    }

    @Test func aFragmentStaysWithTheAnswerThatCoversIt() {
        var chat = Chat()
        #expect(chat.say("how much is shipping").intent?.name == "shipping_cost")
        let turn = chat.say("and for express?")
        #expect(turn.intent?.name == "shipping_cost", "\(turn.explanation.decision)")
    }
}

@Suite struct MessagePartsTests {
    @Test func aColonBeforeASpaceCutsButATimeDoesNot() {
        #expect(
            MessageSegmenter.segments(of: "two things: is pickup free at 10:30, and do you charge tax?")
                == ["two things", "is pickup free at 10:30", "and do you charge tax?"])
    }

    @Test func twoQuestionsJoinedByAndAreTwoParts() {
        #expect(MessageSegmenter.segments(of: "has it shipped and when does it get here") == ["has it shipped", "and when does it get here"])
        #expect(MessageSegmenter.segments(of: "the towels and sheets came today") == ["the towels and sheets came today"])
    }

    @Test func aGreetingRunIntoTheQuestionIsAPartOfItsOwn() {
        #expect(MessageSegmenter.segments(of: "hey did my order ship yet?") == ["hey", "did my order ship yet?"])
        #expect(MessageSegmenter.segments(of: "hi there can I return a sofa") == ["hi there", "can I return a sofa"])
        // Too little after it to be a request of its own, or no greeting at all.
        #expect(MessageSegmenter.segments(of: "hey there friend") == ["hey there friend"])
        #expect(MessageSegmenter.segments(of: "heyyy where is my order") == ["heyyy where is my order"])
        #expect(MessageSegmenter.segments(of: "they said it shipped") == ["they said it shipped"])
    }

    @Test func aLongMessageIsAlsoReadSentenceBySentence() {
        #expect(MessageSegmenter.sentences(of: "It came Monday, two days late. Could you tell me what can be done?") == [
            "It came Monday, two days late", "Could you tell me what can be done?",
        ])
        #expect(MessageSegmenter.sentences(of: "one sentence, with a comma") == [])
    }
}
