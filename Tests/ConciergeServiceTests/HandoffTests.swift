import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation
import Testing

/// Issue 4: handoff triggers, the packet, the customer's side and the agent's desk.
@Suite struct HandoffTests {
    static let phrasings = [
        "agent", "human", "talk to a person", "real person please", "representative", "operator", "can I speak to someone",
        "get me a human", "customer service rep", "live agent", "I want to talk to a human", "transfer me to an agent",
        "let me speak to a real person", "connect me with support staff", "is there a human I can talk to", "speak to a manager",
        "I need a real human being", "put me through to someone", "can i get an actual person", "human please",
        "talk to someone from customer service", "i'd like to chat with a person", "AGENT!", "humn",
    ]

    @Test(arguments: phrasings)
    func askingForAPersonHandsOffOnThatVeryTurn(phrasing: String) async throws {
        let chat = try await Conversation()
        let turn = try await chat.say(phrasing)
        #expect(turn.action == .handoff, "\(phrasing): \(turn.explanation.decision)")
        #expect(turn.handoff?.reason == .customerRequest)
        #expect(turn.handoff?.id.hasPrefix("H-") ?? false)
    }

    @Test func thePacketCarriesEverythingTheBotKnew() async throws {
        let store = MemoryStore()
        let chat = try await Conversation(store: store)
        let turns = try await chat.say([
            "my order A10234 arrived damaged", "my email is maya.chen@example.com, phone 503-555-0147", "I want to talk to a person",
        ])
        let request = try #require(turns.last?.handoff)
        let handoff = try #require(try await store.handoff(id: request.id))
        let known = turns[1].slots.merging(turns[2].slots) { $1 }
        #expect(!known.isEmpty)
        for (slot, value) in known { #expect(handoff.slots[slot] == value, "the packet has \(slot)") }
        #expect(handoff.slots["order_id"] == "A10234")
        #expect(handoff.slots["email"] == "maya.chen@example.com")
        #expect(handoff.slots["phone"] == "5035550147")
        #expect(handoff.transcript.count == 3)
        #expect(handoff.transcript.first?.intent == "damaged_item")
        #expect(handoff.transcript.first?.articles == ["damaged-item"])
        #expect(handoff.summary.contains("A10234"))
        #expect(handoff.summary.contains("delivered November 3"))
        #expect(handoff.summary.contains("asked for a person"))
        #expect(handoff.queue == "shipping", "the team of the topic, damaged deliveries")
        #expect(!handoff.suggestedArticles.isEmpty)
        #expect(handoff.customerID == nil, "an email typed in the chat proves an order; it never identifies the customer (the channel does)")
        #expect(handoff.dueAt > handoff.createdAt)
        let events = try await store.events(handoffID: request.id)
        #expect(events.map(\.kind) == [.created])
    }

    @Test func theCustomerIsToldTheirPlaceInLine() async throws {
        let store = MemoryStore()
        _ = try await Conversation(store: store, id: "A").say("agent")
        let turn = try await Conversation(store: store, id: "B").say("I want a human")
        #expect(turn.reply.contains("You're number 2 in line; about 6 minutes."))
    }

    @Test func outOfHoursGivesAReferenceAndATrackedPromise() async throws {
        let store = MemoryStore()
        let turn = try await Conversation(store: store, at: Bundled.sunday).say("agent please")
        let id = try #require(turn.handoff?.id)
        #expect(turn.reply.contains("reference number is \(id)"))
        #expect(turn.reply.contains("by email by 10:00 tomorrow"))
        let handoff = try await store.handoff(id: id)
        #expect(handoff?.promise == "10:00 tomorrow")
        // Monday 10:00 Chicago = 16:00 UTC.
        #expect(handoff?.dueAt == Date(timeIntervalSince1970: 1_795_449_600))
    }

    @Test func frustrationHandsOff() async throws {
        let chat = try await Conversation()
        let turns = try await chat.say(["where is my refund", "THIS IS RIDICULOUS!!! useless bot"])
        #expect(turns[1].action == .handoff)
        #expect(turns[1].handoff?.reason == .frustration)
    }

    @Test func escalatingNegativityAddsUp() async throws {
        let chat = try await Conversation()
        let turns = try await chat.say(["my parcel is late again", "still nothing, this is annoying", "seriously, I'm fed up and frustrated"])
        #expect(turns.last?.handoff?.reason == .frustration)
    }

    @Test(arguments: [
        ("I want to file a formal complaint about your service", "complaint"), ("I'm going to take you to small claims court", "legal"),
        ("my mother passed away and I need to close her account", "bereavement"), ("the candle caught fire", "safety_issue"),
    ])
    func policyIntentsGoToAPerson(message: String, intent: String) async throws {
        let turn = try await Conversation().say(message)
        #expect(turn.intent?.name == intent)
        #expect(turn.handoff?.reason == .policy)
    }

    @Test func twoFallbacksInARowHandOff() async throws {
        let turns = try await Conversation().say(["blorf snark quux", "qwxz vbnm plok"])
        #expect(turns[0].action == .fallback)
        #expect(turns[1].handoff?.reason == .repeatedFailure)
    }

    @Test func thatDidNotHelpOffersTheNextBestThenAPerson() async throws {
        let turns = try await Conversation().say(["how do refunds work", "that didn't help", "still not helpful"])
        #expect(turns[0].action == .answer)
        #expect(turns[1].action == .answer)
        #expect(turns[1].reply.hasPrefix("Sorry that didn't help."))
        #expect(turns[1].articles.first?.id != turns[0].articles.first?.id, "not the same answer again")
        #expect(turns[2].handoff?.reason == .repeatedFailure)
    }

    @Test func anUnknownOrderIsNeverSaidToBeUnknown() async throws {
        let turns = try await Conversation().say(["where is order A99999", "someone@example.com"])
        #expect(turns[0].asked == "email", "the email is asked for first, as for a real order")
        #expect(!turns.contains { $0.reply.contains("can't find") })
        #expect(turns[1].reply.contains("couldn't match order A99999 with that email address"))
    }

    @Test func lowConfidenceAfterAClarifyingQuestionHandsOff() async throws {
        let turns = try await Conversation().say(["refund or return", "none of those"])
        #expect(turns[0].action == .clarify)
        #expect(turns[1].handoff?.reason == .lowConfidence)
    }

    @Test func theBotStopsAnsweringUntilTheAgentHandsBack() async throws {
        let store = MemoryStore()
        let chat = try await Conversation(store: store)
        let handoff = try await chat.say("agent")
        let id = try #require(handoff.handoff?.id)
        let waiting = try await chat.say("how long does shipping take?")
        #expect(waiting.action == .handoff)
        #expect(waiting.reply.contains("number 1 in line"))
        let desk = AgentDesk(store: store, agent: "ana", time: chat.time)
        guard case .claimed = try await desk.take() else {
            Issue.record("the agent could not take it")
            return
        }
        let silent = try await chat.say("hello?")
        #expect(silent.action == .handoff)
        #expect(silent.reply.isEmpty, "a person has it: the bot stays quiet")
        try await desk.reply(id, "Hi, I'm Ana. Standard shipping takes 3-5 business days.")
        let relayed = try await chat.session.poll()
        #expect(relayed.map(\.text) == ["Hi, I'm Ana. Standard shipping takes 3-5 business days."])
        let seen = try await desk.messages(id, after: 0).filter { $0.sender == .customer }.map(\.text)
        #expect(seen == ["how long does shipping take?", "hello?"])
        try await desk.handBack(id, note: "Anything else, Concierge can help.")
        let back = try await chat.session.poll()
        #expect(back.last?.text.contains("back with Concierge") ?? false)
        let answered = try await chat.say("thanks!")
        #expect(answered.action == .smalltalk)
        let events = try await store.events(handoffID: id).map(\.kind)
        #expect(events == [.created, .customerMessage, .claimed, .customerMessage, .replied, .replied, .handedBack])
    }

    @Test func teachingRecordsASuggestionAndNothingElse() async throws {
        let store = MemoryStore()
        let chat = try await Conversation(store: store)
        let turns = try await chat.say(["my sofa cushion is flat", "talk to a person"])
        let id = try #require(turns.last?.handoff?.id)
        let desk = AgentDesk(store: store, agent: "ana", time: chat.time)
        _ = try await desk.take(id)
        try await desk.resolve(id, note: "Sent a replacement cushion", teach: "warranty_claim")
        let suggestions = try await store.suggestions()
        #expect(suggestions.map(\.target) == ["intent:warranty_claim"])
        #expect(suggestions.first?.text == "my sofa cushion is flat")
        #expect(try await store.handoff(id: id)?.status == .resolved)
    }
}
