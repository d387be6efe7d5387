import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

/// Issue 13 (5): the agents a store knows, and claims kept to an agent's queues, on every store.
extension SupportStoreBehaviour {
    static func agent(_ name: String, queues: [String]?, at seconds: Double = 0) -> AgentRecord {
        AgentRecord(name: name, queues: queues, salt: "salt-\(name)", secretHash: "hash-\(name)", createdAt: Fixture.at(seconds))
    }

    @Test("Agents are added once, read back exactly, listed by name, reset and removed", arguments: StoreFactory.all)
    func agentsRoundTrip(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        #expect(try await store.agents().isEmpty)
        let ben = Self.agent("ben", queues: ["returns", "orders"], at: 1)
        let ana = Self.agent("ana", queues: nil, at: 2)
        try await store.add(agent: ben)
        try await store.add(agent: ana)
        #expect(ben.queues == ["orders", "returns"], "queues are kept sorted")
        #expect(try await store.agent(named: "ben") == ben)
        #expect(try await store.agent(named: "ana") == ana, "no queues means every queue, and stays so")
        #expect(try await store.agent(named: "chloe") == nil)
        #expect(try await store.agents().map(\.name) == ["ana", "ben"])

        let again = try await #require(throws: StoreError.self) { try await store.add(agent: Self.agent("ben", queues: ["billing"])) }
        #expect(again == .agentExists("ben"))
        #expect(try await store.agent(named: "ben")?.queues == ["orders", "returns"], "a second add changes nothing")

        #expect(try await store.replaceSecret(ofAgent: "ben", salt: "new-salt", secretHash: "new-hash", at: Fixture.at(10)))
        let reset = try #require(try await store.agent(named: "ben"))
        #expect((reset.salt, reset.secretHash, reset.updatedAt, reset.createdAt) == ("new-salt", "new-hash", Fixture.at(10), Fixture.at(1)))
        #expect(try await store.replaceSecret(ofAgent: "chloe", salt: "s", secretHash: "h", at: Fixture.at(10)) == false)

        #expect(try await store.removeAgent(named: "ben"))
        #expect(try await store.removeAgent(named: "ben") == false)
        #expect(try await store.agents().map(\.name) == ["ana"])
    }

    @Test("A handoff claimed by id from outside the agent's queues stays queued, and the outcome names its queue", arguments: StoreFactory.all)
    func claimByIDKeepsToTheAgentsQueues(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let billing = try await store.create(Fixture.handoff(queue: "billing", created: 0, conversation: "conv-1"))
        let outcome = try await store.claim(id: billing.id, agent: "ben", queues: ["orders", "returns"], now: Fixture.at(30), lease: 300)
        #expect(outcome == .otherQueue("billing"))
        #expect(try await store.handoff(id: billing.id)?.status == .queued)
        #expect(try await store.handoff(id: billing.id)?.claimedBy == nil)
        #expect(try await store.eventKinds(billing.id) == [.created], "nothing is logged for a refused claim")

        // The next one in ben's queues skips it; an agent of billing gets it.
        #expect(try await store.claim(id: nil, agent: "ben", queues: ["orders"], now: Fixture.at(31), lease: 300) == .queueEmpty)
        guard case .claimed(let claimed) = try await store.claim(id: billing.id, agent: "ana", queues: ["billing"], now: Fixture.at(32), lease: 300)
        else {
            Issue.record("ana could not claim a billing handoff")
            return
        }
        #expect(claimed.claimedBy == "ana")
        // Held now: a claim from another queue's agent says who holds it, as before.
        #expect(try await store.claim(id: billing.id, agent: "ben", queues: ["orders"], now: Fixture.at(33), lease: 300) == .heldBy("ana"))
    }
}
