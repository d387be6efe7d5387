public import ConciergeEngine
public import ConciergeStore
public import Foundation

/// Deletes what is past its retention period (`memory.retention_days` in settings): on demand with
/// `concierge purge`, and on its own from `chat` and `agent` once every `memory.sweep_every_hours`.
///
/// ```swift
/// // At the start of a chat: sweeps unless some process sharing the store did in the last 24 hours.
/// if let report = try await RetentionSweep.runIfDue(store, settings: settings, now: .now) {
///     print("purged \(report.conversations) conversations")
/// }
/// ```
///
/// Conversations, their turns, closed handoffs with their messages, and failed identity checks go
/// after `conversation` days (a conversation a person still has or awaits stays); each profile field
/// goes after its own kind's days, and a profile left empty goes with it.
public enum RetentionSweep {
    /// The name the store records the sweep's last run under.
    public static let task = "retention sweep"

    /// The days after which conversations and closed handoffs go.
    public static func conversationDays(_ settings: Settings) -> Int { settings.retentionDays["conversation"] ?? 365 }

    /// Deletes what is past its retention as of `now`, in one transaction.
    public static func purge(_ store: any SupportStore, settings: Settings, now: Date) async throws -> PurgeReport {
        let cutoff = now.addingTimeInterval(-Double(conversationDays(settings)) * 86_400)
        return try await store.purge(before: cutoff) { profile in
            let kept = CustomerMemory.applyingRetention(profile, settings: settings, now: now)
            return kept.fields.isEmpty ? nil : kept
        }
    }

    /// Purges when the sweep is due: it is switched on (`sweep_every_hours` above 0) and no process
    /// sharing the store ran it in the last period. Nil when it was not due.
    public static func runIfDue(_ store: any SupportStore, settings: Settings, now: Date) async throws -> PurgeReport? {
        guard settings.sweepEveryHours > 0,
            try await store.claimMaintenance(task, now: now, every: Double(settings.sweepEveryHours) * 3_600)
        else { return nil }
        return try await purge(store, settings: settings, now: now)
    }
}
