// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import ConciergeStore
import ConciergeEngine
import Foundation
import PostgresNIO

/// Satisfaction answers and the rows of `concierge report` on PostgreSQL.
extension PostgresStore {
    public func save(satisfaction record: SatisfactionRecord) async throws {
        try await withConnection("save a satisfaction answer") { connection in
            try await Self.execute(
                connection,
                """
                INSERT INTO satisfaction (conversation_id, handoff_id, customer_id, agent, queue, intent, asked_at, score, comment, answered_at)
                VALUES (\(record.conversationID), \(record.handoffID), \(record.customerID), \(record.agent), \(record.queue), \(record.intent),
                        to_timestamp(\(record.askedAt.seconds)), \(record.score), \(record.comment), to_timestamp(\(record.answeredAt?.seconds)))
                ON CONFLICT (conversation_id) DO UPDATE SET handoff_id = EXCLUDED.handoff_id, customer_id = EXCLUDED.customer_id,
                    agent = EXCLUDED.agent, queue = EXCLUDED.queue, intent = EXCLUDED.intent, asked_at = EXCLUDED.asked_at,
                    score = EXCLUDED.score, comment = EXCLUDED.comment, answered_at = EXCLUDED.answered_at
                """)
        }
    }

    public func satisfaction(conversationID: String) async throws -> SatisfactionRecord? {
        try await withConnection("read a satisfaction answer") { connection in
            try await Self.rows(
                connection, "SELECT \(unescaped: SatisfactionColumns.select) FROM satisfaction WHERE conversation_id = \(conversationID)",
                SatisfactionColumns.record
            ).first
        }
    }

    public func reportRows(in range: ReportRange, progress: @escaping @Sendable (ReportProgress) -> Void) async throws -> ReportRows {
        // Open ends as dates far outside any conversation, so every query has the same two binds.
        let since = range.since?.seconds ?? -62_135_596_800
        let until = range.until?.seconds ?? 253_402_300_799
        return try await transaction("read the rows of a report") { connection in
            // One snapshot for every table.
            try await Self.execute(connection, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            var rows = ReportRows()
            let inRange = "started_at >= to_timestamp($1) AND started_at < to_timestamp($2)"
            func query(_ sql: String) -> PostgresQuery {
                var binds = PostgresBindings()
                binds.append(since)
                binds.append(until)
                return PostgresQuery(unsafeSQL: sql, binds: binds)
            }
            rows.conversations = try await Self.rows(
                connection,
                query(
                    "SELECT id, \(PostgresValues.epoch("started_at")), \(PostgresValues.epoch("updated_at")) FROM conversation WHERE \(inRange) ORDER BY id")
            ) { row in
                let row = RowReader(row)
                return ReportRows.Conversation(id: try row.string("id"), startedAt: try row.date("started_at"), updatedAt: try row.date("updated_at"))
            }
            progress(ReportProgress(stage: "conversations", done: rows.conversations.count, total: rows.conversations.count))
            let selected = "SELECT id FROM conversation WHERE \(inRange)"
            rows.turns = try await Self.rows(
                connection,
                query(
                    """
                    SELECT conversation_id, number, \(PostgresValues.epoch("at")), customer, reply, action, intent, confidence,
                           articles::text AS articles, handoff_id
                    FROM turn WHERE conversation_id IN (\(selected)) ORDER BY conversation_id, id
                    """)
            ) { row in
                let row = RowReader(row)
                return ReportRows.Turn(
                    conversationID: try row.string("conversation_id"), number: try row.int("number"), at: try row.date("at"),
                    customer: try row.string("customer"), reply: try row.string("reply"), action: try row.value("action"),
                    intent: try row.optionalString("intent"), confidence: try row.optionalDouble("confidence"),
                    articles: Self.stringArray(try row.string("articles")), handoffID: try row.optionalString("handoff_id"))
            }
            progress(ReportProgress(stage: "turns", done: rows.turns.count, total: rows.turns.count))
            rows.handoffs = try await Self.rows(
                connection,
                query(
                    """
                    SELECT id, conversation_id, reason, queue, status, \(PostgresValues.epoch("created_at")), \(PostgresValues.epoch("due_at")),
                           claimed_by, \(PostgresValues.epoch("first_response_at")), \(PostgresValues.epoch("resolved_at"))
                    FROM handoff WHERE conversation_id IN (\(selected)) ORDER BY id
                    """)
            ) { row in
                let row = RowReader(row)
                return ReportRows.Handoff(
                    id: try row.string("id"), conversationID: try row.string("conversation_id"), reason: try row.value("reason"),
                    queue: try row.string("queue"), status: try row.value("status"), createdAt: try row.date("created_at"),
                    dueAt: try row.date("due_at"), claimedBy: try row.optionalString("claimed_by"),
                    firstResponseAt: try row.optionalDate("first_response_at"), resolvedAt: try row.optionalDate("resolved_at"))
            }
            rows.events = try await Self.rows(
                connection,
                query(
                    """
                    SELECT handoff_id, \(PostgresValues.epoch("at")), kind, actor FROM handoff_event
                    WHERE handoff_id IN (SELECT id FROM handoff WHERE conversation_id IN (\(selected))) ORDER BY handoff_id, sequence
                    """)
            ) { row in
                let row = RowReader(row)
                return ReportRows.Event(handoffID: try row.string("handoff_id"), at: try row.date("at"), kind: try row.value("kind"), actor: try row.string("actor"))
            }
            rows.satisfaction = try await Self.rows(
                connection,
                query(
                    "SELECT \(SatisfactionColumns.select) FROM satisfaction WHERE conversation_id IN (\(selected)) ORDER BY conversation_id"),
                SatisfactionColumns.record)
            progress(ReportProgress(stage: "satisfaction", done: rows.satisfaction.count, total: rows.satisfaction.count))
            return rows
        }
    }

    /// A JSON array of strings as the store writes it, read without a JSON decoder where it can be
    /// (`ReportRows.stringArray`); anything unusual goes through the decoder.
    static func stringArray(_ json: String) -> [String] {
        ReportRows.stringArray(json) ?? (try? PostgresValues.decoder().decode([String].self, from: Data(json.utf8))) ?? []
    }
}

/// The `satisfaction` table.
enum SatisfactionColumns {
    static let select = """
        conversation_id, handoff_id, customer_id, agent, queue, intent, \(PostgresValues.epoch("asked_at")), score, comment, \
        \(PostgresValues.epoch("answered_at"))
        """

    static func record(_ row: PostgresRow) throws -> SatisfactionRecord {
        let row = RowReader(row)
        return SatisfactionRecord(
            conversationID: try row.string("conversation_id"), handoffID: try row.optionalString("handoff_id"),
            customerID: try row.optionalString("customer_id"), agent: try row.optionalString("agent"), queue: try row.optionalString("queue"),
            intent: try row.optionalString("intent"), askedAt: try row.date("asked_at"), score: try row.row["score"].decode(Int?.self),
            comment: try row.optionalString("comment"), answeredAt: try row.optionalDate("answered_at"))
    }
}
#endif
