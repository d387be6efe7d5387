// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
import ConciergeEngine
import ConciergeStore
import Foundation
import PostgresNIO

/// How the store's values travel to and from PostgreSQL.
///
/// - Dates are `timestamptz` columns. They are written as `to_timestamp(seconds since 1970)` and
///   read as `extract(epoch FROM column)::float8` (see ``epoch(_:)``): the server keeps microseconds,
///   and a date with a whole number of microseconds (every millisecond among them) comes back equal.
/// - Nested values (conversation state, slots, transcript, profile...) are `jsonb`, written as JSON
///   text with `::jsonb` and their own dates as seconds since 1970, as the SQLite store writes them.
enum PostgresValues {
    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.nonConformingFloatEncodingStrategy = .throw
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }

    /// `value` as JSON text, to bind with `::jsonb`.
    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }

    /// A select-list item reading the date column `column` as seconds since 1970, under its own name.
    static func epoch(_ column: String) -> String { "extract(epoch FROM \(column))::float8 AS \(column)" }
}

extension Date {
    /// The value to bind for a date: seconds since 1970, turned into a `timestamptz` by `to_timestamp(…)`.
    var seconds: Double { timeIntervalSince1970 }
}

/// Reads one row's columns by name.
struct RowReader {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    func string(_ column: String) throws -> String { try row[column].decode(String.self) }
    func optionalString(_ column: String) throws -> String? { try row[column].decode(String?.self) }
    func int(_ column: String) throws -> Int { try row[column].decode(Int.self) }
    func optionalDouble(_ column: String) throws -> Double? { try row[column].decode(Double?.self) }

    /// A date column read through ``PostgresValues/epoch(_:)``.
    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: try row[column].decode(Double.self)) }
    func optionalDate(_ column: String) throws -> Date? {
        try row[column].decode(Double?.self).map { Date(timeIntervalSince1970: $0) }
    }

    /// A `jsonb` column.
    func json<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        try PostgresValues.decoder().decode(T.self, from: Data(try string(column).utf8))
    }
    func optionalJSON<T: Decodable>(_ column: String, as type: T.Type = T.self) throws -> T? {
        try optionalString(column).map { try PostgresValues.decoder().decode(T.self, from: Data($0.utf8)) }
    }

    /// A text column holding one of an enum's raw values.
    func value<T: RawRepresentable>(_ column: String, as type: T.Type = T.self) throws -> T where T.RawValue == String {
        let raw = try string(column)
        guard let value = T(rawValue: raw) else {
            throw StoreError.corrupt(
                "the column \(column) holds a value this version of Concierge does not know; it was changed outside Concierge: restore it, or a backup")
        }
        return value
    }
}

// MARK: - Tables

/// The `conversation` table's columns as the store selects them.
enum ConversationColumns {
    static let select = "id, customer_id, \(PostgresValues.epoch("started_at")), \(PostgresValues.epoch("updated_at")), state"

    static func record(_ row: PostgresRow) throws -> ConversationRecord {
        let row = RowReader(row)
        return ConversationRecord(
            id: try row.string("id"), customerID: try row.optionalString("customer_id"), startedAt: try row.date("started_at"),
            updatedAt: try row.date("updated_at"), state: try row.json("state"))
    }

    /// Inserts or replaces `conversation` (its turns stay).
    static func upsert(_ conversation: ConversationRecord) throws -> PostgresQuery {
        let state = try PostgresValues.json(conversation.state)
        return """
            INSERT INTO conversation (id, customer_id, started_at, updated_at, state)
            VALUES (\(conversation.id), \(conversation.customerID), to_timestamp(\(conversation.startedAt.seconds)),
                    to_timestamp(\(conversation.updatedAt.seconds)), \(state)::jsonb)
            ON CONFLICT (id) DO UPDATE SET customer_id = EXCLUDED.customer_id, started_at = EXCLUDED.started_at,
                updated_at = EXCLUDED.updated_at, state = EXCLUDED.state
            """
    }
}

/// The `turn` table.
enum TurnColumns {
    static let select = """
        conversation_id, number, \(PostgresValues.epoch("at")), customer, reply, action, intent, confidence, articles, asked, \
        slots, handoff_id
        """

    static func record(_ row: PostgresRow) throws -> TurnRecord {
        let row = RowReader(row)
        return TurnRecord(
            conversationID: try row.string("conversation_id"), number: try row.int("number"), at: try row.date("at"),
            customer: try row.string("customer"), reply: try row.string("reply"), action: try row.value("action"),
            intent: try row.optionalString("intent"), confidence: try row.optionalDouble("confidence"),
            articles: try row.json("articles"), asked: try row.optionalString("asked"), slots: try row.json("slots"),
            handoffID: try row.optionalString("handoff_id"))
    }

    /// Inserts the turn, or nothing when the conversation already has a turn with its number (a
    /// retried write whose first commit the client never heard about).
    static func insert(_ turn: TurnRecord) throws -> PostgresQuery {
        let articles = try PostgresValues.json(turn.articles)
        let slots = try PostgresValues.json(turn.slots)
        return """
            INSERT INTO turn (conversation_id, number, at, customer, reply, action, intent, confidence, articles, asked, slots, handoff_id)
            SELECT \(turn.conversationID), \(turn.number), to_timestamp(\(turn.at.seconds)), \(turn.customer), \(turn.reply),
                    \(turn.action.rawValue), \(turn.intent), \(turn.confidence), \(articles)::jsonb, \(turn.asked), \(slots)::jsonb,
                    \(turn.handoffID)
            WHERE NOT EXISTS (SELECT 1 FROM turn WHERE conversation_id = \(turn.conversationID) AND number = \(turn.number))
            """
    }
}

/// The `customer` table.
enum CustomerColumns {
    static let select = "id, name, fields, \(PostgresValues.epoch("updated_at"))"

    static func record(_ row: PostgresRow) throws -> CustomerProfile {
        let row = RowReader(row)
        return CustomerProfile(
            id: try row.string("id"), name: try row.optionalString("name"), fields: try row.json("fields"),
            updatedAt: try row.date("updated_at"))
    }

    static func upsert(_ customer: CustomerProfile) throws -> PostgresQuery {
        let fields = try PostgresValues.json(customer.fields)
        return """
            INSERT INTO customer (id, name, fields, updated_at)
            VALUES (\(customer.id), \(customer.name), \(fields)::jsonb, to_timestamp(\(customer.updatedAt.seconds)))
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, fields = EXCLUDED.fields, updated_at = EXCLUDED.updated_at
            """
    }
}

/// The `handoff` table: one handoff with its whole packet.
enum HandoffColumns {
    static let select = [
        "id", "conversation_id", "customer_id", "reason", "queue", "priority", "status", "summary", "sentiment", "slots",
        "profile", "transcript", "suggested_articles", PostgresValues.epoch("created_at"), PostgresValues.epoch("due_at"),
        "claimed_by", PostgresValues.epoch("claimed_at"), PostgresValues.epoch("lease_until"),
        PostgresValues.epoch("first_response_at"), PostgresValues.epoch("resolved_at"), "resolution", "promise",
    ].joined(separator: ", ")

    static func record(_ row: PostgresRow) throws -> Handoff {
        let row = RowReader(row)
        var handoff = Handoff(
            id: try row.string("id"), conversationID: try row.string("conversation_id"),
            customerID: try row.optionalString("customer_id"), reason: try row.value("reason"), queue: try row.string("queue"),
            priority: try row.int("priority"), status: try row.value("status"), summary: try row.string("summary"),
            sentiment: try row.string("sentiment"), slots: try row.json("slots"), profile: try row.optionalJSON("profile"),
            transcript: try row.json("transcript"), suggestedArticles: try row.json("suggested_articles"),
            createdAt: try row.date("created_at"), dueAt: try row.date("due_at"), promise: try row.optionalString("promise"))
        handoff.claimedBy = try row.optionalString("claimed_by")
        handoff.claimedAt = try row.optionalDate("claimed_at")
        handoff.leaseUntil = try row.optionalDate("lease_until")
        handoff.firstResponseAt = try row.optionalDate("first_response_at")
        handoff.resolvedAt = try row.optionalDate("resolved_at")
        handoff.resolution = try row.optionalString("resolution")
        return handoff
    }

    static func insert(_ handoff: Handoff, number: Int) throws -> PostgresQuery {
        let slots = try PostgresValues.json(handoff.slots)
        let profile = try handoff.profile.map { try PostgresValues.json($0) }
        let transcript = try PostgresValues.json(handoff.transcript)
        let articles = try PostgresValues.json(handoff.suggestedArticles)
        return """
            INSERT INTO handoff (
                number, id, conversation_id, customer_id, reason, queue, priority, status, summary, sentiment, slots, profile,
                transcript, suggested_articles, created_at, due_at, claimed_by, claimed_at, lease_until, first_response_at,
                resolved_at, resolution, promise)
            VALUES (
                \(number), \(handoff.id), \(handoff.conversationID), \(handoff.customerID), \(handoff.reason.rawValue),
                \(handoff.queue), \(handoff.priority), \(handoff.status.rawValue), \(handoff.summary), \(handoff.sentiment),
                \(slots)::jsonb, \(profile)::jsonb, \(transcript)::jsonb, \(articles)::jsonb,
                to_timestamp(\(handoff.createdAt.seconds)), to_timestamp(\(handoff.dueAt.seconds)), \(handoff.claimedBy),
                to_timestamp(\(handoff.claimedAt?.seconds)), to_timestamp(\(handoff.leaseUntil?.seconds)),
                to_timestamp(\(handoff.firstResponseAt?.seconds)), to_timestamp(\(handoff.resolvedAt?.seconds)),
                \(handoff.resolution), \(handoff.promise))
            """
    }
}

/// The `handoff_message` table.
enum MessageColumns {
    static let select = "handoff_id, sequence, \(PostgresValues.epoch("at")), sender, author, text"

    static func record(_ row: PostgresRow) throws -> HandoffMessage {
        let row = RowReader(row)
        return HandoffMessage(
            handoffID: try row.string("handoff_id"), sequence: try row.int("sequence"), at: try row.date("at"),
            sender: try row.value("sender"), author: try row.string("author"), text: try row.string("text"))
    }
}

/// The `handoff_event` table.
enum EventColumns {
    static let select = "handoff_id, sequence, \(PostgresValues.epoch("at")), kind, actor, detail"

    static func record(_ row: PostgresRow) throws -> HandoffEvent {
        let row = RowReader(row)
        return HandoffEvent(
            handoffID: try row.string("handoff_id"), sequence: try row.int("sequence"), at: try row.date("at"),
            kind: try row.value("kind"), actor: try row.string("actor"), detail: try row.string("detail"))
    }
}

/// The `suggestion` table.
enum SuggestionColumns {
    static let select = "id, handoff_id, text, target, agent, \(PostgresValues.epoch("created_at"))"

    static func record(_ row: PostgresRow) throws -> Suggestion {
        let row = RowReader(row)
        return Suggestion(
            id: try row.int("id"), handoffID: try row.string("handoff_id"), text: try row.string("text"),
            target: try row.string("target"), agent: try row.string("agent"), createdAt: try row.date("created_at"))
    }
}
#endif
