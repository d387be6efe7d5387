import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation
import Synchronization
import Testing

/// A store that can be switched off, like a disk that fills up or a server that restarts.
final class FlakyStore: SupportStore {
    let inner = MemoryStore()
    let down = Atomic<Bool>(false)

    private func check() throws { if down.load(ordering: .relaxed) { throw StoreError.unavailable("the test switched the store off") } }

    func conversation(id: String) async throws -> ConversationRecord? { try check(); return try await inner.conversation(id: id) }
    func latestConversation(customerID: String) async throws -> ConversationRecord? { try check(); return try await inner.latestConversation(customerID: customerID) }
    func record(turn: TurnRecord, conversation: ConversationRecord) async throws { try check(); try await inner.record(turn: turn, conversation: conversation) }
    func save(conversation: ConversationRecord) async throws { try check(); try await inner.save(conversation: conversation) }
    func turns(conversationID: String) async throws -> [TurnRecord] { try check(); return try await inner.turns(conversationID: conversationID) }
    func customer(id: String) async throws -> CustomerProfile? { try check(); return try await inner.customer(id: id) }
    func save(customer: CustomerProfile) async throws { try check(); try await inner.save(customer: customer) }
    func createHandoff(_ handoff: Handoff, conversation: ConversationRecord) async throws -> Handoff { try check(); return try await inner.createHandoff(handoff, conversation: conversation) }
    func handoff(id: String) async throws -> Handoff? { try check(); return try await inner.handoff(id: id) }
    func handoffs(statuses: Set<HandoffStatus>, queue: String?) async throws -> [Handoff] { try check(); return try await inner.handoffs(statuses: statuses, queue: queue) }
    func claim(id: String?, agent: String, queues: [String]?, now: Date, lease: TimeInterval) async throws -> ClaimOutcome {
        try check()
        return try await inner.claim(id: id, agent: agent, queues: queues, now: now, lease: lease)
    }
    func renewLease(id: String, agent: String, now: Date, lease: TimeInterval) async throws -> Bool { try check(); return try await inner.renewLease(id: id, agent: agent, now: now, lease: lease) }
    func release(id: String, agent: String, now: Date) async throws { try check(); try await inner.release(id: id, agent: agent, now: now) }
    func transfer(id: String, to queue: String, agent: String, now: Date) async throws { try check(); try await inner.transfer(id: id, to: queue, agent: agent, now: now) }
    func resolve(id: String, agent: String, note: String, now: Date) async throws { try check(); try await inner.resolve(id: id, agent: agent, note: note, now: now) }
    func handBack(id: String, agent: String, note: String, now: Date) async throws { try check(); try await inner.handBack(id: id, agent: agent, note: note, now: now) }
    func expireLeases(now: Date) async throws -> [String] { try check(); return try await inner.expireLeases(now: now) }
    func post(_ message: HandoffMessage) async throws -> HandoffMessage { try check(); return try await inner.post(message) }
    func messages(handoffID: String, after sequence: Int) async throws -> [HandoffMessage] { try check(); return try await inner.messages(handoffID: handoffID, after: sequence) }
    func events(handoffID: String) async throws -> [HandoffEvent] { try check(); return try await inner.events(handoffID: handoffID) }
    func add(suggestion: Suggestion) async throws -> Suggestion { try check(); return try await inner.add(suggestion: suggestion) }
    func suggestions() async throws -> [Suggestion] { try check(); return try await inner.suggestions() }
    func recordFailedIdentityCheck(key: String, conversationID: String, at: Date) async throws {
        try check()
        try await inner.recordFailedIdentityCheck(key: key, conversationID: conversationID, at: at)
    }
    func lockedIdentityKeys(since: Date, limit: Int) async throws -> Set<String> { try check(); return try await inner.lockedIdentityKeys(since: since, limit: limit) }
    func erase(_ erasure: Erasure) async throws -> ErasureReport { try check(); return try await inner.erase(erasure) }
    func purge(before cutoff: Date, expire: @Sendable (CustomerProfile) -> CustomerProfile?) async throws -> PurgeReport {
        try check()
        return try await inner.purge(before: cutoff, expire: expire)
    }
    func claimMaintenance(_ task: String, now: Date, every: TimeInterval) async throws -> Bool {
        try check()
        return try await inner.claimMaintenance(task, now: now, every: every)
    }
    func add(agent: AgentRecord) async throws { try check(); try await inner.add(agent: agent) }
    func agent(named name: String) async throws -> AgentRecord? { try check(); return try await inner.agent(named: name) }
    func agents() async throws -> [AgentRecord] { try check(); return try await inner.agents() }
    func replaceSecret(ofAgent name: String, salt: String, secretHash: String, at: Date) async throws -> Bool {
        try check()
        return try await inner.replaceSecret(ofAgent: name, salt: salt, secretHash: secretHash, at: at)
    }
    func removeAgent(named name: String) async throws -> Bool { try check(); return try await inner.removeAgent(named: name) }
    func save(satisfaction: SatisfactionRecord) async throws { try check(); try await inner.save(satisfaction: satisfaction) }
    func satisfaction(conversationID: String) async throws -> SatisfactionRecord? { try check(); return try await inner.satisfaction(conversationID: conversationID) }
    func reportRows(in range: ReportRange, progress: @escaping @Sendable (ReportProgress) -> Void) async throws -> ReportRows {
        try check()
        return try await inner.reportRows(in: range, progress: progress)
    }
}

/// A store failure never loses a conversation or a handoff, and the customer is never told they are
/// in line before they are.
@Suite struct StoreFailureTests {
    @Test func theChatKeepsTalkingAndCatchesUpWhenTheStoreIsBack() async throws {
        let store = FlakyStore()
        let chat = try await Conversation(store: store)
        _ = try await chat.say("my order A10234 arrived damaged")
        store.down.store(true, ordering: .relaxed)
        let answered = try await chat.say("how long do refunds take?")
        #expect(answered.action == .answer, "the bot answers without its store")
        let handoff = try await chat.say("I want to talk to a person")
        #expect(handoff.action == .handoff)
        #expect(handoff.handoff?.id == "", "no id: it is not in the queue yet")
        #expect(handoff.reply.contains("can't reach our team's queue"))
        #expect(!handoff.reply.contains("in line;"))
        let waiting = try await chat.say("hello? are you there")
        #expect(waiting.reply.contains("still reaching our team's queue"))
        #expect(await chat.session.problem != nil)

        store.down.store(false, ordering: .relaxed)
        let notices = try await chat.session.poll()
        #expect(notices.map(\.text).contains { $0.contains("You're number 1 in line") })
        let turns = try await store.inner.turns(conversationID: "T-1")
        #expect(turns.map(\.number) == [1, 2, 3, 4], "every turn written, in order")
        let queued = try await store.inner.handoffs(statuses: [.queued], queue: nil)
        #expect(queued.count == 1)
        #expect(queued.first?.transcript.count == 3, "the packet holds the conversation up to the handoff")
        #expect(queued.first?.slots["order_id"] == "A10234")
        let messages = try await store.inner.messages(handoffID: queued[0].id, after: 0)
        #expect(messages.map(\.text) == ["hello? are you there"], "the message written while waiting reaches the agent")
        #expect(await chat.session.problem == nil)
    }
}
