import ConciergeEngine
public import ConciergeStore
public import Foundation

/// An agent's side of the queue: see what waits, take a handoff, read its packet, talk to the
/// customer, and finish (resolve, hand back to the bot, transfer, release).
///
/// ```swift
/// let desk = AgentDesk(store: store, agent: "ana", time: SystemTime())
/// if case .claimed(let handoff) = try await desk.take() {
///     try await desk.reply(handoff.id, "Hi, I'm Ana. I can see order \(handoff.slots["order_id"] ?? "")...")
///     try await desk.resolve(handoff.id, note: "Refund issued")
/// }
/// ```
public struct AgentDesk: Sendable {
    public let store: any SupportStore
    public let agent: String
    /// The queues this agent works (nil: all).
    public let skills: [String]?
    public let time: any TimeSource
    /// How long a claim lasts without activity.
    public let lease: TimeInterval

    /// A desk for `agent` working `skills` (nil: every queue). It does not check who `agent` is:
    /// use ``init(store:agent:narrowedTo:time:lease:)`` with an agent ``AgentRoster`` authenticated.
    public init(store: any SupportStore, agent: String, skills: [String]? = nil, time: any TimeSource, lease: TimeInterval = 300) {
        self.store = store
        self.agent = StorableText.clean(agent)
        self.skills = skills
        self.time = time
        self.lease = lease
    }

    /// A desk for an authenticated agent: it acts only in the agent's queues, or in `narrowedTo`
    /// when given (those of the agent's queues this session takes from).
    public init(store: any SupportStore, agent: AgentRecord, narrowedTo: [String]? = nil, time: any TimeSource, lease: TimeInterval = 300) {
        let skills: [String]? =
            switch (agent.queues, narrowedTo) {
            case (let queues, nil): queues
            case (nil, let narrowed?): narrowed
            case (let queues?, let narrowed?): narrowed.filter(queues.contains)
            }
        self.init(store: store, agent: agent.name, skills: skills, time: time, lease: lease)
    }

    /// The queues this desk acts in, as people read them.
    public var queuesDescription: String { skills.map { $0.isEmpty ? "no queue" : $0.joined(separator: ", ") } ?? "every queue" }

    /// Waiting and claimed handoffs, most urgent first (expired leases returned to the queue first).
    public func queue() async throws -> [Handoff] {
        _ = try await store.expireLeases(now: time.now())
        return try await store.handoffs(statuses: [.queued, .claimed], queue: nil)
    }

    /// Takes the handoff with `id`, or the most urgent one in this agent's queues. A handoff in
    /// another queue is not taken (`.otherQueue`).
    public func take(_ id: String? = nil) async throws -> ClaimOutcome {
        try await store.claim(id: id, agent: agent, queues: skills, now: time.now(), lease: lease)
    }

    /// The whole packet, the messages since, and the audit log.
    public func show(_ id: String) async throws -> (handoff: Handoff, messages: [HandoffMessage], events: [HandoffEvent]) {
        guard let handoff = try await store.handoff(id: id) else { throw StoreError.handoffNotFound(id) }
        return (handoff, try await store.messages(handoffID: id, after: 0), try await store.events(handoffID: id))
    }

    /// Sends the customer a message (the agent must hold the handoff); renews the lease.
    @discardableResult
    public func reply(_ id: String, _ text: String) async throws -> HandoffMessage {
        try await requireHeld(id)
        let now = time.now()
        _ = try await store.renewLease(id: id, agent: agent, now: now, lease: lease)
        return try await store.post(HandoffMessage(handoffID: id, at: now, sender: .agent, author: agent, text: StorableText.clean(text)))
    }

    /// Adds an internal note the customer never sees.
    @discardableResult
    public func note(_ id: String, _ text: String) async throws -> HandoffMessage {
        guard let handoff = try await store.handoff(id: id) else { throw StoreError.handoffNotFound(id) }
        try requireQueue(handoff)
        return try await store.post(HandoffMessage(handoffID: id, at: time.now(), sender: .note, author: agent, text: StorableText.clean(text)))
    }

    /// Customer messages since `sequence` (to show in the console as they arrive).
    public func messages(_ id: String, after sequence: Int) async throws -> [HandoffMessage] {
        try await store.messages(handoffID: id, after: sequence)
    }

    public func release(_ id: String) async throws { try await store.release(id: id, agent: agent, now: time.now()) }

    /// Moves the handoff (one in this agent's queues) to `queue`, where it waits unclaimed.
    public func transfer(_ id: String, to queue: String) async throws {
        guard let handoff = try await store.handoff(id: id) else { throw StoreError.handoffNotFound(id) }
        try requireQueue(handoff)
        try await store.transfer(id: id, to: StorableText.clean(queue), agent: agent, now: time.now())
    }

    /// Closes the handoff. With `teach`, the customer's question is suggested as a new example of
    /// that intent or article (`intent:NAME`, `article:ID`, or a bare intent name) for an author to accept.
    public func resolve(_ id: String, note: String, teach: String? = nil) async throws {
        let handoff = try await requireHeld(id)
        if let teach {
            let target = teach.contains(":") ? teach : "intent:" + teach
            _ = try await store.add(
                suggestion: Suggestion(handoffID: id, text: Self.question(in: handoff), target: target, agent: agent, createdAt: time.now()))
        }
        try await store.resolve(id: id, agent: agent, note: StorableText.clean(note), now: time.now())
    }

    /// Returns the customer to the bot, with a note the customer sees.
    public func handBack(_ id: String, note: String) async throws {
        try await requireHeld(id)
        let now = time.now()
        let note = StorableText.clean(note)
        if !note.isEmpty { _ = try await store.post(HandoffMessage(handoffID: id, at: now, sender: .agent, author: agent, text: note)) }
        try await store.handBack(id: id, agent: agent, note: note, now: now)
    }

    @discardableResult
    private func requireHeld(_ id: String) async throws -> Handoff {
        guard let handoff = try await store.handoff(id: id) else { throw StoreError.handoffNotFound(id) }
        if handoff.status == .resolved || handoff.status == .returned { throw StoreError.closed(id: id, status: handoff.status) }
        guard handoff.status == .claimed, handoff.claimedBy == agent else {
            throw StoreError.notHeld(id: id, holder: handoff.status == .claimed ? handoff.claimedBy : nil)
        }
        try requireQueue(handoff)
        return handoff
    }

    /// Throws ``AgentAccessError/otherQueue(agent:id:queue:agentQueues:)`` unless the handoff is in
    /// one of this desk's queues.
    private func requireQueue(_ handoff: Handoff) throws {
        guard skills?.contains(handoff.queue) ?? true else {
            throw AgentAccessError.otherQueue(agent: agent, id: handoff.id, queue: handoff.queue, agentQueues: queuesDescription)
        }
    }

    /// The customer's question in a handoff: the last message the bot could not answer well, or the first.
    public static func question(in handoff: Handoff) -> String {
        let candidates = handoff.transcript.filter { $0.action == .fallback || $0.action == .clarify || $0.action == .answer }
        return (candidates.last ?? handoff.transcript.first)?.customer ?? ""
    }
}
