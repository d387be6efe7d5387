// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import ConciergeStore
import PostgresNIO

extension PostgresStore {
    /// Adds the message with the handoff's next sequence number and its audit entry, in one
    /// transaction; the first agent message sets the handoff's `firstResponseAt`. When it commits,
    /// `concierge_message` is notified with the handoff's id. Idempotent: the same message (sender,
    /// author, time and text) posted again is returned as it was stored.
    ///
    /// - Throws: `StoreError.handoffNotFound`.
    public func post(_ message: HandoffMessage) async throws -> HandoffMessage {
        try await transaction("post a message") { connection in
            let id = message.handoffID
            // The agent's first reply locks the handoff's row before the numbering lock below, the
            // order every other change takes them in.
            let found: [Void] =
                if message.sender == .agent {
                    try await Self.rows(
                        connection,
                        """
                        UPDATE handoff SET first_response_at = COALESCE(first_response_at, to_timestamp(\(message.at.seconds)))
                        WHERE id = \(id) RETURNING number
                        """
                    ) { _ in () }
                } else {
                    // The key-share lock the message's foreign key takes anyway, taken before the
                    // numbering lock: every path locks the row first, so none waits in a cycle.
                    try await Self.rows(connection, "SELECT number FROM handoff WHERE id = \(id) FOR KEY SHARE") { _ in () }
                }
            guard !found.isEmpty else { throw StoreError.handoffNotFound(id) }
            try await Self.lockSequences(connection, handoffID: id)
            // A retry of a post whose commit the client never heard about: the message is there.
            let already = try await Self.rows(
                connection,
                """
                SELECT sequence FROM handoff_message
                WHERE handoff_id = \(id) AND sender = \(message.sender.rawValue) AND at = to_timestamp(\(message.at.seconds))
                    AND author = \(message.author) AND text = \(message.text)
                """
            ) { try RowReader($0).int("sequence") }
            if let sequence = already.first {
                var posted = message
                posted.sequence = sequence
                return posted
            }
            let sequences = try await Self.rows(
                connection,
                """
                INSERT INTO handoff_message (handoff_id, sequence, at, sender, author, text)
                SELECT \(id), COALESCE(MAX(sequence), 0) + 1, to_timestamp(\(message.at.seconds)), \(message.sender.rawValue),
                    \(message.author), \(message.text)
                FROM handoff_message WHERE handoff_id = \(id)
                RETURNING sequence
                """
            ) { try RowReader($0).int("sequence") }
            guard let sequence = sequences.first else { throw StoreError.corrupt("a message insert returned no sequence number") }
            var posted = message
            posted.sequence = sequence
            let kind: HandoffEvent.Kind =
                switch message.sender {
                case .agent: .replied
                case .note, .system: .noted
                case .customer: .customerMessage
                }
            try await self.log(connection, HandoffEvent(handoffID: id, at: message.at, kind: kind, actor: message.author))
            return posted
        }
    }

    /// The handoff's messages after `sequence`, in order.
    public func messages(handoffID: String, after sequence: Int) async throws -> [HandoffMessage] {
        try await withConnection("read messages") { connection in
            try await Self.rows(
                connection,
                """
                SELECT \(unescaped: MessageColumns.select) FROM handoff_message
                WHERE handoff_id = \(handoffID) AND sequence > \(sequence) ORDER BY sequence
                """,
                MessageColumns.record)
        }
    }

    /// The handoff's audit log, in order.
    public func events(handoffID: String) async throws -> [HandoffEvent] {
        try await withConnection("read the audit log") { connection in
            try await Self.rows(
                connection, "SELECT \(unescaped: EventColumns.select) FROM handoff_event WHERE handoff_id = \(handoffID) ORDER BY sequence",
                EventColumns.record)
        }
    }

    /// Saves the suggestion with the next id and logs `taught` on its handoff, in one transaction.
    ///
    /// - Throws: `StoreError.handoffNotFound` when its handoff does not exist.
    public func add(suggestion: Suggestion) async throws -> Suggestion {
        try await transaction("save a suggestion") { connection in
            let found: [Void] = try await Self.rows(connection, "SELECT number FROM handoff WHERE id = \(suggestion.handoffID)") { _ in () }
            guard !found.isEmpty else { throw StoreError.handoffNotFound(suggestion.handoffID) }
            let ids = try await Self.rows(
                connection,
                """
                INSERT INTO suggestion (handoff_id, text, target, agent, created_at)
                VALUES (\(suggestion.handoffID), \(suggestion.text), \(suggestion.target), \(suggestion.agent),
                        to_timestamp(\(suggestion.createdAt.seconds)))
                RETURNING id
                """
            ) { try RowReader($0).int("id") }
            var added = suggestion
            added.id = ids.first ?? 0
            try await self.log(
                connection,
                HandoffEvent(handoffID: added.handoffID, at: added.createdAt, kind: .taught, actor: added.agent, detail: added.target))
            return added
        }
    }

    /// Every suggestion, in the order they were added.
    public func suggestions() async throws -> [Suggestion] {
        try await withConnection("read suggestions") { connection in
            try await Self.rows(connection, "SELECT \(unescaped: SuggestionColumns.select) FROM suggestion ORDER BY id", SuggestionColumns.record)
        }
    }
}
#endif
