import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

extension SupportStoreBehaviour {
    /// Everything a store holds for conversation `conv-1`, as text, to search for personal data.
    static func everything(_ store: any SupportStore) async throws -> String {
        var parts: [String] = []
        let encoder = JSONEncoder()
        func add<T: Encodable>(_ value: T) { parts.append(String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)) }
        add(try await store.conversation(id: "conv-1"))
        add(try await store.turns(conversationID: "conv-1"))
        add(try await store.customer(id: "cust-1"))
        let handoffs = try await store.handoffs(statuses: Set(HandoffStatus.allCases), queue: nil)
        add(handoffs)
        for handoff in handoffs { add(try await store.messages(handoffID: handoff.id, after: 0)) }
        add(try await store.suggestions())
        return parts.joined(separator: "\n")
    }

    @Test("forget removes the profile and the customer's email, name and id from every row, keeping the rows", arguments: StoreFactory.all)
    func forgetErasesEverywhere(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        try await store.save(customer: Fixture.profile)
        try await store.record(turn: Fixture.turn("conv-1", 1, customer: "my email is Maya.Chen@example.com"), conversation: Fixture.conversation("conv-1"))
        let handoff = try await store.create(Fixture.handoff())
        _ = try await store.post(HandoffMessage(handoffID: handoff.id, at: Fixture.at(30), sender: .customer, author: "cust-1", text: "it's Maya Chen, maya.chen@example.com"))
        _ = try await store.add(suggestion: Suggestion(handoffID: handoff.id, text: "where is my parcel, maya.chen@example.com", target: "intent:order_status", agent: "ana", createdAt: Fixture.at(40)))
        #expect(try await Self.everything(store).localizedCaseInsensitiveContains("maya.chen@example.com"))

        let report = try await store.erase(Erasure(email: "maya.chen@example.com"))
        #expect(report.profiles == 1)
        #expect(report.rows > 0)
        let left = try await Self.everything(store)
        for value in ["maya.chen@example.com", "Maya Chen", "cust-1"] {
            #expect(!left.localizedCaseInsensitiveContains(value), "\(value) is still stored")
        }
        #expect(try await store.customer(id: "cust-1") == nil)
        #expect(try await store.turns(conversationID: "conv-1").count == 1, "rows stay, for the counts")
        #expect(try await store.handoffs(statuses: Set(HandoffStatus.allCases), queue: nil).count == 1)
        #expect(try await store.turns(conversationID: "conv-1").first?.customer == "my email is [erased]")
        #expect(try await store.erase(Erasure(email: "nobody@example.com")).isEmpty)
    }
}
