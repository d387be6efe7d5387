public import ConciergeEngine
public import ConciergeStore
public import Foundation

/// One customer's conversation: the engine's replies, saved turn by turn, handed to the queue with
/// its full context when the bot hands off, and relaying messages to and from the agent after that.
///
/// ```swift
/// let session = try await CustomerSession(engine: engine, store: store, time: SystemTime(), conversationID: "c1")
/// let turn = try await session.send("where is my order A10234?")
/// print(turn.reply)
/// for message in try await session.poll() { print("\(message.author): \(message.text)") }
/// ```
///
/// Every turn is written before its reply is returned, so a crash loses at most the turn in flight;
/// a handoff is written (packet, conversation state and audit entry in one transaction) before the
/// customer is told it was made.
public actor CustomerSession {
    public let engine: Engine
    public let store: any SupportStore
    public let time: any TimeSource
    /// The conversation's memory, as the engine left it after the last turn.
    public private(set) var state: ConversationState
    /// When the conversation started.
    public let startedAt: Date
    /// What to greet a returning customer with (nil for a new one).
    public private(set) var welcome: String?
    /// The last turn, for `/why`.
    public private(set) var lastTurn: Turn?
    private var profile: CustomerProfile?
    private var lastSeenMessage = 0

    /// Starts a conversation, or resumes the stored one with the same id.
    public init(engine: Engine, store: any SupportStore, time: any TimeSource, conversationID: String, customerID: String? = nil) async throws {
        self.engine = engine
        self.store = store
        self.time = time
        let now = time.now()
        if let existing = try await store.conversation(id: conversationID) {
            state = existing.state
            startedAt = existing.startedAt
        } else {
            state = ConversationState(id: conversationID, customerID: customerID)
            startedAt = now
        }
        if let customerID {
            state.customerID = customerID
            let profile = try await loadProfile(customerID, now: now)
            welcome = engine.welcomeBack(
                &state, customerID: customerID, name: profile.name, known: CustomerMemory.knownSlots(profile),
                recentOrder: CustomerMemory.recentOrder(profile), now: now)
        }
        if let handoff = state.handoff, !handoff.id.isEmpty {
            lastSeenMessage = try await store.messages(handoffID: handoff.id, after: 0).last?.sequence ?? 0
            // Resumed after the agent closed it: the customer had left, so they are not asked how we did.
            if let stored = try await store.handoff(id: handoff.id), stored.status == .resolved || stored.status == .returned {
                mayAskSatisfaction = false
            }
        }
        everHandedOff = state.handoff != nil
    }

    /// The conversation's id.
    public var id: String { state.id }

    /// The handoff the conversation is in, if a person has it or it waits for one.
    public var handoffID: String? { state.handoff.flatMap { $0.id.isEmpty ? nil : $0.id } }

    /// Sends one customer message: the bot's turn, or (after a handoff) the message relayed to the agent.
    ///
    /// A store that fails (a full disk, a restarting server) never stops the conversation: the turn
    /// is kept and written as soon as the store is back, a message for the agent waits likewise, and
    /// a handoff is retried until it is in the queue. The customer is told they are in line only once
    /// the handoff is committed.
    public func send(_ typed: String) async throws -> Turn {
        // The edge: NUL made storable and the length bounded, the same for every store.
        let prepared = StorableText(typed, limit: engine.settings.maximumMessageLength)
        let message = prepared.text
        let now = time.now()
        await flushPending(now: now)
        if let asked = satisfactionAsked {
            // One chance: the next message answers the question, or is read as any other message.
            satisfactionAsked = nil
            if !prepared.wasCut, let turn = await answerSatisfaction(asked, message: message, now: now) { return turn }
        }
        let activeHandoff = handoffID
        let awaitingQueue = state.handoff != nil && activeHandoff == nil
        let identifiedBefore = state.customerID
        await readIdentityLocks(now: now)
        var turn = engine.respond(to: message, in: &state, now: now)
        if let key = turn.identityFailure {
            failedIdentityChecks.append((key, now))
            await flushFailedIdentityChecks()
        }

        if let activeHandoff {
            // A person has (or will have) the conversation: the message goes to them.
            let relayed = HandoffMessage(handoffID: activeHandoff, at: now, sender: .customer, author: state.customerID ?? "customer", text: turn.customer)
            do {
                _ = try await store.post(relayed)
                turn = await relayedReply(turn, handoffID: activeHandoff, message: message, now: now)
            } catch {
                // Not written: kept and sent again, the same message, as soon as the store is back.
                unsentMessages.append(relayed)
                problem = "\(error)"
                turn.reply = engine.settings.fill(engine.settings.texts.relayHeld)
            }
            if let id = state.handoff?.id { turn.handoff?.id = id }
        } else if awaitingQueue {
            unsentMessages.append(
                HandoffMessage(handoffID: "", at: now, sender: .customer, author: state.customerID ?? "customer", text: turn.customer))
            turn.reply = engine.settings.fill(engine.settings.texts.handoffStillSaving)
        } else if let request = turn.handoff {
            do {
                let (created, notice) = try await createHandoff(request: request, including: TurnRecord(turn, conversationID: state.id, at: now), now: now)
                turn.handoff = created
                turn.reply += (turn.reply.isEmpty ? "" : "\n") + notice
            } catch {
                // Not in the queue yet: say so honestly, and keep trying.
                pendingHandoff = request
                pendingHandoffTurn = turn.number
                pendingHandoffAt = now
                problem = "\(error)"
                turn.reply += (turn.reply.isEmpty ? "" : "\n")
                    + engine.settings.fill(engine.settings.texts.handoffSaving)
            }
        }

        if state.customerID != nil, identifiedBefore == nil, let id = state.customerID, let profile = try? await loadProfile(id, now: now) {
            // Identified in this conversation: bring in what we know about them.
            for (slot, value) in CustomerMemory.knownSlots(profile) where state.slots[slot] == nil { state.slots[slot] = value }
        }
        if prepared.wasCut {
            let notice = engine.settings.fill(engine.settings.texts.messageCut)
                .replacingOccurrences(of: "{limit}", with: String(engine.settings.maximumMessageLength))
            turn.reply = notice + (turn.reply.isEmpty ? "" : "\n" + turn.reply)
        }
        if state.handoff != nil { everHandedOff = true }
        if activeHandoff == nil, !awaitingQueue, state.handoff == nil, endsBotConversation(turn),
            let question = await askSatisfaction(handoff: nil, now: now)
        {
            turn.reply += (turn.reply.isEmpty ? "" : "\n") + question
        }
        unsavedTurns.append(TurnRecord(turn, conversationID: state.id, at: now))
        await flushTurns(now: now)
        try? await rememberCustomer(now: now)
        lastTurn = turn
        return turn
    }

    // MARK: - Satisfaction

    /// False once the conversation cannot be asked how we did (resumed after its handoff closed).
    private var mayAskSatisfaction = true
    /// True once the conversation has been with a person (it is no longer the bot's alone).
    private var everHandedOff = false
    /// The question asked and not yet answered: the next message may answer it.
    private var satisfactionAsked: SatisfactionRecord?

    /// True when `turn` ends a conversation the bot handled alone and the settings ask then: a
    /// closing intent (goodbye, thanks) after at least one answer, never with a person involved.
    private func endsBotConversation(_ turn: Turn) -> Bool {
        let settings = engine.settings.satisfaction
        guard settings.afterBotConversation, !everHandedOff, turn.action == .smalltalk, let intent = turn.intent?.name else { return false }
        return settings.closingIntents.contains(intent) && !state.answered.isEmpty
    }

    /// Asks "how did we do?" if this conversation never was asked: stores the question (so it is
    /// asked at most once, by any process) and returns its text, or nil when it is not to be asked.
    private func askSatisfaction(handoff: Handoff?, now: Date) async -> String? {
        guard mayAskSatisfaction else { return nil }
        guard (try? await store.satisfaction(conversationID: state.id)) == .some(nil) else { return nil }
        let record = SatisfactionRecord(
            conversationID: state.id, handoffID: handoff?.id, customerID: state.customerID, agent: handoff?.claimedBy,
            queue: handoff?.queue, intent: state.topic?.intent, askedAt: now)
        do {
            try await store.save(satisfaction: record)
        } catch {
            return nil
        }
        mayAskSatisfaction = false
        satisfactionAsked = record
        return engine.settings.fill(engine.settings.satisfaction.question)
    }

    /// Records a reply of 1-5 (and a comment) to the question, as a turn of its own; nil when the
    /// message is not an answer, to be read as any other.
    private func answerSatisfaction(_ asked: SatisfactionRecord, message: String, now: Date) async -> Turn? {
        guard SatisfactionSettings.rating(in: message) != nil else { return nil }
        // The engine reads the message only to mask it as every stored message is; its reply is not used.
        var scratch = state
        var turn = engine.respond(to: message, in: &scratch, now: now)
        state.turnCount = scratch.turnCount
        state.cardInProgress = scratch.cardInProgress
        guard let rating = SatisfactionSettings.rating(in: turn.customer) ?? SatisfactionSettings.rating(in: message) else { return nil }
        var answered = asked
        answered.score = rating.score
        answered.comment = rating.comment
        answered.answeredAt = now
        try? await store.save(satisfaction: answered)
        turn.reply = engine.settings.fill(engine.settings.satisfaction.thanks)
        turn.action = .smalltalk
        turn.intent = nil
        turn.articles = []
        turn.asked = nil
        turn.handoff = nil
        turn.slots = state.slots
        turn.explanation = Explanation()
        turn.explanation.decision = "An answer to “how did we do?”: \(rating.score) of 5."
        unsavedTurns.append(TurnRecord(turn, conversationID: state.id, at: now))
        await flushTurns(now: now)
        lastTurn = turn
        return turn
    }

    /// What the customer is told once their message is with the agent's handoff: their place in
    /// line while it waits, nothing while a person has it, or the bot's reply when it has just closed.
    private func relayedReply(_ turn: Turn, handoffID: String, message: String, now: Date) async -> Turn {
        var turn = turn
        do {
            let handoff = try await store.handoff(id: handoffID)
            if let promise = handoff?.promise, handoff?.status == .queued {
                turn.reply = engine.settings.fill(engine.settings.texts.relayOutOfHours).replacingOccurrences(of: "{id}", with: handoffID)
                    .replacingOccurrences(of: "{promise}", with: promise)
            } else if handoff?.status == .queued {
                turn.reply = engine.waitingNotice(position: try await store.queuePosition(of: handoffID))
            } else if handoff?.status == .claimed {
                turn.reply = ""
            } else {
                // Closed while the customer was typing: the bot is back.
                state.handoff = nil
                turn = engine.respond(to: message, in: &state, now: now)
            }
        } catch {
            turn.reply = engine.settings.fill(engine.settings.texts.relayed)
        }
        return turn
    }

    /// The last store failure, while anything waits to be written (nil when all is saved).
    public private(set) var problem: String?

    /// What the store has not taken yet.
    public struct Unsaved: Sendable, Hashable {
        /// Turns not written.
        public var turns: Int
        /// Messages for the agent not written.
        public var messages: Int
        /// True when a handoff the customer asked for is not in the queue.
        public var handoff: Bool
        /// The store's last error.
        public var problem: String?

        /// True when everything is written.
        public var isEmpty: Bool { turns == 0 && messages == 0 && !handoff }

        /// "3 turns, 1 message for the agent and the handoff", for a report on standard error.
        public var description: String {
            var parts: [String] = []
            if turns > 0 { parts.append(turns == 1 ? "1 turn" : "\(turns) turns") }
            if messages > 0 { parts.append(messages == 1 ? "1 message for the agent" : "\(messages) messages for the agent") }
            if handoff { parts.append("the handoff") }
            guard let last = parts.popLast() else { return "nothing" }
            return parts.isEmpty ? last : parts.joined(separator: ", ") + " and " + last
        }
    }

    /// What is still held because the store failed.
    public var unsaved: Unsaved {
        Unsaved(turns: unsavedTurns.count, messages: unsentMessages.count, handoff: pendingHandoff != nil, problem: problem)
    }

    /// At the end of a conversation: tries to write what is still held, up to `attempts` times with
    /// `pause` between, and returns what could not be written (empty when all is saved).
    public func finish(attempts: Int = 5, pause: Duration = .milliseconds(400)) async -> Unsaved {
        for attempt in 0..<max(1, attempts) {
            await flushPending(now: time.now())
            if unsaved.isEmpty { break }
            if attempt + 1 < attempts { try? await Task.sleep(for: pause) }
        }
        return unsaved
    }

    /// Turns not yet written (the store failed); written, in order, as soon as it works again.
    private var unsavedTurns: [TurnRecord] = []
    /// Customer messages for the agent not yet written.
    private var unsentMessages: [HandoffMessage] = []
    /// A handoff decided on but not yet in the queue, and the turn that made it.
    private var pendingHandoff: HandoffRequest?
    private var pendingHandoffTurn = 0
    /// When the pending handoff was made: its retries write the same instant, so a first attempt
    /// that did commit (unheard, the connection dropped) is found rather than duplicated.
    private var pendingHandoffAt: Date?
    /// Notices for the customer from catching up (for example, "you're now in line").
    private var notices: [HandoffMessage] = []

    /// Failed identity checks not yet in the store's ledger.
    private var failedIdentityChecks: [(key: String, at: Date)] = []

    /// Before a turn: the keys too many identity checks failed for recently, in any conversation, so
    /// the engine stops checking them (kept as they were when the store does not answer).
    private func readIdentityLocks(now: Date) async {
        let since = now.addingTimeInterval(-Double(engine.settings.identityCheckWindowMinutes) * 60)
        guard let locked = try? await store.lockedIdentityKeys(since: since, limit: engine.settings.identityCheckLimit) else { return }
        guard !locked.isEmpty || state.identity != nil else { return }
        var ledger = state.identity ?? .init()
        ledger.lockedKeys = locked.sorted()
        state.identity = ledger
    }

    private func flushFailedIdentityChecks() async {
        while let check = failedIdentityChecks.first {
            do {
                try await store.recordFailedIdentityCheck(key: check.key, conversationID: state.id, at: check.at)
                failedIdentityChecks.removeFirst()
            } catch {
                problem = "\(error)"
                return
            }
        }
    }

    /// Writes whatever waits: turns, then a pending handoff, then messages for the agent.
    private func flushPending(now: Date) async {
        await flushFailedIdentityChecks()
        await flushTurns(now: now)
        guard unsavedTurns.isEmpty else { return }
        if let request = pendingHandoff {
            do {
                let (created, notice) = try await createHandoff(
                    request: request, including: nil, upTo: pendingHandoffTurn, now: pendingHandoffAt ?? now)
                pendingHandoff = nil
                pendingHandoffAt = nil
                notices.append(HandoffMessage(handoffID: created.id, at: now, sender: .system, author: engine.settings.assistantName, text: notice))
                try await store.save(conversation: conversationRecord(now: now))
            } catch {
                problem = "\(error)"
                return
            }
        }
        if let id = handoffID {
            while let message = unsentMessages.first {
                var addressed = message
                addressed.handoffID = id
                do {
                    _ = try await store.post(addressed)
                    unsentMessages.removeFirst()
                } catch {
                    problem = "\(error)"
                    return
                }
            }
        }
        if pendingHandoff == nil && unsentMessages.isEmpty { problem = nil }
    }

    private func flushTurns(now: Date) async {
        while let record = unsavedTurns.first {
            do {
                try await store.record(turn: record, conversation: conversationRecord(now: now))
                unsavedTurns.removeFirst()
            } catch {
                problem = "\(error)"
                return
            }
        }
    }

    /// Messages from the agent (and Concierge's own notices) since the last call. When the agent has
    /// handed the customer back or resolved the handoff, the bot answers again from the next message.
    public func poll() async throws -> [HandoffMessage] {
        await flushPending(now: time.now())
        var shown = notices
        notices.removeAll()
        guard let id = handoffID else { return shown }
        let messages = try await store.messages(handoffID: id, after: lastSeenMessage)
        lastSeenMessage = messages.last?.sequence ?? lastSeenMessage
        shown += messages.filter { $0.sender == .agent || $0.sender == .system }
        if let handoff = try await store.handoff(id: id), handoff.status == .returned || handoff.status == .resolved {
            state.handoff = nil
            state.pending = .nothing
            state.consecutiveFallbacks = 0
            state.failures = 0
            state.mood = 0
            let now = time.now()
            try await store.save(conversation: conversationRecord(now: now))
            let text = handoff.status == .returned
                ? engine.settings.fill(engine.settings.texts.handedBack) : engine.settings.fill(engine.settings.texts.handoffEnded)
            shown.append(HandoffMessage(handoffID: id, sequence: lastSeenMessage, at: now, sender: .system, author: engine.settings.assistantName, text: text))
            // Resolved while the customer is still here: one question about how we did.
            if handoff.status == .resolved, engine.settings.satisfaction.afterResolution,
                let question = await askSatisfaction(handoff: handoff, now: now)
            {
                shown.append(
                    HandoffMessage(handoffID: id, sequence: lastSeenMessage, at: now, sender: .system, author: engine.settings.assistantName, text: question))
            }
        }
        return shown
    }

    /// The customer's place in the queue while waiting for a person.
    public func queuePosition() async throws -> Int? {
        guard let id = handoffID else { return nil }
        return try await store.queuePosition(of: id)
    }

    /// Forgets the conversation's memory and starts afresh (same id, same customer).
    public func reset() async throws {
        state = ConversationState(id: state.id, customerID: state.customerID)
        lastTurn = nil
        try await store.save(conversation: conversationRecord(now: time.now()))
    }

    // MARK: - Handoff

    /// Writes the handoff with its whole packet; `including` is the turn that made it, when it is
    /// not in the store yet.
    private func createHandoff(request: HandoffRequest, including turn: TurnRecord?, upTo last: Int = .max, now: Date) async throws -> (HandoffRequest, String) {
        var transcript = try await store.turns(conversationID: state.id).filter { $0.number <= last }
        if let turn, !transcript.contains(where: { $0.number == turn.number }) { transcript.append(turn) }
        let open = engine.teamIsOpen(at: now)
        let promise = open ? nil : engine.replyPromise(after: now)
        let due = promise?.deadline ?? now.addingTimeInterval(engine.settings.firstResponseMinutes(queue: request.queue) * 60)
        let handoff = Handoff(
            conversationID: state.id, customerID: state.customerID, reason: request.reason, queue: request.queue, priority: request.priority,
            summary: request.summary, sentiment: request.sentiment, slots: state.slots, profile: profile, transcript: transcript,
            suggestedArticles: request.suggestedArticles.map { .init(id: $0.id, title: $0.title) }, createdAt: now, dueAt: due,
            promise: promise?.text)
        let created = try await store.createHandoff(handoff, conversation: conversationRecord(now: now))
        state.handoff?.id = created.id
        lastSeenMessage = 0
        var answered = request
        answered.id = created.id
        // Committed: from here nothing may throw, or a retry would look like a second handoff.
        let position = open ? try? await store.queuePosition(of: created.id) : nil
        return (answered, engine.handoffNotice(id: created.id, position: position, promise: promise?.text))
    }

    // MARK: - Memory

    private func conversationRecord(now: Date) -> ConversationRecord {
        ConversationRecord(id: state.id, customerID: state.customerID, startedAt: startedAt, updatedAt: now, state: state)
    }

    private func loadProfile(_ id: String, now: Date) async throws -> CustomerProfile {
        var loaded = try await store.customer(id: id) ?? CustomerProfile(id: id, updatedAt: now)
        loaded = CustomerMemory.applyingRetention(loaded, settings: engine.settings, now: now)
        if loaded.name == nil, let row = engine.knowledge.table(named: "customers")?.row(where: "customer_id", equals: id) {
            loaded.name = row["name"]
            if loaded.fields["email"] == nil, let email = row["email"], !email.isEmpty {
                loaded.fields["email"] = .init(value: email, learnedAt: now)
            }
        }
        profile = loaded
        return loaded
    }

    private func rememberCustomer(now: Date) async throws {
        guard let id = state.customerID else { return }
        let base: CustomerProfile
        if let profile { base = profile } else { base = try await loadProfile(id, now: now) }
        let updated = CustomerMemory.updating(base, with: state, handoffID: handoffID, now: now)
        if updated != profile {
            try await store.save(customer: updated)
            profile = updated
        }
    }
}
