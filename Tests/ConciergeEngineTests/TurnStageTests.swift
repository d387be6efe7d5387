import Foundation
import Testing

@testable import ConciergeEngine

/// The policy's stages one by one (`Dialogue/Stages/`), on a small shop with a slot-filling intent
/// and an order lookup: what the customer sees when each stage replies.
@Suite struct TurnStageTests {
    /// The fixture shop plus "an item arrived damaged" (needs the order number) and "where is my
    /// delivery" (looks the order up after checking the email on it).
    static let engine: Engine = {
        var intents = Fixtures.intents
        intents.append(
            Intent(
                name: "damaged_item", label: "Report a damaged item",
                examples: [
                    "my item arrived damaged", "the lamp came broken", "it arrived cracked", "the box was crushed and the vase is broken",
                    "damaged delivery", "something in my order is broken", "my table has a scratch on it", "the glass was shattered",
                    "item broken on arrival", "received a damaged product",
                ],
                slots: [SlotRequirement(name: "order_id", entity: "order_number", prompt: "I'm sorry about that. What's the order number?")],
                answer: "return-policy", response: "I've noted the damage on order {order_id|your order}; a replacement is on its way.",
                queue: "orders"))
        intents.append(
            Intent(
                name: "delivery_date", label: "When will my delivery arrive",
                examples: [
                    "when will my delivery arrive", "when does my order arrive", "delivery date please", "when is it coming",
                    "what day will it be delivered", "expected delivery date", "how long until my order gets here",
                    "when should i expect my order", "arrival date of my order", "when will it get here",
                ],
                slots: [SlotRequirement(name: "order_id", entity: "order_number", prompt: "What's the order number?")],
                action: "lookup_delivery", queue: "shipping"))
        var knowledge = Fixtures.knowledge()
        knowledge.intents = intents
        knowledge.tables = [
            DataTable(
                name: "orders", columns: ["order_id", "email", "status", "eta", "carrier"],
                rows: [
                    ["A10234", "maya@example.com", "shipped", "2026-11-20", "UPS"],
                    ["A10235", "maya@example.com", "processing", "2026-11-25", ""],
                ])
        ]
        knowledge.actions = [
            LookupAction(
                name: "lookup_delivery", table: "orders", keySlot: "order_id", keyColumn: "order_id", verifySlot: "email",
                verifyColumn: "email", verifyPrompt: "What's the email on the order?", by: "status",
                replies: ["shipped": "Order {order_id} is with {carrier} and arrives by {eta}.", "default": "Order {order_id} is {status}."],
                notFound: "I can't find an order {order_id}.", verifyFailed: "That email doesn't match order {order_id}.")
        ]
        return Engine(knowledge: knowledge)
    }()

    /// A conversation: each message in turn, the turns returned.
    struct Chat {
        var state = ConversationState(id: "stages")
        mutating func say(_ message: String) -> Turn { TurnStageTests.engine.respond(to: message, in: &state, now: Fixtures.now) }
    }

    // MARK: - Pending slot

    @Test func theValueAnswersTheQuestion() {
        var chat = Chat()
        #expect(chat.say("my item arrived damaged").asked == "order_id")
        let turn = chat.say("A10234")
        #expect(turn.action == .answer)
        #expect(turn.reply.contains("order A10234"), "\(turn.reply)")
    }

    @Test func aDeclinedSlotIsAnsweredWithoutIt() {
        var chat = Chat()
        _ = chat.say("the glass was shattered")
        let turn = chat.say("i dont have it")
        #expect(turn.action == .answer)
        #expect(turn.reply.hasPrefix("No problem."), "\(turn.reply)")
        #expect(turn.asked == nil)
    }

    @Test func aNewQuestionWhileAskedIsAnsweredThenTheQuestionComesBack() {
        var chat = Chat()
        _ = chat.say("my item arrived damaged")
        let turn = chat.say("how much is shipping?")
        #expect(turn.intent?.name == "shipping_cost")
        #expect(turn.reply.contains("$6.95"))
        #expect(turn.reply.contains("What's the order number?"), "the question comes back: \(turn.reply)")
        #expect(turn.asked == "order_id")
        #expect(chat.say("A10235").reply.contains("order A10235"))
    }

    @Test func anInvalidValueIsAskedOnceMoreThenAPersonIsOffered() {
        var chat = Chat()
        _ = chat.say("my item arrived damaged")
        let again = chat.say("banana")
        #expect(again.action == .ask)
        #expect(again.reply.hasPrefix("That doesn't look right."), "\(again.reply)")
        let last = chat.say("banana split")
        #expect(last.action == .fallback)
        #expect(last.reply.contains("person"), "\(last.reply)")
    }

    // MARK: - Correction, unprompted values, values only

    @Test func aCorrectionAnswersAgainWithTheNewValue() {
        var chat = Chat()
        _ = chat.say("my item arrived damaged, order A10234")
        let turn = chat.say("sorry, it's A10235")
        #expect(turn.reply.hasPrefix("Got it: A10235."), "\(turn.reply)")
        #expect(turn.reply.contains("order A10235"))
        #expect(turn.slots["order_id"] == "A10235")
        #expect(turn.explanation.acts.contains { $0.kind == .correct && $0.won })
    }

    @Test func aValueGivenLaterAttachesToTheOpenRequest() {
        var chat = Chat()
        _ = chat.say("my item arrived damaged")
        _ = chat.say("i dont have it")
        let turn = chat.say("oh wait found it, A10235")
        #expect(turn.intent?.name == "damaged_item")
        #expect(turn.reply.contains("order A10235"), "\(turn.reply)")
    }

    @Test func anotherValueWhileAValueIsAskedIsNotedAndTheQuestionStands() {
        var chat = Chat()
        let asked = chat.say("my item arrived damaged")
        #expect(asked.asked == "order_id", "\(asked.explanation.decision)")
        let turn = chat.say("btw my email is maya.chen@example.com")
        #expect(turn.action == .ask, "\(turn.explanation.decision)")
        #expect(turn.asked == "order_id")
        #expect(turn.intent?.name == "damaged_item")
        #expect(turn.reply.contains("noted maya.chen@example.com"), "\(turn.reply)")
        #expect(turn.slots["email"] == "maya.chen@example.com")
        let answered = chat.say("A10235")
        #expect(answered.intent?.name == "damaged_item")
        #expect(answered.reply.contains("order A10235"), "\(answered.reply)")
    }

    @Test func valuesBeforeAnyRequestAreNotedNotMisread() {
        var chat = Chat()
        let turn = chat.say("A10234")
        #expect(turn.action == .smalltalk)
        #expect(turn.reply.contains("A10234"), "\(turn.reply)")
        #expect(turn.slots["order_id"] == "A10234")
        let next = chat.say("when will it get here")
        #expect(next.asked == "email", "the order is known; the identity check comes next: \(next.reply)")
    }

    // MARK: - Lookups and questions about their data

    @Test func theLookupChecksTheEmailThenAnswersFromTheRow() {
        var chat = Chat()
        #expect(chat.say("when will my delivery arrive? its A10234").asked == "email")
        let turn = chat.say("maya@example.com")
        #expect(turn.action == .answer)
        #expect(turn.reply == "Order A10234 is with UPS and arrives by November 20.", "\(turn.reply)")
    }

    @Test func aQuestionAboutAFieldOfTheKnownRecordIsLookedUp() {
        var chat = Chat()
        _ = chat.say("when will my delivery arrive? its A10234")
        _ = chat.say("maya@example.com")
        let turn = chat.say("which carrier?")
        #expect(turn.intent?.name == "delivery_date")
        #expect(turn.reply.contains("UPS"), "\(turn.reply)")
    }

    // MARK: - A person: asked for, offered, declined; frustration

    @Test func yesToTheOfferOfAPersonHandsOff() {
        var chat = Chat()
        _ = chat.say("qwerty zxcvb")
        let offer = chat.say("asdfgh jkl")
        if offer.action == .handoff { return }  // two fallbacks in a row hand off on their own
        #expect(offer.reply.contains("person"), "\(offer.reply)")
        let turn = chat.say("yes please")
        #expect(turn.action == .handoff)
    }

    @Test func noToTheOfferOfAPersonKeepsTheBot() {
        var chat = Chat()
        _ = chat.say("my item arrived damaged")
        _ = chat.say("banana")
        _ = chat.say("banana split")  // "…would you like me to pass you to a person?"
        let turn = chat.say("no thanks")
        #expect(turn.action == .smalltalk)
        #expect(turn.reply.hasPrefix("No problem."), "\(turn.reply)")
        #expect(turn.handoff == nil)
    }

    @Test func namingAPersonAfterTheOfferTakesIt() {
        var chat = Chat()
        _ = chat.say("my item arrived damaged")
        _ = chat.say("banana")
        _ = chat.say("banana split")
        let turn = chat.say("can someone just sort it for me")
        #expect(turn.action == .handoff)
        #expect(turn.handoff?.reason == .customerRequest)
    }

    @Test func sayingNoPersonIsNeededIsAcknowledged() {
        var chat = Chat()
        let turn = chat.say("no i dont need a person")
        #expect(turn.action == .smalltalk)
        #expect(turn.handoff == nil)
    }

    @Test func frustrationHandsOffWithItsReason() {
        var chat = Chat()
        _ = chat.say("my item arrived damaged")
        let turn = chat.say("THIS IS USELESS!!! you stupid bot, absolutely useless")
        #expect(turn.action == .handoff)
        #expect(turn.handoff?.reason == .frustration)
    }

    @Test func onceAPersonHasTheConversationTheBotStaysQuiet() {
        var chat = Chat()
        _ = chat.say("get me a human")
        let turn = chat.say("hello? anyone there")
        #expect(turn.action == .handoff)
        #expect(turn.reply.isEmpty)
    }

    // MARK: - Returning customers

    @Test func aReturningCustomerConfirmsOrDeclinesTheirLastOrder() {
        var yes = ConversationState(id: "back")
        let welcome = Self.engine.welcomeBack(
            &yes, customerID: "C1", name: "Maya Chen", known: [:], recentOrder: ("A10234", Fixtures.now), now: Fixtures.now)
        #expect(welcome.contains("A10234"))
        var no = yes
        let confirmed = Self.engine.respond(to: "yes", in: &yes, now: Fixtures.now)
        #expect(confirmed.slots["order_id"] == "A10234")
        #expect(confirmed.reply.contains("What would you like to know"), "\(confirmed.reply)")
        let declined = Self.engine.respond(to: "no", in: &no, now: Fixtures.now)
        #expect(declined.slots["order_id"] == nil)
        #expect(declined.reply.hasPrefix("No problem."), "\(declined.reply)")
    }

    // MARK: - The agent's summary

    @Test func theSummaryNamesTheRecordTheConversationIsAbout() {
        var chat = Chat()
        _ = chat.say("when will my delivery arrive? its A10234")
        _ = chat.say("maya@example.com")
        let turn = chat.say("i want a human")
        #expect(turn.handoff?.summary.contains("for order A10234") == true, "\(turn.handoff?.summary ?? "")")
    }
}
