import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

extension SupportStoreBehaviour {
    @Test("post numbers each handoff's messages from 1", arguments: StoreFactory.all)
    func postSequences(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let first = try await store.create(Fixture.handoff(created: 0))
        let second = try await store.create(Fixture.handoff(created: 1))

        let messages = [
            HandoffMessage(handoffID: first.id, at: Fixture.at(10), sender: .customer, author: "cust-1", text: "Hallo? Où est mon colis 📦"),
            HandoffMessage(handoffID: first.id, at: Fixture.at(20), sender: .agent, author: "ana", text: "Hi Maya, checking now."),
            HandoffMessage(handoffID: second.id, at: Fixture.at(21), sender: .system, author: "system", text: "You are number 2 in the queue."),
            HandoffMessage(handoffID: first.id, at: Fixture.at(30), sender: .note, author: "ana", text: "carrier lost it; refund"),
        ]
        var posted: [HandoffMessage] = []
        for message in messages { posted.append(try await store.post(message)) }
        #expect(posted.map(\.sequence) == [1, 2, 1, 3])
        for (message, result) in zip(messages, posted) {
            var expected = message
            expected.sequence = result.sequence
            #expect(result == expected)
        }

        #expect(try await store.messages(handoffID: first.id, after: 0) == [posted[0], posted[1], posted[3]])
        #expect(try await store.messages(handoffID: first.id, after: 1) == [posted[1], posted[3]])
        #expect(try await store.messages(handoffID: first.id, after: 3).isEmpty)
        #expect(try await store.messages(handoffID: second.id, after: 0) == [posted[2]])
        #expect(try await store.messages(handoffID: "H-000099", after: 0).isEmpty)
        await #expect(throws: StoreError.handoffNotFound("H-000099")) {
            try await store.post(HandoffMessage(handoffID: "H-000099", at: Fixture.at(40), sender: .agent, author: "ana", text: "?"))
        }
    }

    @Test("firstResponseAt is the time of the first agent message, not of notes or the customer", arguments: StoreFactory.all)
    func firstResponse(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let created = try await store.create(Fixture.handoff())
        try await store.take(created.id, agent: "ana", at: 5)
        _ = try await store.post(HandoffMessage(handoffID: created.id, at: Fixture.at(10), sender: .customer, author: "cust-1", text: "hello?"))
        _ = try await store.post(HandoffMessage(handoffID: created.id, at: Fixture.at(15), sender: .note, author: "ana", text: "VIP"))
        _ = try await store.post(HandoffMessage(handoffID: created.id, at: Fixture.at(16), sender: .system, author: "system", text: "Ana joined."))
        #expect(try await store.handoff(id: created.id)?.firstResponseAt == nil)

        _ = try await store.post(HandoffMessage(handoffID: created.id, at: Fixture.at(30), sender: .agent, author: "ana", text: "Hi!"))
        _ = try await store.post(HandoffMessage(handoffID: created.id, at: Fixture.at(40), sender: .agent, author: "ana", text: "Found it."))
        let handoff = try #require(try await store.handoff(id: created.id))
        #expect(handoff.firstResponseAt == Fixture.at(30))
        #expect(handoff.breachesTarget(now: Fixture.at(10_000)) == false)
    }

    @Test("The audit log records each step of a handoff's life, in order", arguments: StoreFactory.all)
    func auditLog(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let created = try await store.create(Fixture.handoff(queue: "orders"))
        let id = created.id
        try await store.take(id, agent: "ana", at: 10)
        _ = try await store.post(HandoffMessage(handoffID: id, at: Fixture.at(11), sender: .customer, author: "cust-1", text: "hi"))
        _ = try await store.post(HandoffMessage(handoffID: id, at: Fixture.at(12), sender: .agent, author: "ana", text: "hello"))
        _ = try await store.post(HandoffMessage(handoffID: id, at: Fixture.at(13), sender: .note, author: "ana", text: "billing issue"))
        _ = try await store.post(HandoffMessage(handoffID: id, at: Fixture.at(14), sender: .system, author: "system", text: "moved"))
        try await store.transfer(id: id, to: "billing", agent: "ana", now: Fixture.at(15))
        try await store.take(id, agent: "ben", at: 20)
        try await store.resolve(id: id, agent: "ben", note: "refunded", now: Fixture.at(30))

        let events = try await store.events(handoffID: id)
        #expect(events.map(\.sequence) == Array(1...9))
        #expect(events.map(\.kind) == [.created, .claimed, .customerMessage, .replied, .noted, .noted, .transferred, .claimed, .resolved])
        #expect(events.map(\.actor) == ["system", "ana", "cust-1", "ana", "ana", "system", "ana", "ben", "ben"])
        #expect(events.map(\.detail) == ["customer_request", "", "", "", "", "", "billing", "", "refunded"])
        #expect(events.map(\.at) == [0, 10, 11, 12, 13, 14, 15, 20, 30].map(Fixture.at))
        #expect(events.allSatisfy { $0.handoffID == id })
    }

    @Test("Suggestions get ids 1, 2… and a taught entry in the handoff's log", arguments: StoreFactory.all)
    func suggestions(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let created = try await store.create(Fixture.handoff())
        #expect(try await store.suggestions().isEmpty)

        let first = try await store.add(
            suggestion: Suggestion(
                handoffID: created.id, text: "wheres my pakage??", target: "intent:order_status", agent: "ana", createdAt: Fixture.at(50)))
        let second = try await store.add(
            suggestion: Suggestion(
                id: 77, handoffID: created.id, text: "¿dónde está mi pedido?", target: "article:track-order", agent: "ben",
                createdAt: Fixture.at(60)))
        #expect(first.id == 1 && second.id == 2)
        #expect(first.text == "wheres my pakage??" && second.target == "article:track-order")
        #expect(try await store.suggestions() == [first, second])
        let taught = try await store.events(handoffID: created.id).filter { $0.kind == .taught }
        #expect(taught.map(\.actor) == ["ana", "ben"])
        #expect(taught.map(\.detail) == ["intent:order_status", "article:track-order"])
        #expect(taught.map(\.at) == [Fixture.at(50), Fixture.at(60)])
    }
}
