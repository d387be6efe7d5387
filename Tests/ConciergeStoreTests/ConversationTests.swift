import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

extension SupportStoreBehaviour {
    @Test("A conversation and its turns come back as written", arguments: StoreFactory.all)
    func conversationAndTurnsRoundTrip(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        var conversation = Fixture.conversation("conv-1")
        try await store.save(conversation: conversation)
        #expect(try await store.conversation(id: "conv-1") == conversation)

        let first = Fixture.turn("conv-1", 1)
        let second = TurnRecord(
            conversationID: "conv-1", number: 2, at: Fixture.at(20.5), customer: "Où est ma commande ? 📦 注文 A10234",
            reply: "Which order do you mean?\n1. A10234\n2. A10251", action: .clarify, intent: "order_status",
            confidence: 0.4375, articles: [], asked: "order_id", slots: ["order_id": "A10234", "name": "Zoë"],
            handoffID: "H-000007")
        let third = TurnRecord(
            conversationID: "conv-1", number: 3, at: Fixture.at(30), customer: "", reply: "Sorry, I didn't catch that.",
            action: .fallback)
        for (index, turn) in [first, second, third].enumerated() {
            conversation.state.turnCount = index + 1
            conversation.updatedAt = turn.at
            try await store.record(turn: turn, conversation: conversation)
        }

        #expect(try await store.turns(conversationID: "conv-1") == [first, second, third])
        #expect(try await store.conversation(id: "conv-1") == conversation)
        #expect(try await store.conversation(id: "conv-1")?.state.turnCount == 3)
        #expect(try await store.turns(conversationID: "conv-2").isEmpty)
        #expect(try await store.conversation(id: "conv-2") == nil)

        // Saving the state alone replaces it and keeps the turns.
        conversation.state = ConversationState(id: "conv-1", customerID: "cust-1")
        try await store.save(conversation: conversation)
        #expect(try await store.conversation(id: "conv-1") == conversation)
        #expect(try await store.turns(conversationID: "conv-1").count == 3)
    }

    @Test("Dates round-trip to the millisecond or better", arguments: StoreFactory.all)
    func datesRoundTrip(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let now = Date.now
        var conversation = Fixture.conversation("conv-1")
        conversation.startedAt = Date(timeIntervalSince1970: 1_767_225_600.123)
        conversation.updatedAt = now
        try await store.save(conversation: conversation)
        let stored = try #require(try await store.conversation(id: "conv-1"))
        #expect(stored.startedAt == conversation.startedAt)
        #expect(abs(stored.updatedAt.timeIntervalSince(now)) < 1e-6)
    }

    @Test("The latest conversation is the customer's most recently updated", arguments: StoreFactory.all)
    func latestConversation(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        try await store.save(conversation: Fixture.conversation("conv-a", customer: "cust-x", updated: 10))
        try await store.save(conversation: Fixture.conversation("conv-b", customer: "cust-x", updated: 30))
        try await store.save(conversation: Fixture.conversation("conv-c", customer: "cust-y", updated: 50))
        try await store.save(conversation: Fixture.conversation("conv-0", customer: nil, updated: 90))
        #expect(try await store.latestConversation(customerID: "cust-x")?.id == "conv-b")
        #expect(try await store.latestConversation(customerID: "cust-y")?.id == "conv-c")
        #expect(try await store.latestConversation(customerID: "cust-z") == nil)

        // Same time: the greater id wins. A newer turn moves a conversation to the front.
        try await store.save(conversation: Fixture.conversation("conv-d", customer: "cust-x", updated: 30))
        #expect(try await store.latestConversation(customerID: "cust-x")?.id == "conv-d")
        var first = Fixture.conversation("conv-a", customer: "cust-x", updated: 40)
        first.state.turnCount = 4
        try await store.record(turn: Fixture.turn("conv-a", 4), conversation: first)
        #expect(try await store.latestConversation(customerID: "cust-x") == first)
    }

    @Test("A customer profile comes back as written, and saving replaces it", arguments: StoreFactory.all)
    func customersRoundTrip(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        var profile = Fixture.profile
        try await store.save(customer: profile)
        #expect(try await store.customer(id: "cust-1") == profile)

        profile.name = "Maya Chen-Müller"
        profile.fields["phone"] = .init(value: "+41 44 123 45 67", learnedAt: Fixture.at(100))
        profile.fields["order:A10234"] = nil
        profile.updatedAt = Fixture.at(100)
        try await store.save(customer: profile)
        #expect(try await store.customer(id: "cust-1") == profile)

        let anonymous = CustomerProfile(id: "cust-2", updatedAt: Fixture.at(1))
        try await store.save(customer: anonymous)
        #expect(try await store.customer(id: "cust-2") == anonymous)
        #expect(try await store.customer(id: "cust-3") == nil)
    }
}
