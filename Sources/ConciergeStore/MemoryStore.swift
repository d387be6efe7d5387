import ConciergeEngine
public import Foundation
import Synchronization

/// A store that keeps everything in memory: for tests and transcript replay, where each run starts
/// empty and ids are assigned in order, so a replay is the same every time.
public final class MemoryStore: SupportStore {
    private struct State {
        var conversations: [String: ConversationRecord] = [:]
        var turns: [String: [TurnRecord]] = [:]
        var customers: [String: CustomerProfile] = [:]
        var handoffs: [String: Handoff] = [:]
        var handoffOrder: [String] = []
        var messages: [String: [HandoffMessage]] = [:]
        var events: [String: [HandoffEvent]] = [:]
        var suggestions: [Suggestion] = []
        var failedIdentityChecks: [(key: String, conversationID: String, at: Date)] = []
        var satisfaction: [String: SatisfactionRecord] = [:]
        var agents: [String: AgentRecord] = [:]
        var maintenance: [String: Date] = [:]
        var nextHandoff = 1
    }

    private let state = Mutex(State())

    public init() {}

    public func claimMaintenance(_ task: String, now: Date, every: TimeInterval) async throws -> Bool {
        state.withLock { state in
            if let last = state.maintenance[task], last >= now.addingTimeInterval(-every) { return false }
            state.maintenance[task] = now
            return true
        }
    }

    public func erase(_ erasure: Erasure) async throws -> ErasureReport {
        state.withLock { state in
            var report = ErasureReport()
            let profiles = state.customers.values.filter(erasure.matches).sorted { $0.id < $1.id }
            let conversations = state.conversations.values.filter { erasure.matches($0, profiles: profiles) }
            let values = erasure.values(with: profiles, conversations: conversations)
            for profile in profiles { state.customers[profile.id] = nil }
            report.profiles = profiles.count
            let ids = Set(profiles.map(\.id) + [erasure.customerID].compactMap { $0 })
            func count(_ kind: String) { report.rowsByKind[kind, default: 0] += 1 }
            for (id, conversation) in state.conversations {
                var changed = Erasure.scrubbed(conversation, values: values) ?? conversation
                if let customer = changed.customerID, ids.contains(customer) || customer == Erasure.replacement { changed.customerID = nil }
                if changed.state.customerID == Erasure.replacement { changed.state.customerID = nil }
                if changed != conversation {
                    state.conversations[id] = changed
                    count("conversations")
                }
            }
            /// The records scrubbed, counting the ones that changed.
            func scrub<T: Codable>(_ records: [T], kind: String) -> [T] {
                records.map { record in
                    guard let scrubbed = Erasure.scrubbed(record, values: values) else { return record }
                    count(kind)
                    return scrubbed
                }
            }
            state.turns = state.turns.mapValues { scrub($0, kind: "turns") }
            for (id, handoff) in state.handoffs {
                guard var scrubbed = Erasure.scrubbed(handoff, values: values) else { continue }
                if let customer = scrubbed.customerID, customer == Erasure.replacement { scrubbed.customerID = nil }
                state.handoffs[id] = scrubbed
                count("handoffs")
            }
            state.messages = state.messages.mapValues { scrub($0, kind: "messages") }
            state.events = state.events.mapValues { scrub($0, kind: "events") }
            state.suggestions = scrub(state.suggestions, kind: "suggestions")
            for (id, record) in state.satisfaction {
                var changed = Erasure.scrubbed(record, values: values) ?? record
                if let customer = changed.customerID, ids.contains(customer) || customer == Erasure.replacement { changed.customerID = nil }
                if changed != record {
                    state.satisfaction[id] = changed
                    count("satisfaction")
                }
            }
            return report
        }
    }

    public func purge(before cutoff: Date, expire: @Sendable (CustomerProfile) -> CustomerProfile?) async throws -> PurgeReport {
        state.withLock { state in
            var report = PurgeReport()
            let open = Set(state.handoffs.values.filter { $0.status == .queued || $0.status == .claimed }.map(\.conversationID))
            for (id, conversation) in state.conversations where conversation.updatedAt < cutoff && !open.contains(id) {
                state.conversations[id] = nil
                state.turns[id] = nil
                report.conversations += 1
            }
            for (id, handoff) in state.handoffs where handoff.status == .resolved || handoff.status == .returned {
                guard (handoff.resolvedAt ?? handoff.createdAt) < cutoff else { continue }
                state.handoffs[id] = nil
                state.handoffOrder.removeAll { $0 == id }
                state.messages[id] = nil
                state.events[id] = nil
                state.suggestions.removeAll { $0.handoffID == id }
                report.handoffs += 1
            }
            let answers = state.satisfaction.count
            state.satisfaction = state.satisfaction.filter { $0.value.askedAt >= cutoff && state.conversations[$0.key] != nil }
            report.satisfaction = answers - state.satisfaction.count
            let checks = state.failedIdentityChecks.count
            state.failedIdentityChecks.removeAll { $0.at < cutoff }
            report.identityChecks = checks - state.failedIdentityChecks.count
            for (id, profile) in state.customers {
                let kept = expire(profile)
                if kept == nil { report.profiles += 1 }
                report.profileFields += profile.fields.count - (kept?.fields.count ?? 0)
                state.customers[id] = kept
            }
            return report
        }
    }

    public func recordFailedIdentityCheck(key: String, conversationID: String, at: Date) async throws {
        state.withLock { $0.failedIdentityChecks.append((key, conversationID, at)) }
    }

    public func lockedIdentityKeys(since: Date, limit: Int) async throws -> Set<String> {
        state.withLock { state in
            var counts: [String: Int] = [:]
            for check in state.failedIdentityChecks where check.at >= since { counts[check.key, default: 0] += 1 }
            return Set(counts.filter { $0.value >= limit }.keys)
        }
    }

    public func add(agent: AgentRecord) async throws {
        try state.withLock { state in
            guard state.agents[agent.name] == nil else { throw StoreError.agentExists(agent.name) }
            state.agents[agent.name] = agent
        }
    }

    public func agent(named name: String) async throws -> AgentRecord? { state.withLock { $0.agents[name] } }

    public func agents() async throws -> [AgentRecord] { state.withLock { $0.agents.values.sorted { $0.name < $1.name } } }

    public func replaceSecret(ofAgent name: String, salt: String, secretHash: String, at: Date) async throws -> Bool {
        state.withLock { state in
            guard var agent = state.agents[name] else { return false }
            agent.salt = salt
            agent.secretHash = secretHash
            agent.updatedAt = at
            state.agents[name] = agent
            return true
        }
    }

    public func removeAgent(named name: String) async throws -> Bool { state.withLock { $0.agents.removeValue(forKey: name) != nil } }

    public func save(satisfaction: SatisfactionRecord) async throws {
        state.withLock { $0.satisfaction[satisfaction.conversationID] = satisfaction }
    }

    public func satisfaction(conversationID: String) async throws -> SatisfactionRecord? {
        state.withLock { $0.satisfaction[conversationID] }
    }

    public func reportRows(in range: ReportRange, progress: @escaping @Sendable (ReportProgress) -> Void) async throws -> ReportRows {
        state.withLock { state in
            var rows = ReportRows()
            let conversations = state.conversations.values.filter { range.contains($0.startedAt) }.sorted { $0.id < $1.id }
            let ids = Set(conversations.map(\.id))
            rows.conversations = conversations.map { ReportRows.Conversation(id: $0.id, startedAt: $0.startedAt, updatedAt: $0.updatedAt) }
            for conversation in conversations {
                rows.turns += (state.turns[conversation.id] ?? []).sorted { $0.number < $1.number }.map(ReportRows.Turn.init)
            }
            let handoffs = state.handoffOrder.compactMap { state.handoffs[$0] }.filter { ids.contains($0.conversationID) }.sorted { $0.id < $1.id }
            rows.handoffs = handoffs.map(ReportRows.Handoff.init)
            for handoff in handoffs {
                rows.events += (state.events[handoff.id] ?? []).map {
                    ReportRows.Event(handoffID: $0.handoffID, at: $0.at, kind: $0.kind, actor: $0.actor)
                }
            }
            rows.satisfaction = state.satisfaction.values.filter { ids.contains($0.conversationID) }.sorted { $0.conversationID < $1.conversationID }
            progress(ReportProgress(stage: "conversations", done: conversations.count, total: conversations.count))
            return rows
        }
    }

    public func conversation(id: String) async throws -> ConversationRecord? { state.withLock { $0.conversations[id] } }

    public func latestConversation(customerID: String) async throws -> ConversationRecord? {
        state.withLock { state in
            state.conversations.values.filter { $0.customerID == customerID }
                .max { ($0.updatedAt, $0.id) < ($1.updatedAt, $1.id) }
        }
    }

    public func record(turn: TurnRecord, conversation: ConversationRecord) async throws {
        state.withLock { state in
            if state.turns[turn.conversationID, default: []].last?.number != turn.number {
                state.turns[turn.conversationID, default: []].append(turn)
            }
            state.conversations[conversation.id] = conversation
        }
    }

    public func save(conversation: ConversationRecord) async throws {
        state.withLock { $0.conversations[conversation.id] = conversation }
    }

    public func turns(conversationID: String) async throws -> [TurnRecord] { state.withLock { $0.turns[conversationID] ?? [] } }

    public func customer(id: String) async throws -> CustomerProfile? { state.withLock { $0.customers[id] } }

    public func save(customer: CustomerProfile) async throws { state.withLock { $0.customers[customer.id] = customer } }

    public func createHandoff(_ handoff: Handoff, conversation: ConversationRecord) async throws -> Handoff {
        state.withLock { state in
            // A retry of the same handoff (same conversation, same creation time) made nothing new.
            for id in state.handoffOrder {
                if let made = state.handoffs[id], made.conversationID == handoff.conversationID, made.createdAt == handoff.createdAt {
                    return made
                }
            }
            var created = handoff
            if created.id.isEmpty {
                created.id = HandoffID.format(state.nextHandoff)
                state.nextHandoff += 1
            }
            var conversation = conversation
            conversation.state.handoff?.id = created.id
            state.handoffs[created.id] = created
            state.handoffOrder.append(created.id)
            state.conversations[conversation.id] = conversation
            Self.log(&state, HandoffEvent(handoffID: created.id, at: created.createdAt, kind: .created, actor: "system", detail: created.reason.rawValue))
            return created
        }
    }

    public func handoff(id: String) async throws -> Handoff? { state.withLock { $0.handoffs[id] } }

    public func handoffs(statuses: Set<HandoffStatus>, queue: String?) async throws -> [Handoff] {
        state.withLock { state in
            state.handoffOrder.compactMap { state.handoffs[$0] }
                .filter { statuses.contains($0.status) && (queue == nil || $0.queue == queue) }
                .sorted(by: Handoff.queueOrder)
        }
    }

    public func claim(id: String?, agent: String, queues: [String]?, now: Date, lease: TimeInterval) async throws -> ClaimOutcome {
        state.withLock { state in
            Self.expire(&state, now: now)
            let target: Handoff?
            if let id {
                guard let handoff = state.handoffs[id] else { return .notFound }
                switch handoff.status {
                case .queued:
                    if let queues, !queues.contains(handoff.queue) { return .otherQueue(handoff.queue) }
                    target = handoff
                case .claimed: return .heldBy(handoff.claimedBy ?? "another agent")
                case .resolved, .returned: return .closed(handoff.status)
                }
            } else {
                target = state.handoffOrder.compactMap { state.handoffs[$0] }
                    .filter { $0.status == .queued && (queues == nil || queues!.contains($0.queue)) }
                    .sorted(by: Handoff.queueOrder).first
            }
            guard var handoff = target else { return .queueEmpty }
            handoff.status = .claimed
            handoff.claimedBy = agent
            handoff.claimedAt = now
            handoff.leaseUntil = now.addingTimeInterval(lease)
            state.handoffs[handoff.id] = handoff
            Self.log(&state, HandoffEvent(handoffID: handoff.id, at: now, kind: .claimed, actor: agent))
            return .claimed(handoff)
        }
    }

    public func renewLease(id: String, agent: String, now: Date, lease: TimeInterval) async throws -> Bool {
        state.withLock { state in
            guard var handoff = state.handoffs[id], handoff.status == .claimed, handoff.claimedBy == agent else { return false }
            handoff.leaseUntil = now.addingTimeInterval(lease)
            state.handoffs[id] = handoff
            return true
        }
    }

    public func release(id: String, agent: String, now: Date) async throws {
        try update(id: id, agent: agent, now: now, kind: .released, detail: "") { handoff in
            handoff.status = .queued
            handoff.claimedBy = nil
            handoff.leaseUntil = nil
        }
    }

    public func transfer(id: String, to queue: String, agent: String, now: Date) async throws {
        try update(id: id, agent: agent, now: now, kind: .transferred, detail: queue, requireHolder: false) { handoff in
            handoff.queue = queue
            handoff.status = .queued
            handoff.claimedBy = nil
            handoff.leaseUntil = nil
        }
    }

    public func resolve(id: String, agent: String, note: String, now: Date) async throws {
        try update(id: id, agent: agent, now: now, kind: .resolved, detail: note) { handoff in
            handoff.status = .resolved
            handoff.resolvedAt = now
            handoff.resolution = note
            handoff.leaseUntil = nil
        }
    }

    public func handBack(id: String, agent: String, note: String, now: Date) async throws {
        try update(id: id, agent: agent, now: now, kind: .handedBack, detail: note) { handoff in
            handoff.status = .returned
            handoff.resolvedAt = now
            handoff.resolution = note
            handoff.leaseUntil = nil
        }
    }

    public func expireLeases(now: Date) async throws -> [String] { state.withLock { Self.expire(&$0, now: now) } }

    public func post(_ message: HandoffMessage) async throws -> HandoffMessage {
        try state.withLock { state in
            guard var handoff = state.handoffs[message.handoffID] else { throw StoreError.handoffNotFound(message.handoffID) }
            if let already = state.messages[message.handoffID]?.last(where: {
                $0.sender == message.sender && $0.at == message.at && $0.author == message.author && $0.text == message.text
            }) {
                return already
            }
            var posted = message
            posted.sequence = (state.messages[message.handoffID]?.last?.sequence ?? 0) + 1
            state.messages[message.handoffID, default: []].append(posted)
            if message.sender == .agent, handoff.firstResponseAt == nil {
                handoff.firstResponseAt = message.at
                state.handoffs[handoff.id] = handoff
            }
            let kind: HandoffEvent.Kind = switch message.sender {
            case .agent: .replied
            case .note: .noted
            case .customer: .customerMessage
            case .system: .noted
            }
            Self.log(&state, HandoffEvent(handoffID: message.handoffID, at: message.at, kind: kind, actor: message.author))
            return posted
        }
    }

    public func messages(handoffID: String, after sequence: Int) async throws -> [HandoffMessage] {
        state.withLock { ($0.messages[handoffID] ?? []).filter { $0.sequence > sequence } }
    }

    public func events(handoffID: String) async throws -> [HandoffEvent] { state.withLock { $0.events[handoffID] ?? [] } }

    public func add(suggestion: Suggestion) async throws -> Suggestion {
        try state.withLock { state in
            guard state.handoffs[suggestion.handoffID] != nil else { throw StoreError.handoffNotFound(suggestion.handoffID) }
            var added = suggestion
            added.id = (state.suggestions.last?.id ?? 0) + 1
            state.suggestions.append(added)
            Self.log(&state, HandoffEvent(handoffID: added.handoffID, at: added.createdAt, kind: .taught, actor: added.agent, detail: added.target))
            return added
        }
    }

    public func suggestions() async throws -> [Suggestion] { state.withLock { $0.suggestions } }

    // MARK: - Helpers

    private func update(
        id: String, agent: String, now: Date, kind: HandoffEvent.Kind, detail: String, requireHolder: Bool = true,
        _ change: (inout Handoff) -> Void
    ) throws {
        try state.withLock { state in
            Self.expire(&state, now: now)
            guard var handoff = state.handoffs[id] else { throw StoreError.handoffNotFound(id) }
            if handoff.status == .resolved || handoff.status == .returned { throw StoreError.closed(id: id, status: handoff.status) }
            if requireHolder, handoff.status != .claimed || handoff.claimedBy != agent {
                throw StoreError.notHeld(id: id, holder: handoff.status == .claimed ? handoff.claimedBy : nil)
            }
            change(&handoff)
            state.handoffs[id] = handoff
            Self.log(&state, HandoffEvent(handoffID: id, at: now, kind: kind, actor: agent, detail: detail))
        }
    }

    @discardableResult
    private static func expire(_ state: inout State, now: Date) -> [String] {
        var expired: [String] = []
        for id in state.handoffOrder {
            guard var handoff = state.handoffs[id], handoff.status == .claimed, let lease = handoff.leaseUntil, lease < now else { continue }
            let holder = handoff.claimedBy ?? ""
            handoff.status = .queued
            handoff.claimedBy = nil
            handoff.leaseUntil = nil
            state.handoffs[id] = handoff
            log(&state, HandoffEvent(handoffID: id, at: now, kind: .leaseExpired, actor: "system", detail: holder))
            expired.append(id)
        }
        return expired
    }

    private static func log(_ state: inout State, _ event: HandoffEvent) {
        var logged = event
        logged.sequence = (state.events[event.handoffID]?.last?.sequence ?? 0) + 1
        state.events[event.handoffID, default: []].append(logged)
    }
}

/// Handoff ids: `H-` and six digits, from the store's sequence.
public enum HandoffID {
    public static func format(_ number: Int) -> String {
        let digits = String(number)
        return "H-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}

extension Handoff {
    /// Queue order: most urgent first (priority 1), then longest waiting, then id.
    public static func queueOrder(_ a: Handoff, _ b: Handoff) -> Bool {
        (a.priority, a.createdAt, a.id) < (b.priority, b.createdAt, b.id)
    }
}
