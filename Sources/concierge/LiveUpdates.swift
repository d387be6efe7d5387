#if PostgreSQL
import ConciergePostgres
#endif
import ConciergeStore

/// Waking the REPLs when the store says something changed, instead of waiting for their next poll.
enum LiveUpdates {
    /// A wake-up the store signals on every change: PostgreSQL's LISTEN/NOTIFY, with a slow poll as
    /// the fallback if a notification is missed. Nil for stores without notifications (SQLite): the
    /// REPLs' regular polling covers them.
    static func wakeup(for store: any SupportStore) -> Wakeup? {
        #if PostgreSQL
        guard let postgres = store as? PostgresStore else { return nil }
        let wakeup = Wakeup()
        Task.detached {
            for await _ in postgres.notifications(poll: .seconds(5)) { wakeup.signal() }
        }
        return wakeup
        #else
        return nil
        #endif
    }

    /// How often the REPLs poll: rarely when notifications wake them, often when they do not.
    static func pollInterval(wakeup: Wakeup?) -> Int32 { wakeup == nil ? 250 : 2_000 }
}
