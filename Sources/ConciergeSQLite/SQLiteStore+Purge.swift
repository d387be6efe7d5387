public import ConciergeStore
public import Foundation
import GRDB

/// `concierge purge` on the embedded store.
extension SQLiteStore {
    public func purge(before cutoff: Date, expire: @Sendable (CustomerProfile) -> CustomerProfile?) async throws -> PurgeReport {
        let profiles = try await read("read customers") { db in try CustomerRow.fetchAll(db).map(\.record) }
        let rewritten = profiles.map { ($0, expire($0)) }
        return try await write("purge what is past its retention") { db in
            var report = PurgeReport()
            let seconds = cutoff.timeIntervalSince1970
            // Closed handoffs first (their messages, audit entries and suggestions go with them).
            try db.execute(
                sql: "DELETE FROM handoff WHERE status IN ('resolved', 'returned') AND coalesce(resolvedAt, createdAt) < ?", arguments: [seconds])
            report.handoffs = db.changesCount
            try db.execute(
                sql: """
                    DELETE FROM conversation WHERE updatedAt < ?
                    AND id NOT IN (SELECT conversationId FROM handoff WHERE status IN ('queued', 'claimed'))
                    """, arguments: [seconds])
            report.conversations = db.changesCount
            try db.execute(
                sql: "DELETE FROM satisfaction WHERE askedAt < ? OR conversationId NOT IN (SELECT id FROM conversation)", arguments: [seconds])
            report.satisfaction = db.changesCount
            try db.execute(sql: "DELETE FROM failedIdentityCheck WHERE at < ?", arguments: [seconds])
            report.identityChecks = db.changesCount
            for (profile, kept) in rewritten {
                if let kept {
                    if kept != profile { try CustomerRow(kept).save(db) }
                } else {
                    try db.execute(sql: "DELETE FROM customer WHERE id = ?", arguments: [profile.id])
                    report.profiles += 1
                }
                report.profileFields += profile.fields.count - (kept?.fields.count ?? 0)
            }
            return report
        }
    }

    public func claimMaintenance(_ task: String, now: Date, every: TimeInterval) async throws -> Bool {
        try await write("claim the \(task)") { db in
            try db.execute(
                sql: """
                    INSERT INTO maintenance (task, lastRunAt) VALUES (?, ?)
                    ON CONFLICT (task) DO UPDATE SET lastRunAt = excluded.lastRunAt WHERE lastRunAt < ?
                    """, arguments: [task, now.timeIntervalSince1970, now.timeIntervalSince1970 - every])
            return db.changesCount > 0
        }
    }
}
