import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation
import Testing

/// Issue 13 (5), "agents are whoever they say": an agent acts only with their secret, only in their
/// queues, and the audit log names the agent who proved who they are.
@Suite struct AgentAccessTests {
    let store = MemoryStore()
    let time = FrozenTime(Bundled.weekday)
    /// One source for the whole test, so every secret and salt it makes is different.
    let roster: AgentRoster

    init() {
        roster = AgentRoster(store: store, time: time, source: CountingSecretSource())
    }

    /// A handoff waiting in `queue`, as the chat makes it.
    func waiting(in queue: String, conversation: String) async throws -> Handoff {
        try await store.createHandoff(
            Handoff(
                conversationID: conversation, customerID: nil, reason: .customerRequest, queue: queue, priority: 2, summary: "help",
                sentiment: "neutral", slots: [:], profile: nil, transcript: [], suggestedArticles: [], createdAt: time.now(),
                dueAt: time.now().addingTimeInterval(900)),
            conversation: ConversationRecord(id: conversation, startedAt: time.now(), state: ConversationState(id: conversation)))
    }

    @Test func theStoreKeepsOnlyASaltedHashAndTheSecretIsChecked() async throws {
        let (ana, secret) = try await roster.add(name: "ana", queues: ["orders"])
        #expect(secret.count == 32 && secret.allSatisfy(\.isHexDigit))
        let stored = try #require(try await store.agent(named: "ana"))
        #expect(stored == ana)
        #expect(!stored.secretHash.contains(secret) && !stored.salt.contains(secret))
        #expect(stored.secretHash.count == 64, "a hex SHA-256")

        #expect(try await roster.authenticate(name: "ana", secret: secret, keyring: nil).agent == ana)
        #expect(try await roster.authenticate(name: "ana", secret: " \(secret)\n", keyring: nil).agent == ana, "a pasted secret's spaces are ignored")
        await #expect(throws: AgentAccessError.secretWrong("ana")) { try await roster.authenticate(name: "ana", secret: secret.dropLast() + (secret.hasSuffix("0") ? "1" : "0"), keyring: nil) }
        await #expect(throws: AgentAccessError.secretMissing("ana")) { try await roster.authenticate(name: "ana", secret: nil, keyring: nil) }
        await #expect(throws: AgentAccessError.unknownAgent("ben")) { try await roster.authenticate(name: "ben", secret: secret, keyring: nil) }
        #expect(try await store.agents().map(\.name) == ["ana"], "a failed login adds no one")
    }

    @Test func twoAgentsWithTheSameSecretHashDifferently() async throws {
        let salted = AgentSecret.hashed("same", source: CountingSecretSource())
        let other = AgentSecret.hashed("same", source: SystemSecretSource())
        #expect(salted.hash != other.hash)
        #expect(AgentSecret.matches("same", salt: salted.salt, hash: salted.hash))
        #expect(AgentSecret.matches("same", salt: other.salt, hash: other.hash))
        #expect(!AgentSecret.matches("same", salt: other.salt, hash: salted.hash))
    }

    @Test func aResetSecretReplacesTheOldOneAtOnce() async throws {
        let (_, old) = try await roster.add(name: "ana", queues: nil)
        let new = try #require(try await roster.reset(name: "ana"))
        #expect(new != old)
        await #expect(throws: AgentAccessError.secretWrong("ana")) { try await roster.authenticate(name: "ana", secret: old, keyring: nil) }
        #expect(try await roster.authenticate(name: "ana", secret: new, keyring: nil).agent.name == "ana")
        #expect(try await roster.reset(name: "nobody") == nil)
    }

    @Test func onAStoreTheOwnerAloneOpensANewNameIsEnrolledAndItsSecretKept() async throws {
        let keyring = MemoryKeyring()
        let first = try await roster.authenticate(name: "ana", secret: nil, keyring: keyring)
        #expect(first.enrolled)
        #expect(first.agent.queues == nil, "every queue")
        let kept = try #require(try keyring.secret(for: "ana"))
        #expect(AgentSecret.matches(kept, salt: first.agent.salt, hash: first.agent.secretHash))
        let second = try await roster.authenticate(name: "ana", secret: nil, keyring: keyring)
        #expect(!second.enrolled)
        #expect(second.agent == first.agent)
        // An agent an operator added is not in the keyring: they still need their secret there.
        let (_, secret) = try await roster.add(name: "ben", queues: ["returns"])
        await #expect(throws: AgentAccessError.secretMissing("ben")) { try await roster.authenticate(name: "ben", secret: nil, keyring: keyring) }
        #expect(try await roster.authenticate(name: "ben", secret: secret, keyring: keyring).agent.name == "ben")
        // Removing forgets the kept secret too.
        #expect(try await roster.remove(name: "ana", keyring: keyring))
        #expect(try keyring.secret(for: "ana") == nil)
    }

    @Test func anAgentActsOnlyInTheirQueuesAndTheAuditLogNamesThem() async throws {
        let (ben, _) = try await roster.add(name: "ben", queues: ["returns"])
        let desk = AgentDesk(store: store, agent: ben, time: time)
        let orders = try await waiting(in: "orders", conversation: "A")
        let returns = try await waiting(in: "returns", conversation: "B")

        #expect(try await desk.take(orders.id) == .otherQueue("orders"))
        #expect(try await store.handoff(id: orders.id)?.status == .queued, "nothing changed")
        await #expect(throws: AgentAccessError.self) { try await desk.note(orders.id, "peeking") }
        await #expect(throws: AgentAccessError.self) { try await desk.transfer(orders.id, to: "returns") }
        #expect(try await store.messages(handoffID: orders.id, after: 0).isEmpty)

        guard case .claimed(let taken) = try await desk.take() else {
            Issue.record("ben could not take the returns handoff")
            return
        }
        #expect(taken.id == returns.id, "the next one comes from ben's queues only")
        try await desk.reply(returns.id, "Hi, Ben here.")
        try await desk.resolve(returns.id, note: "Label sent")
        let actors = try await store.events(handoffID: returns.id).filter { $0.kind != .created }.map(\.actor)
        #expect(actors == ["ben", "ben", "ben"])
    }

    @Test func narrowingKeepsToTheAgentsOwnQueues() async throws {
        let (ana, _) = try await roster.add(name: "ana", queues: ["orders", "returns"])
        #expect(AgentDesk(store: store, agent: ana, narrowedTo: ["returns", "billing"], time: time).skills == ["returns"])
        let (chloe, _) = try await roster.add(name: "chloe", queues: nil)
        #expect(AgentDesk(store: store, agent: chloe, narrowedTo: ["billing"], time: time).skills == ["billing"])
        #expect(AgentDesk(store: store, agent: chloe, time: time).skills == nil)
    }
}
