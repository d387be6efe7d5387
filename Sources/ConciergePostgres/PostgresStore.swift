// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import ConciergeStore
public import Foundation
import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import Synchronization

/// The shared store: conversations, customer memory and the handoff queue in a PostgreSQL database,
/// for many bot processes and agent consoles on many machines.
///
/// ```swift
/// let store = try await PostgresStore.connect(url: "postgres://concierge@db.internal:5432/concierge")
/// try await store.record(turn: turn, conversation: conversation)
/// if case .claimed(let handoff) = try await store.claim(id: nil, agent: "ana", queues: ["orders"], now: .now, lease: 300) {
///     print(handoff.summary)
/// }
/// for await notification in store.notifications() {
///     if case .messagePosted(let id) = notification { print("new message on \(id)") }
/// }
/// ```
///
/// It behaves exactly as `MemoryStore` and `SQLiteStore` do (the behavioural tests in
/// `ConciergeStoreTests` run against all three) and adds what a server gives:
///
/// - **Many processes.** Every operation that writes more than one row is one transaction. A claim
///   is one statement, `UPDATE handoff … WHERE number = (SELECT number … ORDER BY priority,
///   created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING …` (or `WHERE id = $1 AND status =
///   'queued'` for a given handoff): two agents claiming at once never get the same handoff, and
///   neither waits for the other. Message and audit-log numbers are assigned under a per-handoff
///   advisory lock, so two processes posting to one handoff never collide.
/// - **Leases.** A lease runs out when the `now` passed to ``claim(id:agent:queues:now:lease:)``,
///   ``expireLeases(now:)`` and the other operations is past its end: the comparison runs in the
///   database (`lease_until < $now`), with the caller's clock, which keeps tests deterministic. To
///   judge every lease by the database's clock instead, pass ``serverTime()`` as `now`.
/// - **Live updates.** Creating or changing a handoff sends `NOTIFY concierge_handoff` and posting a
///   message `NOTIFY concierge_message`, each with the handoff's id, when the transaction commits.
///   ``notifications(poll:)`` delivers them to a waiting customer's chat or an agent's console; see it
///   for the fallback poll that covers notifications missed while a connection was down.
/// - **Upgrades.** ``migrate()`` (run by ``connect(url:environment:)``) applies numbered migrations
///   recorded in `schema_version`, under an advisory lock, so two processes starting at once on a new
///   database are safe; a database written by a newer Concierge is refused with `StoreError.corrupt`.
/// - **Failures.** The connection pool reconnects with backoff by itself. An operation whose connection
///   the server drops (a restart, a network cut) runs again on a new connection when that is safe: a
///   read, an idempotent write, or a transaction whose `COMMIT` was not yet sent. An operation that
///   cannot get a connection within ``Configuration/acquireTimeout`` fails with
///   `StoreError.unavailable`, and so does one that keeps failing: a write is never silently dropped,
///   and a handoff that ``createHandoff(_:conversation:)`` returned is committed. (When the connection
///   fails while a `COMMIT` is on its way, the error says the outcome is unknown.) Messages say what to
///   do (start the server, fix the password, create the database) and never include the password or
///   customer data.
public final class PostgresStore: SupportStore {
    /// Where the server is and how this store uses it.
    public let configuration: Configuration
    let client: PostgresClient
    private let clientRun: Task<Void, Never>
    /// The check and migration every operation waits for: started by the first operation (or by
    /// ``connect(configuration:)``), and started again after a failure.
    private let preparation = Mutex<Task<Void, any Error>?>(nil)
    let notifier: Notifier

    /// Connects to the server at `url`, checks that it answers and that the login works, and brings
    /// the schema up to date.
    ///
    /// ```swift
    /// let store = try await PostgresStore.connect(url: "postgres://concierge@localhost:5432/concierge")
    /// ```
    ///
    /// - Parameters:
    ///   - url: `postgres://user@host:port/database`, with the options ``Configuration`` describes.
    ///   - environment: Fills what the URL leaves out (`PGPASSWORD`, `PGUSER`...).
    /// - Throws: `StoreError.unavailable` for a malformed URL, an unreachable server, a wrong password or a
    ///   missing database, with a message saying what to do; `StoreError.corrupt` for a database written
    ///   by a newer Concierge or holding tables Concierge did not create.
    public static func connect(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) async throws
        -> PostgresStore
    {
        try await connect(configuration: Configuration(url: url, environment: environment))
    }

    /// Connects with `configuration`, checks the login and brings the schema up to date.
    ///
    /// - Throws: As ``connect(url:environment:)``.
    public static func connect(configuration: Configuration) async throws -> PostgresStore {
        let store = PostgresStore(configuration: configuration)
        do {
            try await store.prepared()
        } catch {
            store.close()
            throw error
        }
        return store
    }

    /// A store that connects on first use: nothing is checked until the first operation, which
    /// fails as ``connect(configuration:)`` would. Prefer `connect`, which reports a wrong URL or
    /// password at once; this suits code that must make a store synchronously.
    public init(configuration: Configuration) {
        self.configuration = configuration
        let client = PostgresClient(configuration: Self.clientConfiguration(configuration))
        self.client = client
        self.clientRun = Task { await client.run() }
        self.notifier = Notifier(configuration: configuration)
    }

    deinit {
        close()
    }

    /// Closes the connections and stops notifications; operations after this fail with
    /// `StoreError.unavailable`. Releasing the store does the same.
    public func close() {
        clientRun.cancel()
        notifier.stop()
    }

    /// Applies the migrations the database lacks, in one transaction under an advisory lock (safe
    /// when several processes start at once). ``connect(url:environment:)`` runs it; calling it again
    /// does nothing.
    ///
    /// - Throws: `StoreError.corrupt` when the database was written by a newer Concierge, or holds
    ///   tables Concierge did not create; `StoreError.unavailable` when the server cannot be used.
    public func migrate() async throws {
        let configuration = self.configuration
        do {
            let connection = try await Self.openConnection(configuration)
            do {
                try await Self.migrate(connection, configuration)
                try await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw Self.storeError(error, configuration, doing: "open the store")
        }
    }

    /// The database server's clock: pass it as `now` to judge leases and deadlines by one clock for
    /// every machine.
    public func serverTime() async throws -> Date {
        try await withConnection("read the server's clock") { connection in
            let rows = try await connection.query("SELECT extract(epoch FROM clock_timestamp())::float8", logger: Self.logger).collect()
            guard let row = rows.first else { throw StoreError.corrupt("the server returned no time") }
            return Date(timeIntervalSince1970: try row.makeRandomAccess()[0].decode(Double.self))
        }
    }

    // MARK: - Connecting

    /// Swallows postgres-nio's logging: errors reach the caller as ``StoreError``s instead.
    static let logger = Logger(label: "concierge.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    private static func clientConfiguration(_ configuration: Configuration) -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS =
            switch configuration.tls {
            case .disable: .disable
            case .prefer: .prefer(.makeClientConfiguration())
            case .require: .require(.makeClientConfiguration())
            }
        var client = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls)
        client.options.connectTimeout = configuration.connectTimeout
        client.options.maximumConnections = configuration.maximumConnections
        client.options.additionalStartupParameters = startupParameters(configuration)
        return client
    }

    private static func startupParameters(_ configuration: Configuration, role: String? = nil) -> [(String, String)] {
        var parameters = [("application_name", [configuration.applicationName, role].compactMap { $0 }.joined(separator: " "))]
        if let schema = configuration.schema { parameters.append(("search_path", schema)) }
        return parameters
    }

    /// One connection outside the pool (which would retry a wrong password forever): for the first
    /// check, migrations and listening.
    static func openConnection(_ configuration: Configuration, role: String? = nil) async throws -> PostgresConnection {
        let tls: PostgresConnection.Configuration.TLS =
            switch configuration.tls {
            case .disable: .disable
            case .prefer: .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        var connection = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls)
        connection.options.connectTimeout = TimeAmount(configuration.connectTimeout)
        connection.options.additionalStartupParameters = startupParameters(configuration, role: role)
        return try await PostgresConnection.connect(configuration: connection, id: 0, logger: logger)
    }

    /// Waits for the first check and migration (running them if no operation has yet).
    func prepared() async throws {
        let task = preparation.withLock { current in
            if let current { return current }
            let store = self
            let task = Task { try await store.migrate() }
            current = task
            return task
        }
        do {
            try await task.value
        } catch {
            // The next operation tries again: the server may be back, or the password fixed.
            preparation.withLock { if $0 == task { $0 = nil } }
            throw error
        }
    }

    /// Applies the missing migrations on `connection`.
    private static func migrate(_ connection: PostgresConnection, _ configuration: Configuration) async throws {
        try await inTransaction(connection) { connection in
            try await execute(connection, "SELECT pg_advisory_xact_lock(\(PostgresSchema.lockKey))")
            if let schema = configuration.schema {
                // A plain name (checked when parsed): safe to spell out.
                try await execute(connection, PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
                try await execute(connection, PostgresQuery(unsafeSQL: "SET LOCAL search_path TO \(schema)"))
            }
            try await execute(
                connection,
                """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
            let rows = try await connection.query("SELECT COALESCE(MAX(version), 0) FROM schema_version", logger: logger).collect()
            let applied = try rows.first?.makeRandomAccess()[0].decode(Int.self) ?? 0
            if applied > PostgresSchema.currentVersion {
                throw StoreError.corrupt(
                    "\(configuration.displayURL) was written by a newer version of Concierge (schema version \(applied), this one knows \(PostgresSchema.currentVersion)); upgrade concierge to use it")
            }
            for migration in PostgresSchema.migrations where migration.version > applied {
                for statement in migration.statements {
                    try await execute(connection, PostgresQuery(unsafeSQL: statement))
                }
                try await execute(
                    connection, "INSERT INTO schema_version (version, name) VALUES (\(migration.version), \(migration.name))")
            }
        }
    }

    // MARK: - Running statements

    /// Runs `body` on a pooled connection, mapping failures to ``StoreError``. Every caller's `body`
    /// is a read or an idempotent write (an upsert, a lease renewal), so it may run more than once.
    ///
    /// - When no connection comes within ``Configuration/acquireTimeout`` (the server is down or
    ///   restarting, and the pool is still retrying), it fails without having run `body`.
    /// - When the connection fails under `body` (the server restarted or dropped it), `body` runs again
    ///   on another connection, up to three times in all, then the failure is thrown.
    func withConnection<T: Sendable>(
        _ action: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await running(action) { connection, _ in try await body(connection) }
    }

    /// Runs `body` in one transaction on a pooled connection: committed when it returns, rolled back
    /// when it throws.
    ///
    /// A transaction that changed nothing runs again, up to three times in all: one the server
    /// aborted because it deadlocked with another or could not be serialised, and one whose connection
    /// failed before its `COMMIT` was sent. When the connection fails while the `COMMIT` is on its
    /// way, nobody can tell whether it committed: that is thrown, never retried.
    func transaction<T: Sendable>(
        _ action: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await running(action) { connection, progress in
            var attempt = 1
            while true {
                do {
                    return try await Self.inTransaction(connection, progress, body)
                } catch let error as PSQLError where attempt < 3 && ["40P01", "40001"].contains(error.serverInfo?[.sqlState]) {
                    attempt += 1
                }
            }
        }
    }

    private static func inTransaction<T: Sendable>(
        _ connection: PostgresConnection, _ progress: CommitProgress? = nil, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await execute(connection, "BEGIN")
        do {
            let value = try await body(connection)
            progress?.committing()
            try await execute(connection, "COMMIT")
            return value
        } catch {
            if progress?.isCommitting != true {
                do {
                    try await execute(connection, "ROLLBACK")
                } catch {
                    // Never hand a connection still inside a transaction back to the pool.
                    try? await connection.close()
                }
            }
            throw error
        }
    }

    /// Leases connections for `body` until it succeeds, fails for a reason of its own, or has failed
    /// with its connection three times; maps the failure to ``StoreError``.
    private func running<T: Sendable>(
        _ action: String, _ body: @escaping @Sendable (PostgresConnection, CommitProgress) async throws -> T
    ) async throws -> T {
        let server = "the PostgreSQL server at \(configuration.host):\(configuration.port)"
        do {
            try await prepared()
            var attempt = 1
            while true {
                let progress = CommitProgress()
                do {
                    return try await leasing { connection in try await body(connection, progress) }
                } catch where Self.isConnectionFailure(error) {
                    if progress.isCommitting { throw CommitUnknown() }
                    guard attempt < 3 else { throw error }
                    try await Task.sleep(for: .milliseconds(100 * attempt))
                    attempt += 1
                }
            }
        } catch let error as AcquireTimeout {
            throw StoreError.unavailable(
                "cannot \(action): no connection to \(server) within \(error.timeout) (it may be down or restarting); retry when it is back")
        } catch is CommitUnknown {
            throw StoreError.unavailable(
                "cannot tell whether the server saved it (\(action)): the connection to \(server) failed while it was committing; check before trying again")
        } catch is ConnectionLost, is StaleConnection {
            throw StoreError.unavailable(
                "cannot \(action): the connection to \(server) was lost (the server may be restarting); retry in a moment")
        } catch {
            throw Self.storeError(error, configuration, doing: action)
        }
    }

    /// True when `error` means the connection failed (closed, reset, the server shutting down or
    /// terminating it) rather than the statement.
    private static func isConnectionFailure(_ error: any Error) -> Bool {
        switch error {
        case is ConnectionLost, is StaleConnection: return true
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] {
                return state.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(state)
            }
            return [.serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown].contains(error.code)
        default: return false
        }
    }

    /// Leases a connection for `body`, giving up after ``Configuration/acquireTimeout``.
    private func leasing<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let lease = LeaseState()
        let timeout = configuration.acquireTimeout
        let client = self.client
        return try await withThrowingTaskGroup(of: LeaseOutcome<T>.self) { group in
            group.addTask {
                .finished(
                    try await client.withConnection { connection in
                        guard lease.begin() else { throw AcquireTimeout(timeout: timeout) }
                        // The server dropped it a moment ago: give it back unused.
                        if connection.isClosed { throw StaleConnection() }
                        return try await Self.watching(connection, body)
                    })
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                if lease.expire() { throw AcquireTimeout(timeout: timeout) }
                return .leased
            }
            while let outcome = try await group.next() {
                if case .finished(let value) = outcome {
                    group.cancelAll()
                    return value
                }
            }
            throw CancellationError()
        }
    }

    /// Runs `body` on `connection`, failing with ``ConnectionLost`` if the connection closes and
    /// `body` has not finished a second later.
    ///
    /// postgres-nio (1.33.2) never completes a query written to a connection whose channel has
    /// already closed (the server terminated it between the lease and the query): without this,
    /// such an operation would wait forever. The abandoned query's task stays suspended; it holds
    /// nothing but the dead connection.
    private static func watching<T: Sendable>(
        _ connection: PostgresConnection, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        let work = Task { try await body(connection) }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                let outcome = FirstOutcome(continuation)
                Task { outcome.resume(with: await work.result) }
                connection.closeFuture.whenComplete { _ in
                    // A query that fails the normal way reports its own error first.
                    connection.eventLoop.scheduleTask(in: .seconds(1)) { outcome.resume(with: .failure(ConnectionLost())) }
                }
            }
        } onCancel: {
            work.cancel()
        }
    }
}

/// The pool handed out a connection that had already closed; nothing was sent on it.
struct StaleConnection: Error {}

/// The connection failed after a transaction's `COMMIT` was sent.
struct CommitUnknown: Error {}

/// How far one run of an operation got: whether its transaction's `COMMIT` was sent.
final class CommitProgress: Sendable {
    private let state = Mutex(false)

    func committing() { state.withLock { $0 = true } }
    var isCommitting: Bool { state.withLock { $0 } }
}

/// The connection closed while an operation was running on it, and the operation never finished.
struct ConnectionLost: Error {}

/// Resumes a continuation with the first outcome it is given, ignoring the rest.
private final class FirstOutcome<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, any Error>?>

    init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

    func resume(with result: Result<T, any Error>) {
        continuation.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }?.resume(with: result)
    }
}

/// No pooled connection came in time.
struct AcquireTimeout: Error {
    let timeout: Duration
}

private enum LeaseOutcome<T: Sendable>: Sendable {
    case finished(T)
    case leased
}

/// Whether an operation got its connection before its deadline: exactly one of `begin` (the
/// operation runs) and `expire` (it fails unrun) wins.
private final class LeaseState: Sendable {
    private enum Phase { case waiting, running, expired }
    private let phase = Mutex(Phase.waiting)

    func begin() -> Bool {
        phase.withLock { phase in
            guard phase == .waiting else { return false }
            phase = .running
            return true
        }
    }

    func expire() -> Bool {
        phase.withLock { phase in
            guard phase == .waiting else { return false }
            phase = .expired
            return true
        }
    }
}
#endif
