public import ConciergeEngine
public import ConciergeStore
public import Foundation

/// Turns a stored conversation into a transcript script: the customer's messages in order, and the
/// agents' steps on its handoffs (take, reply, note, transfer, release, resolve, hand back) read
/// from each handoff's audit log, interleaved by time. `TranscriptRecorder` then writes it with
/// what the bot says today, so an agent-handled conversation becomes a regression test.
///
/// ```swift
/// let stored = try await TranscriptExport.load(id: "H-000042", from: store)
/// let script = TranscriptExport.script(stored, knowledge: engine.knowledge, file: "refund-dispute.transcript")
/// let text = await TranscriptRecorder(engine: engine).record(script).text
/// ```
public enum TranscriptExport {
    /// A conversation as the store holds it.
    public struct Stored: Sendable {
        /// The conversation record, if the store still has it.
        public var conversation: ConversationRecord?
        /// Its turns, in order (after a `/reset`, only those since).
        public var turns: [TurnRecord]
        /// Its handoffs, oldest first, each with its messages and audit log.
        public var handoffs: [HandoffHistory]

        /// Makes a stored conversation.
        public init(conversation: ConversationRecord?, turns: [TurnRecord], handoffs: [HandoffHistory]) {
            self.conversation = conversation
            self.turns = turns
            self.handoffs = handoffs
        }
    }

    /// A handoff with what was said and done on it.
    public struct HandoffHistory: Sendable {
        /// The packet.
        public var handoff: Handoff
        /// Customer, agent, note and system messages, in order.
        public var messages: [HandoffMessage]
        /// The audit log, in order.
        public var events: [HandoffEvent]

        /// Makes a history.
        public init(handoff: Handoff, messages: [HandoffMessage], events: [HandoffEvent]) {
            self.handoff = handoff
            self.messages = messages
            self.events = events
        }
    }

    /// Neither a handoff nor a conversation has the id.
    public struct NotFound: Error, Sendable, LocalizedError {
        /// The id asked for.
        public var id: String
        public var errorDescription: String? { "no handoff or conversation \(id); `concierge queue list --status resolved` lists handoffs" }
    }

    /// Loads the conversation of handoff `id` (or the conversation with that id) with its handoffs.
    public static func load(id: String, from store: any SupportStore) async throws -> Stored {
        let conversationID: String
        var focus: Handoff?
        if let handoff = try await store.handoff(id: id) {
            conversationID = handoff.conversationID
            focus = handoff
        } else if try await store.conversation(id: id) != nil {
            conversationID = id
        } else {
            throw NotFound(id: id)
        }
        let conversation = try await store.conversation(id: conversationID)
        var turns = try await store.turns(conversationID: conversationID)
        if turns.isEmpty, let focus { turns = focus.transcript }
        var handoffs: [HandoffHistory] = []
        let all = try await store.handoffs(statuses: Set(HandoffStatus.allCases), queue: nil).filter { $0.conversationID == conversationID }
        for handoff in all.sorted(by: { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }) {
            handoffs.append(
                HandoffHistory(
                    handoff: handoff, messages: try await store.messages(handoffID: handoff.id, after: 0),
                    events: try await store.events(handoffID: handoff.id)))
        }
        if let focus, !handoffs.contains(where: { $0.handoff.id == focus.id }) {
            handoffs.append(
                HandoffHistory(
                    handoff: focus, messages: try await store.messages(handoffID: focus.id, after: 0),
                    events: try await store.events(handoffID: focus.id)))
        }
        // After a /reset the turn numbers start again: keep the part the handoff belongs to.
        let segments = segmentStarts(turns)
        var start = segments.last ?? 0
        if let focus, let last = focus.transcript.last {
            for segment in segments.reversed() where turns[segment].at <= last.at {
                start = segment
                break
            }
        }
        let end = segments.first(where: { $0 > start }) ?? turns.count
        let kept = Array(turns[start..<end])
        let from = kept.first?.at ?? .distantPast
        let until = end < turns.count ? turns[end].at : .distantFuture
        handoffs = handoffs.filter { $0.handoff.createdAt >= from && $0.handoff.createdAt < until }
        return Stored(conversation: conversation, turns: kept, handoffs: handoffs)
    }

    /// Indices where a new run of turn numbers starts (a conversation and each `/reset`).
    static func segmentStarts(_ turns: [TurnRecord]) -> [Int] {
        var starts: [Int] = []
        for (index, turn) in turns.enumerated() where index == 0 || turn.number <= turns[index - 1].number { starts.append(index) }
        return starts
    }

    /// The script of a stored conversation. Pauses of a minute or more become `! wait` steps, so
    /// replies that depend on the time (opening hours, return windows) come out the same, and
    /// `divergences(_:observation:)` tells where they do not.
    /// `knowledge` tells whether the customer was known from the start (`@customer`) or gave
    /// their email in the chat.
    public static func script(_ stored: Stored, knowledge: KnowledgeBase?, file: String) -> Transcript {
        var header = Transcript.Header()
        let start =
            stored.conversation?.startedAt ?? stored.turns.first?.at ?? stored.handoffs.first?.handoff.createdAt ?? Transcript.Header.defaultNow
        header.now = Date(timeIntervalSince1970: start.timeIntervalSince1970.rounded(.down))
        header.nowWritten = true
        header.customer = customerKnownFromStart(stored, knowledge: knowledge)

        enum Entry {
            case message(String)
            case step(agent: String, operation: Transcript.AgentStep.Operation)
        }
        var timeline: [(at: Date, order: Int, entry: Entry)] = []
        var order = 0
        for turn in stored.turns {
            timeline.append((turn.at, order, .message(turn.customer)))
            order += 1
        }
        for history in stored.handoffs {
            var agentMessages = history.messages.filter { $0.sender == .agent }[...]
            var notes = history.messages.filter { $0.sender == .note }[...]
            var steps: [(at: Date, agent: String, operation: Transcript.AgentStep.Operation)] = []
            for event in history.events {
                switch event.kind {
                case .claimed: steps.append((event.at, event.actor, .take(nil)))
                case .released: steps.append((event.at, event.actor, .release))
                case .transferred: steps.append((event.at, event.actor, .transfer(event.detail)))
                case .resolved: steps.append((event.at, event.actor, .resolve(event.detail.isEmpty ? "Resolved" : event.detail)))
                case .handedBack:
                    // The hand-back note is posted as a message just before: one step, not two.
                    if !event.detail.isEmpty, let last = steps.last, case .reply(let text) = last.operation, text == event.detail,
                        last.agent == event.actor
                    {
                        steps.removeLast()
                    }
                    steps.append((event.at, event.actor, .handBack(event.detail)))
                case .replied:
                    if let message = agentMessages.popFirst() { steps.append((event.at, message.author, .reply(message.text))) }
                case .noted:
                    // Notices from Concierge itself are logged as notes too; only agents' notes are steps.
                    if event.actor != "system", let note = notes.first, note.author == event.actor {
                        notes.removeFirst()
                        steps.append((event.at, note.author, .note(note.text)))
                    }
                case .created, .leaseExpired, .customerMessage, .taught:
                    break
                }
            }
            for step in steps {
                timeline.append((step.at, order, .step(agent: step.agent, operation: step.operation)))
                order += 1
            }
        }
        timeline.sort { ($0.at, $0.order) < ($1.at, $1.order) }

        // Each pause is measured from the entry before it, so the replay's clock is never ahead of
        // the conversation's: an agent's lease that held then holds in the replay too.
        var items: [Transcript.Item] = []
        var previous = header.now
        for entry in timeline {
            let gap = entry.at.timeIntervalSince(previous)
            if gap >= 60 { items.append(.wait(Transcript.Pause(duration: gap.rounded(.down)))) }
            previous = max(previous, entry.at)
            switch entry.entry {
            case .message(let text): items.append(.customer(Transcript.CustomerTurn(message: text)))
            case .step(let agent, let operation):
                items.append(.agent(Transcript.AgentStep(agent: agent.isEmpty ? "agent" : agent, operation: operation)))
            }
        }
        return Transcript(file: file, header: header, items: items)
    }

    /// The customer's id when they were known before the first message (a `--customer` chat),
    /// nil when they identified themselves with their email during it (or never).
    static func customerKnownFromStart(_ stored: Stored, knowledge: KnowledgeBase?) -> String? {
        guard let id = stored.conversation?.customerID ?? stored.handoffs.first?.handoff.customerID else { return nil }
        guard let email = knowledge?.table(named: "customers")?.row(where: "customer_id", equals: id)?["email"], !email.isEmpty else { return id }
        let wanted = email.lowercased()
        return stored.turns.contains { $0.customer.lowercased().contains(wanted) } ? nil : id
    }

    /// Turns where the replay of `script` replied differently than the customer was told when the
    /// conversation happened: `(turn number, what changed)`.
    public static func divergences(_ stored: Stored, observation: Observation) -> [(turn: Int, change: String)] {
        var found: [(Int, String)] = []
        let replayed = observation.items.compactMap(\.turn)
        for (index, (then, now)) in zip(stored.turns, replayed).enumerated() {
            if then.action != now.action {
                found.append((index + 1, "\(then.action.rawValue) then, \(now.action.rawValue) now"))
            } else if then.intent != now.intent?.name {
                found.append((index + 1, "intent \(then.intent ?? "none") then, \(now.intent?.name ?? "none") now"))
            } else if then.reply != now.reply {
                found.append((index + 1, "the reply's text"))
            }
        }
        return found
    }
}
