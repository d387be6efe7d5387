public import ConciergeStore
import Foundation
import GRDB

/// `concierge forget` on the embedded store: one transaction that deletes the profiles and scrubs
/// every text and JSON column that can hold what a customer said.
extension SQLiteStore {
    /// The columns that can hold personal data, per table.
    static let erasableColumns: [(table: String, kind: String, columns: [String])] = [
        ("conversation", "conversations", ["state"]),
        ("turn", "turns", ["customer", "reply", "slots"]),
        ("handoff", "handoffs", ["customerId", "summary", "slots", "profile", "transcript", "resolution"]),
        ("handoffMessage", "messages", ["author", "text"]),
        ("handoffEvent", "events", ["actor", "detail"]),
        ("suggestion", "suggestions", ["text"]),
        ("satisfaction", "satisfaction", ["customerId", "comment"]),
    ]

    public func erase(_ erasure: Erasure) async throws -> ErasureReport {
        try await write("erase a customer's personal data") { db in
            var report = ErasureReport()
            let candidates = try CustomerRow.fetchAll(db).map(\.record)
            let profiles = candidates.filter(erasure.matches)
            let conversations = try ConversationRow.fetchAll(db).map(\.record).filter { erasure.matches($0, profiles: profiles) }
            let values = erasure.values(with: profiles, conversations: conversations)
            for profile in profiles { try db.execute(sql: "DELETE FROM customer WHERE id = ?", arguments: [profile.id]) }
            report.profiles = profiles.count
            let ids = profiles.map(\.id) + [erasure.customerID].compactMap { $0 }
            for id in ids {
                try db.execute(sql: "UPDATE conversation SET customerId = NULL WHERE customerId = ?", arguments: [id])
                if db.changesCount > 0 { report.rowsByKind["conversations", default: 0] += db.changesCount }
            }
            for (table, kind, columns) in Self.erasableColumns {
                let changed = try Self.scrub(db, table: table, columns: columns, values: values)
                if changed > 0 { report.rowsByKind[kind, default: 0] += changed }
            }
            try db.execute(sql: "UPDATE handoff SET customerId = NULL WHERE customerId = ?", arguments: [Erasure.replacement])
            try db.execute(sql: "UPDATE satisfaction SET customerId = NULL WHERE customerId = ?", arguments: [Erasure.replacement])
            return report
        }
    }

    /// Replaces `values` in `columns` of every row of `table` holding one (LIKE finds them, ignoring
    /// ASCII case); the number of rows changed.
    static func scrub(_ db: Database, table: String, columns: [String], values: [String]) throws -> Int {
        guard !values.isEmpty else { return 0 }
        func pattern(_ value: String) -> String {
            "%" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        let conditions = columns.flatMap { column in values.map { _ in "\(column) LIKE ? ESCAPE '\\'" } }.joined(separator: " OR ")
        let arguments = StatementArguments(columns.flatMap { _ in values.map(pattern) })
        let rows = try Row.fetchAll(db, sql: "SELECT rowid AS erasureKey, \(columns.joined(separator: ", ")) FROM \(table) WHERE \(conditions)", arguments: arguments)
        for row in rows {
            let key: Int64 = row["erasureKey"]
            let scrubbed: [(any DatabaseValueConvertible)?] = columns.map { column in
                (row[column] as String?).map { Erasure.scrub($0, values: values) }
            }
            try db.execute(
                sql: "UPDATE \(table) SET \(columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?",
                arguments: StatementArguments(scrubbed + [key]))
        }
        return rows.count
    }
}
