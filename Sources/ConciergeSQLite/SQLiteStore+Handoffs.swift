import ConciergeEngine
public import ConciergeStore
public import Foundation
import GRDB

extension SQLiteStore {
    /// Writes the handoff, the conversation state that points at it and the `created` audit entry
    /// in one transaction.
    ///
    /// A handoff with an empty id gets `H-` and the six-digit `number` SQLite assigned to its row,
    /// inside the same transaction: ids are never reused, even across processes. Idempotent: a retry
    /// (same conversation, same creation time) returns the handoff already made.
    public func createHandoff(_ handoff: Handoff, conversation: ConversationRecord) async throws -> Handoff {
        try await write("create a handoff") { db in
            if let made = try HandoffRow.filter(
                HandoffRow.Columns.conversationId == handoff.conversationID && HandoffRow.Columns.createdAt == handoff.createdAt.databaseSeconds
            ).fetchOne(db) {
                return made.record
            }
            var created = handoff
            var row = HandoffRow(handoff)
            // An empty id is a placeholder only this transaction ever sees: it becomes the number below.
            try row.insert(db)
            if created.id.isEmpty, let number = row.number {
                created.id = HandoffID.format(Int(number))
                try db.cachedStatement(literal: "UPDATE handoff SET id = \(created.id) WHERE number = \(number)").execute()
            }
            var conversation = conversation
            conversation.state.handoff?.id = created.id
            try ConversationRow(conversation).upsert(db)
            try Self.log(
                db,
                HandoffEvent(
                    handoffID: created.id, at: created.createdAt, kind: .created, actor: "system",
                    detail: created.reason.rawValue))
            return created
        }
    }

    /// The handoff with `id`, or nil.
    public func handoff(id: String) async throws -> Handoff? {
        try await read("read a handoff") { db in
            try HandoffRow.filter(HandoffRow.Columns.id == id).fetchOne(db)?.record
        }
    }

    /// Handoffs with one of `statuses` (in `queue` when given), most urgent first, then longest waiting.
    public func handoffs(statuses: Set<HandoffStatus>, queue: String?) async throws -> [Handoff] {
        try await read("list handoffs") { db in
            var request = HandoffRow.all().filter(statuses: statuses)
            if let queue { request = request.filter(queue: queue) }
            return try request.queueOrdered().fetchAll(db).map(\.record)
        }
    }

    /// Gives a handoff to `agent` with one conditional `UPDATE … WHERE status = 'queued' RETURNING *`
    /// (and `AND queue IN (…)` when the agent's queues are given), after returning expired leases to
    /// the queue, all in one transaction.
    public func claim(id: String?, agent: String, queues: [String]?, now: Date, lease: TimeInterval) async throws -> ClaimOutcome {
        try await write("claim a handoff") { db in
            try Self.expireLeases(db, now: now)
            let update: SQL = """
                UPDATE handoff SET status = 'claimed', claimedBy = \(agent), claimedAt = \(now.databaseSeconds), \
                leaseUntil = \(now.addingTimeInterval(lease).databaseSeconds)
                """
            let claimed: HandoffRow?
            if let id {
                var only: SQL = " WHERE id = \(id) AND status = 'queued'"
                if let queues { only += " AND queue IN \(queues)" }
                claimed = try HandoffRow.fetchAll(db, SQLRequest(literal: update + only + " RETURNING *", cached: true)).first
                if claimed == nil {
                    guard let current = try Self.status(db, id: id) else { return .notFound }
                    switch current.status {
                    case .queued: return .otherQueue(current.queue)
                    case .claimed: return .heldBy(current.holder ?? "another agent")
                    case .resolved, .returned: return .closed(current.status)
                    }
                }
            } else {
                var next: SQL = "SELECT number FROM handoff WHERE status = 'queued'"
                if let queues { next += " AND queue IN \(queues)" }
                next += " ORDER BY priority, createdAt, id LIMIT 1"
                claimed = try HandoffRow.fetchAll(
                    db, SQLRequest(literal: update + " WHERE number = (\(next)) AND status = 'queued' RETURNING *", cached: true)
                ).first
            }
            guard let claimed else { return .queueEmpty }
            try Self.log(db, HandoffEvent(handoffID: claimed.id, at: now, kind: .claimed, actor: agent))
            return .claimed(claimed.record)
        }
    }

    /// Extends the agent's lease to `now + lease`; false when the agent does not hold the handoff.
    public func renewLease(id: String, agent: String, now: Date, lease: TimeInterval) async throws -> Bool {
        try await write("renew a lease") { db in
            try db.cachedStatement(
                literal: """
                    UPDATE handoff SET leaseUntil = \(now.addingTimeInterval(lease).databaseSeconds) \
                    WHERE id = \(id) AND status = 'claimed' AND claimedBy = \(agent)
                    """
            ).execute()
            return db.changesCount > 0
        }
    }

    /// Returns the agent's handoff to its queue.
    ///
    /// - Throws: `StoreError.notHeld` when the agent does not hold it, `.closed` when it is resolved
    ///   or returned, `.handoffNotFound`.
    public func release(id: String, agent: String, now: Date) async throws {
        try await change(
            id: id, agent: agent, now: now, kind: .released, detail: "",
            set: "status = 'queued', claimedBy = NULL, leaseUntil = NULL")
    }

    /// Moves a queued or claimed handoff to `queue`, where it waits unclaimed. Any agent may transfer.
    ///
    /// - Throws: `StoreError.closed` when it is resolved or returned, `.handoffNotFound`.
    public func transfer(id: String, to queue: String, agent: String, now: Date) async throws {
        try await change(
            id: id, agent: agent, now: now, kind: .transferred, detail: queue, requireHolder: false,
            set: "queue = \(queue), status = 'queued', claimedBy = NULL, leaseUntil = NULL")
    }

    /// Closes the agent's handoff with `note` as its resolution.
    ///
    /// - Throws: `StoreError.notHeld`, `.closed`, `.handoffNotFound`.
    public func resolve(id: String, agent: String, note: String, now: Date) async throws {
        try await change(
            id: id, agent: agent, now: now, kind: .resolved, detail: note,
            set: "status = 'resolved', resolvedAt = \(now.databaseSeconds), resolution = \(note), leaseUntil = NULL")
    }

    /// Returns the agent's customer to the bot, with `note` as the resolution.
    ///
    /// - Throws: `StoreError.notHeld`, `.closed`, `.handoffNotFound`.
    public func handBack(id: String, agent: String, note: String, now: Date) async throws {
        try await change(
            id: id, agent: agent, now: now, kind: .handedBack, detail: note,
            set: "status = 'returned', resolvedAt = \(now.databaseSeconds), resolution = \(note), leaseUntil = NULL")
    }

    /// Returns every claimed handoff whose lease ran out before `now` to its queue, logging
    /// `lease_expired`; their ids, oldest handoff first.
    public func expireLeases(now: Date) async throws -> [String] {
        try await write("expire leases") { db in try Self.expireLeases(db, now: now) }
    }

    // MARK: - Helpers

    /// One state change of a handoff by `agent`, as one conditional update; when no row matches,
    /// the row says why (not found, closed, held by someone else).
    private func change(
        id: String, agent: String, now: Date, kind: HandoffEvent.Kind, detail: String, requireHolder: Bool = true,
        set assignments: SQL
    ) async throws {
        try await write("change a handoff") { db in
            try Self.expireLeases(db, now: now)
            let condition: SQL =
                requireHolder ? "status = 'claimed' AND claimedBy = \(agent)" : "status IN ('queued', 'claimed')"
            try db.cachedStatement(literal: "UPDATE handoff SET \(assignments) WHERE id = \(id) AND \(condition)").execute()
            if db.changesCount == 0 {
                guard let current = try Self.status(db, id: id) else { throw StoreError.handoffNotFound(id) }
                if current.status == .resolved || current.status == .returned {
                    throw StoreError.closed(id: id, status: current.status)
                }
                throw StoreError.notHeld(id: id, holder: current.status == .claimed ? current.holder : nil)
            }
            try Self.log(db, HandoffEvent(handoffID: id, at: now, kind: kind, actor: agent, detail: detail))
        }
    }

    /// The handoff's status and holder, or nil when there is no such handoff.
    private static func status(_ db: Database, id: String) throws -> (status: HandoffStatus, holder: String?, queue: String)? {
        let request = SQLRequest<Row>(literal: "SELECT status, claimedBy, queue FROM handoff WHERE id = \(id)", cached: true)
        guard let row = try request.fetchOne(db) else {
            return nil
        }
        let raw: String = row["status"]
        guard let status = HandoffStatus(rawValue: raw) else {
            throw StoreError.corrupt("a handoff has an unknown status; it was damaged or changed outside Concierge: restore a backup")
        }
        return (status, row["claimedBy"], row["queue"])
    }

    /// Returns claimed handoffs whose lease ran out before `now` to the queue, logging `lease_expired`
    /// with the former holder; their ids in creation order.
    @discardableResult
    static func expireLeases(_ db: Database, now: Date) throws -> [String] {
        let expired = try SQLRequest<Row>(
            literal: "SELECT id, claimedBy FROM handoff WHERE status = 'claimed' AND leaseUntil < \(now.databaseSeconds) ORDER BY number",
            cached: true
        ).fetchAll(db)
        guard !expired.isEmpty else { return [] }
        try db.cachedStatement(
            literal: """
                UPDATE handoff SET status = 'queued', claimedBy = NULL, leaseUntil = NULL \
                WHERE status = 'claimed' AND leaseUntil < \(now.databaseSeconds)
                """
        ).execute()
        var ids: [String] = []
        for row in expired {
            let id: String = row["id"]
            let holder: String? = row["claimedBy"]
            try log(db, HandoffEvent(handoffID: id, at: now, kind: .leaseExpired, actor: "system", detail: holder ?? ""))
            ids.append(id)
        }
        return ids
    }

    /// Appends `event` to its handoff's audit log with the next sequence number.
    static func log(_ db: Database, _ event: HandoffEvent) throws {
        var row = HandoffEventRow(event)
        row.sequence = try nextSequence(db, table: HandoffEventRow.self, handoffID: event.handoffID)
        try row.insert(db)
    }

    /// 1 + the highest sequence number of the handoff's rows in `table` (messages or events).
    static func nextSequence(_ db: Database, table: any TableRecord.Type, handoffID: String) throws -> Int {
        try SQLRequest<Int>(
            literal: "SELECT COALESCE(MAX(sequence), 0) + 1 FROM \(table) WHERE handoffId = \(handoffID)", cached: true
        ).fetchOne(db) ?? 1
    }
}
