// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
import ConciergeEngine
public import ConciergeStore
public import Foundation
import PostgresNIO

extension PostgresStore {
    /// Writes the handoff, the conversation state that points at it and the `created` audit entry in
    /// one transaction, then notifies `concierge_handoff` when it commits.
    ///
    /// A handoff with an empty id gets `H-` and the six-digit number the `handoff_number_seq`
    /// sequence hands out: ids are never reused, even across processes and rolled-back transactions.
    /// When this returns, the handoff is committed. Idempotent: a retry of a write whose commit the
    /// client never heard about (same conversation, same creation time) returns the handoff already
    /// made instead of making a second.
    public func createHandoff(_ handoff: Handoff, conversation: ConversationRecord) async throws -> Handoff {
        try await transaction("create a handoff") { connection in
            let existing = try await Self.rows(
                connection,
                """
                SELECT \(unescaped: HandoffColumns.select) FROM handoff
                WHERE conversation_id = \(handoff.conversationID) AND created_at = to_timestamp(\(handoff.createdAt.seconds))
                """,
                HandoffColumns.record)
            if let made = existing.first { return made }
            let numbers = try await Self.rows(connection, "SELECT nextval('handoff_number_seq')") { try $0.makeRandomAccess()[0].decode(Int.self) }
            guard let number = numbers.first else { throw StoreError.corrupt("the handoff sequence returned no number") }
            var created = handoff
            if created.id.isEmpty { created.id = HandoffID.format(number) }
            try await Self.execute(connection, try HandoffColumns.insert(created, number: number))
            var conversation = conversation
            conversation.state.handoff?.id = created.id
            try await Self.execute(connection, try ConversationColumns.upsert(conversation))
            try await self.log(
                connection,
                HandoffEvent(
                    handoffID: created.id, at: created.createdAt, kind: .created, actor: "system", detail: created.reason.rawValue))
            return created
        }
    }

    /// The handoff with `id`, or nil.
    public func handoff(id: String) async throws -> Handoff? {
        try await withConnection("read a handoff") { connection in
            try await Self.rows(connection, "SELECT \(unescaped: HandoffColumns.select) FROM handoff WHERE id = \(id)", HandoffColumns.record)
                .first
        }
    }

    /// Handoffs with one of `statuses` (in `queue` when given), most urgent first, then longest waiting.
    public func handoffs(statuses: Set<HandoffStatus>, queue: String?) async throws -> [Handoff] {
        let statuses = statuses.map(\.rawValue).sorted()
        guard !statuses.isEmpty else { return [] }
        return try await withConnection("list handoffs") { connection in
            let query: PostgresQuery =
                if let queue {
                    """
                    SELECT \(unescaped: HandoffColumns.select) FROM handoff WHERE status = ANY(\(statuses)) AND queue = \(queue)
                    ORDER BY priority, created_at, id
                    """
                } else {
                    """
                    SELECT \(unescaped: HandoffColumns.select) FROM handoff WHERE status = ANY(\(statuses))
                    ORDER BY priority, created_at, id
                    """
                }
            return try await Self.rows(connection, query, HandoffColumns.record)
        }
    }

    /// Gives a handoff to `agent` in one transaction: returns expired leases to the queue, then claims
    /// with one statement.
    ///
    /// - The next handoff: `UPDATE handoff SET status = 'claimed', … WHERE number = (SELECT number FROM
    ///   handoff WHERE status = 'queued' [AND queue = ANY($queues)] ORDER BY priority, created_at, id
    ///   LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED) RETURNING …`. Concurrent claimers each lock a different row
    ///   and never wait for one another; a handoff another claimer is taking at that instant is
    ///   skipped, so `.queueEmpty` can mean "the rest are being claimed right now".
    /// - A given handoff: `UPDATE … WHERE id = $id AND status = 'queued' [AND queue = ANY($queues)]
    ///   RETURNING …`; when no row changes, its current status says why (held by someone, closed, in
    ///   another queue, not found).
    public func claim(id: String?, agent: String, queues: [String]?, now: Date, lease: TimeInterval) async throws -> ClaimOutcome {
        let until = now.addingTimeInterval(lease)
        return try await transaction("claim a handoff") { connection in
            try await self.expireLeases(connection, now: now)
            let claimed: Handoff?
            if let id {
                // Every queue when none are given: `queues IS NULL` is bound, never spliced in.
                let every = queues == nil
                claimed = try await Self.rows(
                    connection,
                    """
                    UPDATE handoff SET status = 'claimed', claimed_by = \(agent), claimed_at = to_timestamp(\(now.seconds)),
                        lease_until = to_timestamp(\(until.seconds))
                    WHERE id = \(id) AND status = 'queued' AND (\(every) OR queue = ANY(\(queues ?? [])))
                    RETURNING \(unescaped: HandoffColumns.select)
                    """,
                    HandoffColumns.record
                ).first
                if claimed == nil {
                    guard let current = try await Self.status(connection, id: id) else { return .notFound }
                    switch current.status {
                    case .queued: return .otherQueue(current.queue)
                    case .claimed: return .heldBy(current.holder ?? "another agent")
                    case .resolved, .returned: return .closed(current.status)
                    }
                }
            } else {
                let next: PostgresQuery =
                    if let queues {
                        """
                        UPDATE handoff SET status = 'claimed', claimed_by = \(agent), claimed_at = to_timestamp(\(now.seconds)),
                            lease_until = to_timestamp(\(until.seconds))
                        WHERE number = (
                            SELECT number FROM handoff WHERE status = 'queued' AND queue = ANY(\(queues))
                            ORDER BY priority, created_at, id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED)
                        AND status = 'queued'
                        RETURNING \(unescaped: HandoffColumns.select)
                        """
                    } else {
                        """
                        UPDATE handoff SET status = 'claimed', claimed_by = \(agent), claimed_at = to_timestamp(\(now.seconds)),
                            lease_until = to_timestamp(\(until.seconds))
                        WHERE number = (
                            SELECT number FROM handoff WHERE status = 'queued'
                            ORDER BY priority, created_at, id LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED)
                        AND status = 'queued'
                        RETURNING \(unescaped: HandoffColumns.select)
                        """
                    }
                claimed = try await Self.rows(connection, next, HandoffColumns.record).first
            }
            guard let claimed else { return .queueEmpty }
            try await self.log(connection, HandoffEvent(handoffID: claimed.id, at: now, kind: .claimed, actor: agent))
            return .claimed(claimed)
        }
    }

    /// Extends the agent's lease to `now + lease`; false when the agent does not hold the handoff.
    public func renewLease(id: String, agent: String, now: Date, lease: TimeInterval) async throws -> Bool {
        let until = now.addingTimeInterval(lease)
        return try await withConnection("renew a lease") { connection in
            try await !Self.rows(
                connection,
                """
                UPDATE handoff SET lease_until = to_timestamp(\(until.seconds))
                WHERE id = \(id) AND status = 'claimed' AND claimed_by = \(agent) RETURNING number
                """
            ) { _ in () }.isEmpty
        }
    }

    /// Returns the agent's handoff to its queue.
    ///
    /// - Throws: `StoreError.notHeld` when the agent does not hold it, `.closed` when it is resolved
    ///   or returned, `.handoffNotFound`.
    public func release(id: String, agent: String, now: Date) async throws {
        try await change(
            id: id, agent: agent, now: now, kind: .released, detail: "",
            """
            UPDATE handoff SET status = 'queued', claimed_by = NULL, lease_until = NULL
            WHERE id = \(id) AND status = 'claimed' AND claimed_by = \(agent) RETURNING number
            """)
    }

    /// Moves a queued or claimed handoff to `queue`, where it waits unclaimed. Any agent may transfer.
    ///
    /// - Throws: `StoreError.closed` when it is resolved or returned, `.handoffNotFound`.
    public func transfer(id: String, to queue: String, agent: String, now: Date) async throws {
        try await change(
            id: id, agent: agent, now: now, kind: .transferred, detail: queue,
            """
            UPDATE handoff SET queue = \(queue), status = 'queued', claimed_by = NULL, lease_until = NULL
            WHERE id = \(id) AND status IN ('queued', 'claimed') RETURNING number
            """)
    }

    /// Closes the agent's handoff with `note` as its resolution.
    ///
    /// - Throws: `StoreError.notHeld`, `.closed`, `.handoffNotFound`.
    public func resolve(id: String, agent: String, note: String, now: Date) async throws {
        try await change(
            id: id, agent: agent, now: now, kind: .resolved, detail: note,
            """
            UPDATE handoff SET status = 'resolved', resolved_at = to_timestamp(\(now.seconds)), resolution = \(note), lease_until = NULL
            WHERE id = \(id) AND status = 'claimed' AND claimed_by = \(agent) RETURNING number
            """)
    }

    /// Returns the agent's customer to the bot, with `note` as the resolution.
    ///
    /// - Throws: `StoreError.notHeld`, `.closed`, `.handoffNotFound`.
    public func handBack(id: String, agent: String, note: String, now: Date) async throws {
        try await change(
            id: id, agent: agent, now: now, kind: .handedBack, detail: note,
            """
            UPDATE handoff SET status = 'returned', resolved_at = to_timestamp(\(now.seconds)), resolution = \(note), lease_until = NULL
            WHERE id = \(id) AND status = 'claimed' AND claimed_by = \(agent) RETURNING number
            """)
    }

    /// Returns every claimed handoff whose lease ran out before `now` to its queue, logging
    /// `lease_expired`; their ids, oldest handoff first.
    public func expireLeases(now: Date) async throws -> [String] {
        try await transaction("expire leases") { connection in try await self.expireLeases(connection, now: now) }
    }

    // MARK: - Helpers

    /// One state change of a handoff by `agent`: `update` (which returns a row when it changed one),
    /// after expiring leases, in one transaction; when no row changed, the handoff's row says why.
    private func change(
        id: String, agent: String, now: Date, kind: HandoffEvent.Kind, detail: String, _ update: PostgresQuery
    ) async throws {
        try await transaction("change a handoff") { connection in
            try await self.expireLeases(connection, now: now)
            let changed: [Void] = try await Self.rows(connection, update) { _ in () }
            if changed.isEmpty {
                guard let current = try await Self.status(connection, id: id) else { throw StoreError.handoffNotFound(id) }
                if current.status == .resolved || current.status == .returned {
                    throw StoreError.closed(id: id, status: current.status)
                }
                throw StoreError.notHeld(id: id, holder: current.status == .claimed ? current.holder : nil)
            }
            try await self.log(connection, HandoffEvent(handoffID: id, at: now, kind: kind, actor: agent, detail: detail))
        }
    }

    /// The handoff's status and holder, or nil when there is no such handoff.
    static func status(_ connection: PostgresConnection, id: String) async throws -> (status: HandoffStatus, holder: String?, queue: String)? {
        let found = try await rows(connection, "SELECT status, claimed_by, queue FROM handoff WHERE id = \(id)") { row in
            let row = RowReader(row)
            return (
                status: try row.value("status", as: HandoffStatus.self), holder: try row.optionalString("claimed_by"),
                queue: try row.string("queue")
            )
        }
        return found.first
    }

    /// Returns claimed handoffs whose lease ran out before `now` to the queue, logging `lease_expired`
    /// with the former holder; their ids in creation order. Rows another transaction has locked are
    /// left for the next call.
    @discardableResult
    func expireLeases(_ connection: PostgresConnection, now: Date) async throws -> [String] {
        let expired = try await Self.rows(
            connection,
            """
            WITH expired AS (
                SELECT number, id, claimed_by FROM handoff
                WHERE status = 'claimed' AND lease_until < to_timestamp(\(now.seconds))
                ORDER BY number FOR UPDATE SKIP LOCKED
            ), returned AS (
                UPDATE handoff SET status = 'queued', claimed_by = NULL, lease_until = NULL
                WHERE number IN (SELECT number FROM expired)
            )
            SELECT id, claimed_by FROM expired ORDER BY number
            """
        ) { row in
            let row = RowReader(row)
            return (id: try row.string("id"), holder: try row.optionalString("claimed_by"))
        }
        for handoff in expired {
            try await self.log(
                connection, HandoffEvent(handoffID: handoff.id, at: now, kind: .leaseExpired, actor: "system", detail: handoff.holder ?? ""))
        }
        return expired.map(\.id)
    }

    /// Appends `event` to its handoff's audit log with the next sequence number, and notifies the
    /// handoff's channel (`concierge_message` for a message, `concierge_handoff` for anything else
    /// but `taught`) when the transaction commits.
    ///
    /// The number is `MAX(sequence) + 1` read after taking the handoff's advisory lock, in a
    /// statement of its own (each statement sees what committed before it began).
    func log(_ connection: PostgresConnection, _ event: HandoffEvent) async throws {
        try await Self.lockSequences(connection, handoffID: event.handoffID)
        let channel: String? =
            switch event.kind {
            case .replied, .noted, .customerMessage: notifier.channels.message
            case .taught: nil
            default: notifier.channels.handoff
            }
        try await Self.execute(
            connection,
            """
            WITH logged AS (
                INSERT INTO handoff_event (handoff_id, sequence, at, kind, actor, detail)
                SELECT \(event.handoffID), COALESCE(MAX(sequence), 0) + 1, to_timestamp(\(event.at.seconds)), \(event.kind.rawValue),
                    \(event.actor), \(event.detail)
                FROM handoff_event WHERE handoff_id = \(event.handoffID)
                RETURNING handoff_id
            )
            SELECT pg_notify(\(channel ?? ""), handoff_id) FROM logged WHERE \(channel ?? "") <> ''
            """)
    }

    /// Serialises the numbering of one handoff's messages and audit entries until the transaction
    /// ends: a transaction-level advisory lock on (1, hash of the id), a key space of its own.
    static func lockSequences(_ connection: PostgresConnection, handoffID: String) async throws {
        try await execute(connection, "SELECT pg_advisory_xact_lock(1, hashtext(\(handoffID)))")
    }
}
#endif
