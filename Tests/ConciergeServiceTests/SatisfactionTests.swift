import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation
import Testing

/// Issue 12: one question about how we did, after an agent resolves a handoff (and, when the setting
/// is on, after a conversation the bot handled alone), at most once, never after the customer left.
@Suite struct SatisfactionTests {
    static let question = Bundled.engine.settings.satisfaction.question

    /// A conversation handed to ana and resolved by her while the customer is still in the chat.
    static func resolved(store: any SupportStore = MemoryStore(), id: String = "S-1") async throws -> (Conversation, [HandoffMessage]) {
        let chat = try await Conversation(store: store, id: id)
        try await chat.say("my order A10234 arrived damaged")
        let handoff = try #require(try await chat.say("I want to talk to a person").handoff)
        let desk = AgentDesk(store: store, agent: "ana", time: chat.time)
        _ = try await desk.take(handoff.id)
        try await desk.reply(handoff.id, "I've sent a replacement.")
        try await desk.resolve(handoff.id, note: "Replacement sent")
        return (chat, try await chat.session.poll())
    }

    @Test func afterAnAgentResolvesTheCustomerIsAskedOnceAndTheirAnswerIsStoredWithAgentQueueAndIntent() async throws {
        let store = MemoryStore()
        let (chat, shown) = try await Self.resolved(store: store)
        #expect(shown.map(\.text).contains(Self.question), "asked with the agent's closing: \(shown.map(\.text))")
        let thanks = try await chat.say("4, quick and kind")
        #expect(thanks.reply == Bundled.engine.settings.satisfaction.thanks)
        let record = try #require(try await store.satisfaction(conversationID: "S-1"))
        #expect(record.score == 4)
        #expect(record.comment == "quick and kind")
        #expect(record.agent == "ana")
        #expect(record.queue == "shipping")
        #expect(record.intent == "damaged_item")
        #expect(record.handoffID != nil)
        #expect(try await store.turns(conversationID: "S-1").last?.customer == "4, quick and kind", "the answer is a stored turn like any message")

        // A second handoff in the same conversation, resolved too: not asked again.
        let again = try #require(try await chat.say("I want to talk to a person again").handoff)
        let desk = AgentDesk(store: store, agent: "ben", time: chat.time)
        _ = try await desk.take(again.id)
        try await desk.resolve(again.id, note: "done")
        #expect(!(try await chat.session.poll()).map(\.text).contains(Self.question))
        #expect(try await store.satisfaction(conversationID: "S-1")?.agent == "ana")
    }

    @Test func aReplyThatIsNotARatingIsReadAsAnOrdinaryMessage() async throws {
        let store = MemoryStore()
        let (chat, _) = try await Self.resolved(store: store)
        let turn = try await chat.say("what is your return policy")
        #expect(turn.reply != Bundled.engine.settings.satisfaction.thanks)
        #expect(turn.action == .answer)
        let record = try #require(try await store.satisfaction(conversationID: "S-1"))
        #expect(record.score == nil, "asked, not answered")
        // The question had one chance: a rating later is an ordinary message.
        let later = try await chat.say("5")
        #expect(later.reply != Bundled.engine.settings.satisfaction.thanks)
        #expect(try await store.satisfaction(conversationID: "S-1")?.score == nil)
    }

    @Test(arguments: ["4", "5 great", "3 - slow but fine", "4/5", " 2, took ages"])
    func ratings(reply: String) {
        #expect(SatisfactionSettings.rating(in: reply) != nil, "\(reply)")
    }

    @Test(arguments: ["10 minutes", "2nd order", "4.5", "0", "6", "where is A10234", "1000"])
    func notRatings(reply: String) {
        #expect(SatisfactionSettings.rating(in: reply) == nil, "\(reply)")
    }

    @Test func aCustomerWhoLeftBeforeTheResolutionIsNeverAsked() async throws {
        let store = MemoryStore()
        let chat = try await Conversation(store: store, id: "S-2")
        let handoff = try #require(try await chat.say("agent").handoff)
        // The customer leaves; the agent resolves later; the conversation is opened again.
        let desk = AgentDesk(store: store, agent: "ana", time: chat.time)
        _ = try await desk.take(handoff.id)
        try await desk.resolve(handoff.id, note: "No answer from the customer")
        let resumed = try await CustomerSession(engine: Bundled.engine, store: store, time: chat.time, conversationID: "S-2")
        #expect(!(try await resumed.poll()).map(\.text).contains(Self.question))
        #expect(try await store.satisfaction(conversationID: "S-2") == nil)
    }

    @Test func aHandBackIsNotAResolutionAndABotOnlyConversationIsAskedOnlyWhenTheSettingIsOn() async throws {
        let store = MemoryStore()
        let chat = try await Conversation(store: store, id: "S-3")
        let handoff = try #require(try await chat.say("agent").handoff)
        let desk = AgentDesk(store: store, agent: "ana", time: chat.time)
        _ = try await desk.take(handoff.id)
        try await desk.handBack(handoff.id, note: "Back to the bot")
        #expect(!(try await chat.session.poll()).map(\.text).contains(Self.question))

        // Off by default: a bot-only conversation that ends with thanks is not asked.
        let plain = try await Conversation(store: store, id: "S-4")
        try await plain.say("what is your return policy")
        #expect(!(try await plain.say("thanks")).reply.contains(Self.question))

        var knowledge = Bundled.engine.knowledge
        knowledge.settings.satisfaction.afterBotConversation = true
        let engine = Engine(knowledge: knowledge)
        let time = FrozenTime(Bundled.weekday, step: 20)
        let session = try await CustomerSession(engine: engine, store: store, time: time, conversationID: "S-5")
        let greeting = try await session.send("hello")
        #expect(!greeting.reply.contains(Self.question), "nothing answered yet")
        _ = try await session.send("what is your return policy")
        let closing = try await session.send("thanks")
        #expect(closing.reply.contains(Self.question))
        let answer = try await session.send("5")
        #expect(answer.reply == engine.settings.satisfaction.thanks)
        let record = try #require(try await store.satisfaction(conversationID: "S-5"))
        #expect(record.score == 5 && record.agent == nil && record.queue == nil && record.handoffID == nil)
    }
}
