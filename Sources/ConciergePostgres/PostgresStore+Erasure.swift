// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import ConciergeStore
import Foundation
import PostgresNIO

/// `concierge forget` on PostgreSQL: one transaction that deletes the profiles and scrubs every text
/// and JSON column that can hold what a customer said.
extension PostgresStore {
    /// The columns that can hold personal data, per table, with the columns that name a row.
    static let erasableColumns: [(table: String, kind: String, key: [String], columns: [String], json: Set<String>)] = [
        ("conversation", "conversations", ["id"], ["state"], ["state"]),
        ("turn", "turns", ["id"], ["customer", "reply", "slots"], ["slots"]),
        ("handoff", "handoffs", ["id"], ["customer_id", "summary", "slots", "profile", "transcript", "resolution"], ["slots", "profile", "transcript"]),
        ("handoff_message", "messages", ["handoff_id", "sequence"], ["author", "text"], []),
        ("handoff_event", "events", ["handoff_id", "sequence"], ["actor", "detail"], []),
        ("suggestion", "suggestions", ["id"], ["text"], []),
        ("satisfaction", "satisfaction", ["conversation_id"], ["customer_id", "comment"], []),
    ]

    public func erase(_ erasure: Erasure) async throws -> ErasureReport {
        try await transaction("erase a customer's personal data") { connection in
            var report = ErasureReport()
            let candidates = try await Self.rows(connection, "SELECT \(unescaped: CustomerColumns.select) FROM customer", CustomerColumns.record)
            let profiles = candidates.filter(erasure.matches)
            let conversations = try await Self.rows(
                connection, "SELECT \(unescaped: ConversationColumns.select) FROM conversation", ConversationColumns.record
            ).filter { erasure.matches($0, profiles: profiles) }
            let values = erasure.values(with: profiles, conversations: conversations)
            for profile in profiles { try await Self.execute(connection, "DELETE FROM customer WHERE id = \(profile.id)") }
            report.profiles = profiles.count
            let ids = profiles.map(\.id) + [erasure.customerID].compactMap { $0 }
            for id in ids {
                let changed = try await Self.rows(connection, "UPDATE conversation SET customer_id = NULL WHERE customer_id = \(id) RETURNING id") { _ in true }
                if !changed.isEmpty { report.rowsByKind["conversations", default: 0] += changed.count }
            }
            guard !values.isEmpty else { return report }
            for (table, kind, key, columns, json) in Self.erasableColumns {
                let changed = try await Self.scrub(connection, table: table, key: key, columns: columns, json: json, values: values)
                if changed > 0 { report.rowsByKind[kind, default: 0] += changed }
            }
            try await Self.execute(connection, "UPDATE handoff SET customer_id = NULL WHERE customer_id = \(Erasure.replacement)")
            try await Self.execute(connection, "UPDATE satisfaction SET customer_id = NULL WHERE customer_id = \(Erasure.replacement)")
            return report
        }
    }

    /// Replaces `values` in `columns` of every row of `table` holding one (found with ILIKE); the
    /// number of rows changed. Identifiers come from `erasableColumns`, never from input.
    static func scrub(
        _ connection: PostgresConnection, table: String, key: [String], columns: [String], json: Set<String>, values: [String]
    ) async throws -> Int {
        func text(_ column: String) -> String { json.contains(column) ? "\(column)::text" : column }
        var bindings = PostgresBindings()
        var conditions: [String] = []
        for column in columns {
            for value in values {
                bindings.append(
                    "%" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%")
                conditions.append("\(text(column)) ILIKE $\(bindings.count)")
            }
        }
        let select = "SELECT \((key.map { "\($0)::text" } + columns.map(text)).joined(separator: ", ")) FROM \(table) WHERE \(conditions.joined(separator: " OR "))"
        let found = try await rows(connection, PostgresQuery(unsafeSQL: select, binds: bindings)) { row -> [String?] in
            var cells: [String?] = []
            for cell in row { cells.append(try cell.decode(String?.self)) }
            return cells
        }
        for cells in found {
            var update = PostgresBindings()
            var sets: [String] = []
            for (offset, column) in columns.enumerated() {
                if let cell = cells[key.count + offset] { update.append(Erasure.scrub(cell, values: values)) } else { update.appendNull() }
                sets.append("\(column) = $\(update.count)" + (json.contains(column) ? "::jsonb" : ""))
            }
            var wheres: [String] = []
            for (offset, column) in key.enumerated() {
                update.append(cells[offset] ?? "")
                wheres.append("\(column)::text = $\(update.count)")
            }
            try await execute(
                connection, PostgresQuery(unsafeSQL: "UPDATE \(table) SET \(sets.joined(separator: ", ")) WHERE \(wheres.joined(separator: " AND "))", binds: update))
        }
        return found.count
    }
}
#endif
