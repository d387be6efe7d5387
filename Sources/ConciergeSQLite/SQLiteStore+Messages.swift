public import ConciergeStore
import GRDB

extension SQLiteStore {
    /// Adds the message with the handoff's next sequence number and its audit entry; the first agent
    /// message sets the handoff's `firstResponseAt`. One transaction. Idempotent: the same message
    /// (sender, author, time and text) posted again is returned as it was stored.
    ///
    /// - Throws: `StoreError.handoffNotFound`.
    public func post(_ message: HandoffMessage) async throws -> HandoffMessage {
        try await write("post a message") { db in
            let id = message.handoffID
            guard try HandoffRow.filter(HandoffRow.Columns.id == id).isEmpty(db) == false else {
                throw StoreError.handoffNotFound(id)
            }
            // The same message again (a retried write) is the one already stored.
            if let already = try HandoffMessageRow.filter(
                HandoffMessageRow.Columns.handoffId == id && HandoffMessageRow.Columns.sender == message.sender.rawValue
                    && HandoffMessageRow.Columns.at == message.at.databaseSeconds && HandoffMessageRow.Columns.author == message.author
                    && HandoffMessageRow.Columns.text == message.text
            ).fetchOne(db) {
                return already.record
            }
            var posted = message
            posted.sequence = try Self.nextSequence(db, table: HandoffMessageRow.self, handoffID: id)
            try HandoffMessageRow(posted).insert(db)
            if message.sender == .agent {
                try db.cachedStatement(
                    literal: """
                        UPDATE handoff SET firstResponseAt = \(message.at.databaseSeconds) \
                        WHERE id = \(id) AND firstResponseAt IS NULL
                        """
                ).execute()
            }
            let kind: HandoffEvent.Kind =
                switch message.sender {
                case .agent: .replied
                case .note, .system: .noted
                case .customer: .customerMessage
                }
            try Self.log(db, HandoffEvent(handoffID: id, at: message.at, kind: kind, actor: message.author))
            return posted
        }
    }

    /// The handoff's messages after `sequence`, in order.
    public func messages(handoffID: String, after sequence: Int) async throws -> [HandoffMessage] {
        try await read("read messages") { db in
            try HandoffMessageRow.all().inHandoff(handoffID, after: sequence).fetchAll(db).map(\.record)
        }
    }

    /// The handoff's audit log, in order.
    public func events(handoffID: String) async throws -> [HandoffEvent] {
        try await read("read the audit log") { db in
            try HandoffEventRow.all().inHandoff(handoffID).fetchAll(db).map(\.record)
        }
    }

    /// Saves the suggestion with the next id (1, 2, 3...) and logs `taught` on its handoff.
    ///
    /// - Throws: `StoreError.handoffNotFound` when its handoff does not exist.
    public func add(suggestion: Suggestion) async throws -> Suggestion {
        try await write("save a suggestion") { db in
            guard try HandoffRow.filter(HandoffRow.Columns.id == suggestion.handoffID).isEmpty(db) == false else {
                throw StoreError.handoffNotFound(suggestion.handoffID)
            }
            try SuggestionRow(suggestion).insert(db)
            var added = suggestion
            added.id = Int(db.lastInsertedRowID)
            try Self.log(
                db,
                HandoffEvent(
                    handoffID: added.handoffID, at: added.createdAt, kind: .taught, actor: added.agent, detail: added.target))
            return added
        }
    }

    /// Every suggestion, in the order they were added.
    public func suggestions() async throws -> [Suggestion] {
        try await read("read suggestions") { db in
            try SuggestionRow.all().order(SuggestionRow.Columns.id).fetchAll(db).map(\.record)
        }
    }
}
