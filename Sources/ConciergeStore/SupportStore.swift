import ConciergeEngine
public import Foundation

/// Where conversations, customer memory and the handoff queue live. Every implementation (in
/// memory, SQLite, PostgreSQL) behaves the same: the behavioural tests in `ConciergeStoreTests` run
/// against each.
///
/// ```swift
/// let store = try SQLiteStore(path: ".concierge/concierge.sqlite")
/// try await store.record(turn: turn, conversation: conversation)
/// switch try await store.claim(id: nil, agent: "ana", queues: ["orders"], now: .now, lease: 300) {
/// case .claimed(let handoff): print(handoff.summary)
/// case .heldBy(let agent): print("\(agent) has it")
/// default: break
/// }
/// ```
///
/// Every method that writes more than one thing does it in one transaction: a turn and the
/// conversation state it leads to, a handoff with its packet and audit entry, a claim.
public protocol SupportStore: Sendable {
    // MARK: Conversations

    /// The conversation with `id`.
    func conversation(id: String) async throws -> ConversationRecord?

    /// The customer's most recent conversation.
    func latestConversation(customerID: String) async throws -> ConversationRecord?

    /// Appends a turn and saves the conversation state it leads to, together. Idempotent: a turn
    /// whose number the conversation already has is not added again (a retried write).
    func record(turn: TurnRecord, conversation: ConversationRecord) async throws

    /// Saves the conversation state alone (a new conversation, a reset, a hand-back).
    func save(conversation: ConversationRecord) async throws

    /// The conversation's turns in order.
    func turns(conversationID: String) async throws -> [TurnRecord]

    // MARK: Customers

    func customer(id: String) async throws -> CustomerProfile?
    func save(customer: CustomerProfile) async throws

    // MARK: The handoff queue

    /// Writes a new handoff with its whole packet, the conversation state that points at it, and the
    /// `created` audit entry, in one transaction. Returns it with its assigned id. Idempotent: when
    /// the conversation already has a handoff created at the same instant (a retry of a write whose
    /// commit the caller never heard about), returns that one and writes nothing.
    func createHandoff(_ handoff: Handoff, conversation: ConversationRecord) async throws -> Handoff

    func handoff(id: String) async throws -> Handoff?

    /// Handoffs with one of `statuses` (in `queue` when given), most urgent first, then longest waiting.
    func handoffs(statuses: Set<HandoffStatus>, queue: String?) async throws -> [Handoff]

    /// Gives a handoff to `agent`: the one with `id`, or the most urgent queued one in `queues`
    /// (any queue when nil). One conditional update: two agents claiming at once cannot both win.
    /// Leases that ran out by `now` are returned to the queue first. A handoff asked for by `id`
    /// that waits in a queue not among `queues` is not claimed: the outcome is `.otherQueue`.
    func claim(id: String?, agent: String, queues: [String]?, now: Date, lease: TimeInterval) async throws -> ClaimOutcome

    /// Extends the agent's lease; false when the agent no longer holds the handoff.
    func renewLease(id: String, agent: String, now: Date, lease: TimeInterval) async throws -> Bool

    /// Returns a claimed handoff to its queue.
    func release(id: String, agent: String, now: Date) async throws

    /// Moves a handoff to another queue (it waits there, unclaimed).
    func transfer(id: String, to queue: String, agent: String, now: Date) async throws

    /// Closes a handoff with a note.
    func resolve(id: String, agent: String, note: String, now: Date) async throws

    /// Returns the customer to the bot.
    func handBack(id: String, agent: String, note: String, now: Date) async throws

    /// Returns every claimed handoff whose lease ran out by `now` to its queue; their ids.
    func expireLeases(now: Date) async throws -> [String]

    /// Adds a message (customer, agent, note or system) and its audit entry; returns it with its sequence number.
    func post(_ message: HandoffMessage) async throws -> HandoffMessage

    /// Messages of a handoff after `sequence`, in order.
    func messages(handoffID: String, after sequence: Int) async throws -> [HandoffMessage]

    /// The handoff's audit log, in order.
    func events(handoffID: String) async throws -> [HandoffEvent]

    // MARK: Suggestions

    func add(suggestion: Suggestion) async throws -> Suggestion
    func suggestions() async throws -> [Suggestion]

    // MARK: Identity checks

    /// Records that an identity check of `key` (an order number) failed in a conversation, so the
    /// limit on guesses holds across conversations and processes.
    func recordFailedIdentityCheck(key: String, conversationID: String, at: Date) async throws

    /// The keys with at least `limit` failed identity checks since `since`.
    func lockedIdentityKeys(since: Date, limit: Int) async throws -> Set<String>

    // MARK: Agents

    /// Adds an agent. One row: its name, queues and the salted hash of its secret.
    ///
    /// - Throws: `StoreError.agentExists` when the store already has an agent of that name.
    func add(agent: AgentRecord) async throws

    /// The agent named `name`, or nil.
    func agent(named name: String) async throws -> AgentRecord?

    /// Every agent, by name.
    func agents() async throws -> [AgentRecord]

    /// Replaces the agent's salt and secret hash (a new secret); false when there is no such agent.
    func replaceSecret(ofAgent name: String, salt: String, secretHash: String, at: Date) async throws -> Bool

    /// Removes the agent; false when there was none. Handoffs they hold go back to the queue when
    /// their lease runs out, and the audit log keeps their name.
    func removeAgent(named name: String) async throws -> Bool

    // MARK: Satisfaction

    /// Inserts or replaces the conversation's satisfaction record (one per conversation).
    func save(satisfaction: SatisfactionRecord) async throws

    /// The conversation's satisfaction record: asked, and perhaps answered.
    func satisfaction(conversationID: String) async throws -> SatisfactionRecord?

    // MARK: Reports

    /// The rows `concierge report` computes its figures from: the conversations started in `range`
    /// and their turns, handoffs, audit entries and satisfaction records (see ``ReportRows``), read
    /// from one snapshot where the store has them. `progress` is called now and then while reading.
    func reportRows(in range: ReportRange, progress: @escaping @Sendable (ReportProgress) -> Void) async throws -> ReportRows

    // MARK: Erasure

    /// Removes the customer's profile and replaces their personal data in every stored row (see
    /// ``Erasure``), in one transaction.
    func erase(_ erasure: Erasure) async throws -> ErasureReport

    /// Deletes what is older than `cutoff`: conversations last updated before it (with their turns)
    /// unless a person still has or awaits them, closed handoffs (with their messages, audit log and
    /// suggestions) and failed identity checks; and rewrites every profile with `expire` (nil deletes
    /// it). One transaction.
    func purge(before cutoff: Date, expire: @Sendable (CustomerProfile) -> CustomerProfile?) async throws -> PurgeReport

    /// Claims the periodic `task` (for example the retention sweep) for this caller: true when it last
    /// ran before `now - every` or never, and then records `now` as its last run. One conditional
    /// write: of several processes starting at once, one wins and the others go on without it.
    func claimMaintenance(_ task: String, now: Date, every: TimeInterval) async throws -> Bool
}

/// What a purge deleted.
public struct PurgeReport: Sendable, Hashable, Codable {
    public var conversations = 0
    public var handoffs = 0
    public var profiles = 0
    public var profileFields = 0
    public var identityChecks = 0
    /// Satisfaction records (their conversations went, or they are older than the cutoff).
    public var satisfaction = 0

    public init() {}
}

extension SupportStore {
    /// The handoff's place among those waiting in its queue (1 = next), or nil when it is not waiting.
    public func queuePosition(of id: String) async throws -> Int? {
        guard let handoff = try await handoff(id: id), handoff.status == .queued else { return nil }
        let waiting = try await handoffs(statuses: [.queued], queue: handoff.queue)
        return waiting.firstIndex { $0.id == id }.map { $0 + 1 }
    }
}
