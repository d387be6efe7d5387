public import ConciergeStore
import ConciergeEngine
import Foundation
import GRDB

/// The rows of `concierge report`, read with plain SQL through cursors from one snapshot: no
/// conversation state or handoff packet is decoded, so a hundred thousand conversations read in
/// about a second.
extension SQLiteStore {
    public func reportRows(in range: ReportRange, progress: @escaping @Sendable (ReportProgress) -> Void) async throws -> ReportRows {
        try await read("read the rows of a report") { db in
            var rows = ReportRows()
            var conditions: [String] = []
            var arguments: [Double] = []
            if let since = range.since {
                conditions.append("startedAt >= ?")
                arguments.append(since.databaseSeconds)
            }
            if let until = range.until {
                conditions.append("startedAt < ?")
                arguments.append(until.databaseSeconds)
            }
            let whereClause = conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
            let bound = StatementArguments(arguments)
            // Rows of the conversations in the range; with no range, every row (no lookup per row).
            func belonging(_ column: String) -> String {
                conditions.isEmpty ? "" : " WHERE \(column) IN (SELECT id FROM conversation\(whereClause))"
            }
            let total = try Int.fetchOne(db, sql: "SELECT count(*) FROM conversation" + whereClause, arguments: bound) ?? 0
            progress(ReportProgress(stage: "conversations", done: 0, total: total))

            let conversations = try Row.fetchCursor(
                db, sql: "SELECT id, startedAt, updatedAt FROM conversation\(whereClause) ORDER BY id", arguments: bound)
            while let row = try conversations.next() {
                rows.conversations.append(
                    ReportRows.Conversation(
                        id: row[0], startedAt: Date(timeIntervalSince1970: row[1]), updatedAt: Date(timeIntervalSince1970: row[2])))
            }
            progress(ReportProgress(stage: "conversations", done: rows.conversations.count, total: total))

            let turnTotal = try Int.fetchOne(db, sql: "SELECT count(*) FROM turn" + belonging("conversationId"), arguments: bound) ?? 0
            let turns = try Row.fetchCursor(
                db,
                sql: """
                    SELECT conversationId, number, at, customer, reply, action, intent, confidence, articles, handoffId
                    FROM turn\(belonging("conversationId")) ORDER BY conversationId, id
                    """, arguments: bound)
            rows.turns.reserveCapacity(turnTotal)
            while let row = try turns.next() {
                let action = Action(rawValue: row[5]) ?? .fallback
                rows.turns.append(
                    ReportRows.Turn(
                        conversationID: row[0], number: row[1], at: Date(timeIntervalSince1970: row[2]), customer: row[3], reply: row[4],
                        action: action, intent: row[6], confidence: row[7], articles: Self.stringArray(row[8]), handoffID: row[9]))
                if rows.turns.count % 50_000 == 0 { progress(ReportProgress(stage: "turns", done: rows.turns.count, total: turnTotal)) }
            }
            progress(ReportProgress(stage: "turns", done: rows.turns.count, total: turnTotal))

            let handoffs = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, conversationId, reason, queue, status, createdAt, dueAt, claimedBy, firstResponseAt, resolvedAt
                    FROM handoff\(belonging("conversationId")) ORDER BY id
                    """, arguments: bound)
            while let row = try handoffs.next() {
                guard let reason = HandoffReason(rawValue: row[2]), let status = HandoffStatus(rawValue: row[4]) else { continue }
                rows.handoffs.append(
                    ReportRows.Handoff(
                        id: row[0], conversationID: row[1], reason: reason, queue: row[3], status: status,
                        createdAt: Date(timeIntervalSince1970: row[5]), dueAt: Date(timeIntervalSince1970: row[6]), claimedBy: row[7],
                        firstResponseAt: (row[8] as Double?).map(Date.init(timeIntervalSince1970:)),
                        resolvedAt: (row[9] as Double?).map(Date.init(timeIntervalSince1970:))))
            }
            progress(ReportProgress(stage: "handoffs", done: rows.handoffs.count, total: rows.handoffs.count))

            let events = try Row.fetchCursor(
                db,
                sql: """
                    SELECT handoffId, at, kind, actor FROM handoffEvent
                    \(conditions.isEmpty ? "" : "WHERE handoffId IN (SELECT id FROM handoff\(belonging("conversationId")))") ORDER BY handoffId, sequence
                    """, arguments: bound)
            while let row = try events.next() {
                guard let kind = HandoffEvent.Kind(rawValue: row[2]) else { continue }
                rows.events.append(ReportRows.Event(handoffID: row[0], at: Date(timeIntervalSince1970: row[1]), kind: kind, actor: row[3]))
            }

            rows.satisfaction = try SatisfactionRow.fetchAll(
                db, sql: "SELECT * FROM satisfaction\(belonging("conversationId")) ORDER BY conversationId", arguments: bound
            ).map(\.record)
            progress(ReportProgress(stage: "satisfaction", done: rows.satisfaction.count, total: rows.satisfaction.count))
            return rows
        }
    }

    /// A JSON array of strings as the store writes it, read without a JSON decoder where it can be
    /// (`ReportRows.stringArray`); anything unusual goes through the decoder.
    static func stringArray(_ json: String) -> [String] {
        ReportRows.stringArray(json) ?? (try? StoreJSON.decoder.decode([String].self, from: Data(json.utf8))) ?? []
    }
}
