// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
import Foundation
import PostgresNIO
import Synchronization

/// Something a process wrote that a waiting chat or agent console may want to show now.
public enum StoreNotification: Sendable, Hashable {
    /// A handoff was created or changed (claimed, released, transferred, resolved, handed back, or
    /// back in its queue after a lease ran out): read it again with `handoff(id:)`.
    case handoffChanged(String)
    /// A message (from the customer, an agent, a note or the system) was posted to the handoff: read
    /// the new ones with `messages(handoffID:after:)`.
    case messagePosted(handoffID: String)
    /// Listening (re)started: notifications sent while it was down were missed, so read everything
    /// you show again now. Also sent once when listening first starts.
    case resync
}

extension PostgresStore {
    /// Notifications from every process that uses this database (this one included), as they commit.
    ///
    /// ```swift
    /// // A customer waiting on H-000042: wake on a message, and poll every 5 s in case one was missed.
    /// var seen = 0
    /// for await event in store.notifications(poll: .seconds(5)) {
    ///     switch event {
    ///     case .messagePosted(handoffID: "H-000042"), .resync:
    ///         for message in try await store.messages(handoffID: "H-000042", after: seen) { show(message); seen = message.sequence }
    ///     default: continue
    ///     }
    /// }
    /// ```
    ///
    /// One connection per store listens on `concierge_handoff` and `concierge_message` (each with the
    /// suffix `:SCHEMA` (or a hash of a long schema name) when ``Configuration/schema`` is set, so installations sharing a database do not
    /// wake each other). If it drops, it reconnects with backoff (0.1 s doubling to 2 s) and sends
    /// ``StoreNotification/resync``. Notifications are hints, not data: PostgreSQL drops them while no
    /// one listens, so a reader must also read again on `.resync` and, as a fallback, now and then.
    ///
    /// - Parameter poll: When given, a `.resync` is also delivered every `poll` interval: the fallback
    ///   poll, in the same loop.
    /// - Returns: A stream that ends when the task reading it is cancelled or the store is closed.
    public func notifications(poll: Duration? = nil) -> AsyncStream<StoreNotification> {
        notifier.subscribe(poll: poll)
    }
}

/// The channel names a store notifies and listens on.
struct Channels: Sendable, Hashable {
    let handoff: String
    let message: String

    init(schema: String?) {
        var suffix = schema.map { ":\($0)" } ?? ""
        if suffix.utf8.count > 40 {
            // Channel names stop at 63 bytes: a long schema name becomes its FNV-1a hash.
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in suffix.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            suffix = ":" + String(hash, radix: 16)
        }
        handoff = "concierge_handoff" + suffix
        message = "concierge_message" + suffix
    }
}

/// A notification sequence ended: its connection closed.
private struct ListeningEnded: Error {}

/// Listens on one dedicated connection while anyone subscribes, and fans notifications out.
final class Notifier: Sendable {
    let channels: Channels
    private let configuration: PostgresStore.Configuration

    private struct State {
        var subscribers: [UUID: AsyncStream<StoreNotification>.Continuation] = [:]
        var listener: Task<Void, Never>?
        var stopped = false
    }

    private let state = Mutex(State())

    init(configuration: PostgresStore.Configuration) {
        self.configuration = configuration
        self.channels = Channels(schema: configuration.schema)
    }

    func subscribe(poll: Duration?) -> AsyncStream<StoreNotification> {
        let (stream, continuation) = AsyncStream.makeStream(of: StoreNotification.self, bufferingPolicy: .bufferingNewest(10_000))
        let id = UUID()
        let ticker: Task<Void, Never>? = poll.map { interval in
            Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: interval)
                    if Task.isCancelled { break }
                    continuation.yield(.resync)
                }
            }
        }
        continuation.onTermination = { [weak self] _ in
            ticker?.cancel()
            self?.unsubscribe(id)
        }
        let accepted = state.withLock { state in
            guard !state.stopped else { return false }
            state.subscribers[id] = continuation
            if state.listener == nil {
                state.listener = Task { [weak self] in await self?.listen() }
            }
            return true
        }
        if !accepted { continuation.finish() }
        return stream
    }

    /// Ends every stream and stops listening.
    func stop() {
        let (subscribers, listener) = state.withLock { state in
            state.stopped = true
            defer {
                state.subscribers = [:]
                state.listener = nil
            }
            return (Array(state.subscribers.values), state.listener)
        }
        listener?.cancel()
        for subscriber in subscribers { subscriber.finish() }
    }

    private func unsubscribe(_ id: UUID) {
        let idle = state.withLock { state -> Task<Void, Never>? in
            state.subscribers[id] = nil
            guard state.subscribers.isEmpty, let listener = state.listener else { return nil }
            state.listener = nil
            return listener
        }
        idle?.cancel()
    }

    private func broadcast(_ notification: StoreNotification) {
        for subscriber in state.withLock({ Array($0.subscribers.values) }) { subscriber.yield(notification) }
    }

    /// Listens until cancelled, reconnecting with backoff.
    private func listen() async {
        var backoff: Duration = .milliseconds(100)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresStore.openConnection(configuration, role: "listener")
                backoff = .milliseconds(100)
                do {
                    try await listen(on: connection)
                } catch {
                    try? await connection.close()
                    throw error
                }
                try? await connection.close()
            } catch {
                if Task.isCancelled { return }
            }
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(2))
        }
    }

    /// Listens on both channels of `connection` until it fails or the task is cancelled, checking it
    /// every 15 s (a dropped network may not close it by itself).
    private func listen(on connection: PostgresConnection) async throws {
        let channels = self.channels
        try await connection.listen(on: channels.handoff) { handoffs in
            try await connection.listen(on: channels.message) { messages in
                self.broadcast(.resync)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await notification in handoffs { self.broadcast(.handoffChanged(notification.payload)) }
                        throw ListeningEnded()
                    }
                    group.addTask {
                        for try await notification in messages { self.broadcast(.messagePosted(handoffID: notification.payload)) }
                        throw ListeningEnded()
                    }
                    group.addTask {
                        while true {
                            try await Task.sleep(for: .seconds(15))
                            try await PostgresStore.execute(connection, "SELECT 1")
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
    }
}
#endif
