// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import ConciergeStore
public import Foundation
import PostgresNIO

/// `concierge purge` on PostgreSQL.
extension PostgresStore {
    public func purge(before cutoff: Date, expire: @Sendable (CustomerProfile) -> CustomerProfile?) async throws -> PurgeReport {
        let profiles = try await withConnection("read customers") { connection in
            try await Self.rows(connection, "SELECT \(unescaped: CustomerColumns.select) FROM customer", CustomerColumns.record)
        }
        let rewritten = profiles.map { ($0, expire($0)) }
        return try await transaction("purge what is past its retention") { connection in
            var report = PurgeReport()
            let seconds = cutoff.seconds
            report.handoffs = try await Self.rows(
                connection,
                """
                DELETE FROM handoff WHERE status IN ('resolved', 'returned')
                AND coalesce(resolved_at, created_at) < to_timestamp(\(seconds)) RETURNING id
                """
            ) { _ in true }.count
            report.conversations = try await Self.rows(
                connection,
                """
                DELETE FROM conversation WHERE updated_at < to_timestamp(\(seconds))
                AND id NOT IN (SELECT conversation_id FROM handoff WHERE status IN ('queued', 'claimed')) RETURNING id
                """
            ) { _ in true }.count
            report.satisfaction = try await Self.rows(
                connection,
                """
                DELETE FROM satisfaction WHERE asked_at < to_timestamp(\(seconds))
                OR conversation_id NOT IN (SELECT id FROM conversation) RETURNING conversation_id
                """
            ) { _ in true }.count
            report.identityChecks = try await Self.rows(
                connection, "DELETE FROM failed_identity_check WHERE at < to_timestamp(\(seconds)) RETURNING key"
            ) { _ in true }.count
            for (profile, kept) in rewritten {
                if let kept {
                    if kept != profile { try await Self.execute(connection, try CustomerColumns.upsert(kept)) }
                } else {
                    try await Self.execute(connection, "DELETE FROM customer WHERE id = \(profile.id)")
                    report.profiles += 1
                }
                report.profileFields += profile.fields.count - (kept?.fields.count ?? 0)
            }
            return report
        }
    }

    public func claimMaintenance(_ task: String, now: Date, every: TimeInterval) async throws -> Bool {
        try await withConnection("claim the \(task)") { connection in
            try await !Self.rows(
                connection,
                """
                INSERT INTO maintenance (task, last_run_at) VALUES (\(task), to_timestamp(\(now.seconds)))
                ON CONFLICT (task) DO UPDATE SET last_run_at = EXCLUDED.last_run_at
                WHERE maintenance.last_run_at < to_timestamp(\(now.seconds - every)) RETURNING task
                """
            ) { _ in true }.isEmpty
        }
    }
}
#endif
