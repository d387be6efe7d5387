// Built only with the PostgreSQL trait (`swift test --traits PostgreSQL`, README's test command).
#if PostgreSQL
import ConciergeEngine
import ConciergeStore
import Foundation
import Synchronization
import Testing

@testable import ConciergePostgres

/// The PostgreSQL server the tests use: the one libpq's variables name (`PGHOST`, `PGPORT`,
/// `PGUSER`, `PGPASSWORD`, `PGDATABASE`; `.ci/run` starts a throwaway one and sets them). Without
/// `PGHOST` every PostgreSQL test is skipped, so `swift test` passes on a machine without a server.
///
/// Each store gets a schema of its own (`concierge_test_…`, created by its migration), so tests
/// never see each other's rows. They are left behind: on a long-lived server, drop them with
/// `SELECT format('DROP SCHEMA %I CASCADE;', nspname) FROM pg_namespace WHERE nspname LIKE 'concierge_test_%' \gexec`.
enum PostgresTestServer {
    static let isConfigured = ProcessInfo.processInfo.environment["PGHOST"].map { !$0.isEmpty } ?? false

    /// A schema name no other test uses.
    static func freshSchema() -> String {
        "concierge_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
    }

    /// The test server, in `schema`, without TLS, with few connections per store.
    static func configuration(schema: String = freshSchema()) throws -> PostgresStore.Configuration {
        // The schema's name as the application name, so a test can find its own connections.
        var configuration = try PostgresStore.Configuration(url: "postgres:///?sslmode=disable&schema=\(schema)&application_name=\(schema)")
        configuration.maximumConnections = 4
        return configuration
    }

    /// A connected store in a new, empty schema.
    static func store(schema: String = freshSchema()) async throws -> PostgresStore {
        try await PostgresStore.connect(configuration: configuration(schema: schema))
    }
}

extension StoreFactory {
    /// The PostgreSQL store, for the behavioural suite, when a test server is configured.
    static let postgres: [StoreFactory] =
        PostgresTestServer.isConfigured ? [StoreFactory(name: "PostgresStore") { _ in try await PostgresTestServer.store() }] : []
}

/// What only the PostgreSQL store does: share one database between processes (claims, migrations,
/// message numbering), notify, and explain a server it cannot use.
@Suite("PostgresStore", .enabled(if: PostgresTestServer.isConfigured, "set PGHOST (and PGPORT, PGUSER, PGPASSWORD, PGDATABASE) to run"))
struct PostgresStoreTests {
    @Test("A store connected again to the same schema keeps everything, and handoff ids go on")
    func reconnect() async throws {
        let schema = PostgresTestServer.freshSchema()
        var conversation = Fixture.conversation("conv-1")
        let turn = Fixture.turn("conv-1", 1)
        var created: Handoff
        do {
            let store = try await PostgresTestServer.store(schema: schema)
            try await store.record(turn: turn, conversation: conversation)
            try await store.save(customer: Fixture.profile)
            created = try await store.create(Fixture.handoff(conversation: "conv-1"))
            try await store.take(created.id, agent: "ana", at: 30)
            _ = try await store.post(HandoffMessage(handoffID: created.id, at: Fixture.at(40), sender: .agent, author: "ana", text: "Hi — ça va ?"))
            store.close()
        }
        let store = try await PostgresTestServer.store(schema: schema)
        conversation.state.handoff = try await store.conversation(id: "conv-1")?.state.handoff
        #expect(try await store.conversation(id: "conv-1") == conversation)
        #expect(try await store.turns(conversationID: "conv-1") == [turn])
        #expect(try await store.customer(id: "cust-1") == Fixture.profile)
        created.status = .claimed
        created.claimedBy = "ana"
        created.claimedAt = Fixture.at(30)
        created.leaseUntil = Fixture.at(330)
        created.firstResponseAt = Fixture.at(40)
        #expect(try await store.handoff(id: "H-000001") == created)
        #expect(try await store.eventKinds("H-000001") == [.created, .claimed, .replied])
        #expect(try await store.create(Fixture.handoff(created: 60)).id == "H-000002")
        #expect(try await store.scalar("SELECT string_agg(version::text, ',' ORDER BY version) FROM schema_version") == "1,2,3,4,5")
    }

    @Test("Dates are timestamptz, nested values jsonb, and everything lives in the store's schema")
    func columnFormats() async throws {
        let schema = PostgresTestServer.freshSchema()
        let store = try await PostgresTestServer.store(schema: schema)
        try await store.record(turn: Fixture.turn("conv-1", 1), conversation: Fixture.conversation("conv-1"))
        try await store.create(Fixture.handoff(created: 0))
        #expect(try await store.scalar("SELECT pg_typeof(started_at)::text FROM conversation") == "timestamp with time zone")
        #expect(try await store.scalar("SELECT to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') FROM conversation") == "2026-01-01 00:00:00.125")
        #expect(try await store.scalar("SELECT state -> 'slots' ->> 'city' FROM conversation") == "Zürich")
        #expect(try await store.scalar("SELECT pg_typeof(transcript)::text || ' ' || jsonb_array_length(transcript) FROM handoff") == "jsonb 2")
        #expect(try await store.scalar("SELECT profile #>> '{fields,email,learnedAt}' FROM handoff") == String(Fixture.start + 5))
        #expect(try await store.scalar("SELECT number || ' ' || id || ' ' || status FROM handoff") == "1 H-000001 queued")
        #expect(try await store.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = '\(schema)'") == "12")
    }

    @Test("Eight stores, as eight processes would, claim 1,000 queued handoffs at once: each exactly once")
    func concurrentClaims() async throws {
        let schema = PostgresTestServer.freshSchema()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<8 { group.addTask { try await PostgresTestServer.store(schema: schema) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let count = 1_000
        let ids = try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    var ids: [String] = []
                    for number in stride(from: index, to: count, by: stores.count) {
                        let queue = number % 2 == 0 ? "orders" : "billing"
                        ids.append(try await store.create(Fixture.handoff(queue: queue, priority: 1 + number % 4, created: Double(number))).id)
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(ids).count == count)

        let started = ContinuousClock.now
        let claims = try await withThrowingTaskGroup(of: [(agent: String, id: String)].self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    let agent = "agent-\(index)"
                    var mine: [(agent: String, id: String)] = []
                    while case .claimed(let handoff) = try await store.claim(
                        id: nil, agent: agent, queues: index % 2 == 0 ? nil : ["orders", "billing"], now: Fixture.at(2_000), lease: 3_600)
                    {
                        #expect(handoff.claimedBy == agent)
                        mine.append((agent, handoff.id))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print("PostgresStore: 8 stores claimed \(claims.count) handoffs in \(String(format: "%.2f", seconds)) s: \(Int(Double(claims.count) / seconds)) claims/s")

        #expect(claims.count == count)
        #expect(Set(claims.map(\.id)) == Set(ids))
        #expect(Set(claims.map(\.agent)).count > 1, "the claims were not concurrent")
        let store = stores[0]
        #expect(try await store.handoffs(statuses: [.queued], queue: nil).isEmpty)
        let holders = Dictionary(uniqueKeysWithValues: claims.map { ($0.id, $0.agent) })
        for handoff in try await store.handoffs(statuses: [.claimed], queue: nil) {
            #expect(holders[handoff.id] == handoff.claimedBy)
        }
        #expect(try await store.scalar("SELECT count(*) FROM handoff_event WHERE kind = 'claimed'") == String(count))
        #expect(try await store.scalar("SELECT count(DISTINCT handoff_id) FROM handoff_event WHERE kind = 'claimed'") == String(count))
    }

    @Test("Claiming one handoff from eight stores at once: one wins, the others are told who has it")
    func racingClaimByID() async throws {
        let schema = PostgresTestServer.freshSchema()
        let first = try await PostgresTestServer.store(schema: schema)
        let stores = [first] + (try await (1..<8).asyncMap { _ in try await PostgresTestServer.store(schema: schema) })
        for round in 0..<10 {
            let created = try await first.create(Fixture.handoff(created: Double(round)))
            let outcomes = try await withThrowingTaskGroup(of: ClaimOutcome.self) { group in
                for (index, store) in stores.enumerated() {
                    group.addTask { try await store.claim(id: created.id, agent: "agent-\(index)", queues: nil, now: Fixture.at(100), lease: 60) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let winners = outcomes.compactMap { outcome -> String? in
                if case .claimed(let handoff) = outcome { return handoff.claimedBy }
                return nil
            }
            #expect(winners.count == 1)
            #expect(outcomes.filter { $0 == .heldBy(winners.first ?? "") }.count == 7)
        }
    }

    @Test("Messages posted to one handoff from several stores at once are numbered 1…N without a gap")
    func concurrentPosts() async throws {
        let schema = PostgresTestServer.freshSchema()
        let first = try await PostgresTestServer.store(schema: schema)
        let stores = [first] + (try await (1..<4).asyncMap { _ in try await PostgresTestServer.store(schema: schema) })
        let created = try await first.create(Fixture.handoff())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    for number in 0..<25 {
                        let sender: HandoffMessage.Sender = index == 0 ? .agent : .customer
                        _ = try await store.post(
                            HandoffMessage(handoffID: created.id, at: Fixture.at(Double(number)), sender: sender, author: "p\(index)", text: "m\(number)"))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await first.messages(handoffID: created.id, after: 0).map(\.sequence) == Array(1...100))
        #expect(try await first.events(handoffID: created.id).map(\.sequence) == Array(1...101))
        #expect(try await first.handoff(id: created.id)?.firstResponseAt != nil)
    }

    @Test("Two processes migrating a new database at once: both start, and each migration runs once")
    func migrationRace() async throws {
        let schema = PostgresTestServer.freshSchema()
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<4 { group.addTask { try await PostgresTestServer.store(schema: schema) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(stores.count == 4)
        #expect(try await stores[0].scalar("SELECT count(*) FROM schema_version") == String(PostgresSchema.migrations.count))
        #expect(try await stores[1].create(Fixture.handoff()).id == "H-000001")
        try await stores[2].migrate()
        #expect(try await stores[3].scalar("SELECT count(*) FROM schema_version") == String(PostgresSchema.migrations.count))
    }

    @Test("A database written by a newer Concierge, or holding other tables, is refused")
    func foreignDatabase() async throws {
        let newer = PostgresTestServer.freshSchema()
        try await PostgresTestServer.store(schema: newer).execute(unchecked: "INSERT INTO schema_version (version, name) VALUES (99, 'from the future')")
        let newerError = try await #require(throws: StoreError.self) { try await PostgresTestServer.store(schema: newer) }
        guard case .corrupt(let newerMessage) = newerError else { throw newerError }
        #expect(newerMessage.contains("newer version of Concierge") && newerMessage.contains("schema version 99"))

        let other = PostgresTestServer.freshSchema()
        let setup = try await PostgresTestServer.store(schema: PostgresTestServer.freshSchema())
        try await setup.execute(unchecked: "CREATE SCHEMA \(other)")
        try await setup.execute(unchecked: "CREATE TABLE \(other).conversation (id integer)")
        let otherError = try await #require(throws: StoreError.self) { try await PostgresTestServer.store(schema: other) }
        guard case .corrupt(let otherMessage) = otherError else { throw otherError }
        #expect(otherMessage.contains("a table Concierge did not create") && otherMessage.contains("?schema="))
    }

    @Test("A wrong password, a missing database, a closed port and a malformed URL each say what to do")
    func clearErrors() async throws {
        let good = try PostgresTestServer.configuration()
        let secret = "not-the-password-\(UUID().uuidString)"

        var wrongPassword = good
        wrongPassword.password = secret
        let passwordMessage = try await unavailableMessage { try await PostgresStore.connect(configuration: wrongPassword) }
        #expect(passwordMessage.contains("refused the password for user \(good.username)"))
        #expect(!passwordMessage.contains(secret))

        var missing = good
        missing.database = "no_such_database_\(UUID().uuidString.prefix(8).lowercased())"
        let missingMessage = try await unavailableMessage { try await PostgresStore.connect(configuration: missing) }
        #expect(missingMessage.contains("has no database \(missing.database)") && missingMessage.contains("createdb"))

        var closed = good
        closed.host = "127.0.0.1"
        closed.port = 1
        let closedMessage = try await unavailableMessage { try await PostgresStore.connect(configuration: closed) }
        #expect(closedMessage.contains("cannot reach the PostgreSQL server at 127.0.0.1:1") && closedMessage.contains("running"))

        let urlMessage = try await unavailableMessage { try await PostgresStore.connect(url: "postgres://ana:\(secret)@db:notaport/x") }
        #expect(urlMessage.contains("not a PostgreSQL URL") && !urlMessage.contains(secret))
        let schemeMessage = try await unavailableMessage { try await PostgresStore.connect(url: "mysql://ana@db/x") }
        #expect(schemeMessage.contains("postgres://USER@HOST:PORT/DATABASE"))
        let optionMessage = try await unavailableMessage { try await PostgresStore.connect(url: "postgres://ana:\(secret)@db/x?pool=9") }
        #expect(optionMessage.contains("pool is not a parameter") && !optionMessage.contains(secret))
    }

    @Test("Other processes' handoffs and messages arrive as notifications, after a first resync")
    func notifications() async throws {
        let schema = PostgresTestServer.freshSchema()
        let bot = try await PostgresTestServer.store(schema: schema)
        let console = try await PostgresTestServer.store(schema: schema)
        let elsewhere = try await PostgresTestServer.store()
        let received = Mutex<[StoreNotification]>([])
        let stream = console.notifications()
        let reader = Task {
            for await notification in stream {
                received.withLock { $0.append(notification) }
            }
        }
        defer { reader.cancel() }
        try await waitUntil { received.withLock { $0.contains(.resync) } }

        let created = try await bot.create(Fixture.handoff())
        try await elsewhere.create(Fixture.handoff())  // another schema: not this console's business
        try await waitUntil { received.withLock { $0.contains(.handoffChanged(created.id)) } }
        _ = try await bot.post(HandoffMessage(handoffID: created.id, at: Fixture.at(5), sender: .customer, author: "cust-1", text: "hello?"))
        try await waitUntil { received.withLock { $0.contains(.messagePosted(handoffID: created.id)) } }
        try await console.take(created.id, agent: "ana", at: 10)
        try await waitUntil { received.withLock { $0.filter { $0 == .handoffChanged(created.id) }.count == 2 } }
        #expect(received.withLock { $0 } == [.resync, .handoffChanged(created.id), .messagePosted(handoffID: created.id), .handoffChanged(created.id)])
    }

    @Test("Eight consoles see every one of 400 handoffs four bots create, within a second")
    func notificationLatency() async throws {
        let schema = PostgresTestServer.freshSchema()
        let bots = try await (0..<4).asyncMap { _ in try await PostgresTestServer.store(schema: schema) }
        let consoles = try await (0..<8).asyncMap { _ in try await PostgresTestServer.store(schema: schema) }
        let created = Locked<[String: ContinuousClock.Instant]>([:])
        let seen = Locked<[(id: String, at: ContinuousClock.Instant)]>([])
        let count = 400
        let readers = consoles.map { console in
            let stream = console.notifications()
            return Task {
                var mine = Set<String>()
                for await notification in stream {
                    guard case .handoffChanged(let id) = notification, mine.insert(id).inserted else { continue }
                    let now = ContinuousClock.now
                    seen.withLock { $0.append((id, now)) }
                    if mine.count == count { return }
                }
            }
        }
        try await Task.sleep(for: .milliseconds(300))  // every console is listening (each sends .resync first)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, bot) in bots.enumerated() {
                group.addTask {
                    for number in stride(from: index, to: count, by: bots.count) {
                        let start = ContinuousClock.now
                        let id = try await bot.create(Fixture.handoff(created: Double(number), conversation: "conv-\(number)")).id
                        created.withLock { $0[id] = start }
                    }
                }
            }
            try await group.waitForAll()
        }
        try await waitUntil { seen.withLock { $0.count } >= count * consoles.count }
        for reader in readers { reader.cancel() }
        let starts = created.withLock { $0 }
        let sorted = seen.withLock { $0 }.compactMap { seen in starts[seen.id].map { seen.at - $0 } }.sorted()
        #expect(sorted.count == count * consoles.count, "every console sees every handoff")
        let milliseconds = { (duration: Duration) in
            Double(duration.components.seconds) * 1_000 + Double(duration.components.attoseconds) / 1e15
        }
        let p50 = milliseconds(sorted[sorted.count / 2])
        let p99 = milliseconds(sorted[min(sorted.count - 1, sorted.count * 99 / 100)])
        print("PostgresStore: creation to console, \(sorted.count) deliveries: p50 \(String(format: "%.1f", p50)) ms, p99 \(String(format: "%.1f", p99)) ms")
        // Live delivery, not a slow poll: half arrive within a second even on a loaded 2-core
        // machine (the p99 is a figure to read, not to assert: it moves with whatever else runs).
        #expect(p50 < 1_000)
    }

    @Test("Listening survives its connection being killed: it reconnects and says resync")
    func notificationsReconnect() async throws {
        let schema = PostgresTestServer.freshSchema()
        let store = try await PostgresTestServer.store(schema: schema)
        let admin = try await PostgresTestServer.store()
        let received = Mutex<[StoreNotification]>([])
        let stream = store.notifications()
        let reader = Task {
            for await notification in stream { received.withLock { $0.append(notification) } }
        }
        defer { reader.cancel() }
        try await waitUntil { received.withLock { $0.contains(.resync) } }

        let killed = try await admin.scalar(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '\(schema) listener'")
        #expect(killed == "1")
        try await waitUntil { received.withLock { $0.filter { $0 == .resync }.count == 2 } }
        let created = try await store.create(Fixture.handoff())
        try await waitUntil { received.withLock { $0.contains(.handoffChanged(created.id)) } }
    }

    @Test("Writes go on after the server drops the store's connections: each fails loudly or is stored")
    func connectionsKilled() async throws {
        let schema = PostgresTestServer.freshSchema()
        let store = try await PostgresTestServer.store(schema: schema)
        let admin = try await PostgresTestServer.store()
        var written: [String] = []
        var failures = 0
        for round in 0..<5 {
            // A few connections in the pool, then the server drops them all.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { _ = try await store.handoffs(statuses: [.queued], queue: nil) } }
                try await group.waitForAll()
            }
            _ = try await admin.scalar("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '\(schema)'")
            // The pool may still hand out a connection it has not yet seen closed: that write fails,
            // with an error, and the next one goes through.
            for attempt in 1...8 {
                do {
                    written.append(try await store.create(Fixture.handoff(created: Double(round))).id)
                    break
                } catch StoreError.unavailable(let message) where attempt < 8 {
                    #expect(message.contains("127.0.0.1") && message.contains("retry"))
                    failures += 1
                }
            }
        }
        let stored = try await store.handoffs(statuses: [.queued], queue: nil).map(\.id)
        #expect(Set(written).isSubset(of: Set(stored)))
        // A write whose connection dropped before the answer came may have committed all the same.
        #expect(stored.count <= written.count + failures)
        #expect(written.count == 5)
        print("PostgresStore: 5 rounds of dropped connections, \(failures) writes failed loudly, \(written.count) stored")
    }

    @Test("The server's clock is close to this machine's")
    func serverTime() async throws {
        let store = try await PostgresTestServer.store()
        #expect(abs(try await store.serverTime().timeIntervalSinceNow) < 60)
    }

    // MARK: - Helpers

    /// The message of the `StoreError.unavailable` that `body` throws.
    private func unavailableMessage(_ body: () async throws -> PostgresStore) async throws -> String {
        do {
            let store = try await body()
            store.close()
        } catch StoreError.unavailable(let message) {
            return message
        }
        Issue.record("expected StoreError.unavailable")
        return ""
    }

    /// Waits up to 10 s for `condition`.
    private func waitUntil(_ condition: () -> Bool, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting", sourceLocation: sourceLocation)
                return
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}

/// Reading `postgres://` URLs: needs no server.
@Suite("PostgresStore.Configuration")
struct PostgresConfigurationTests {
    @Test("A URL's parts, and libpq's variables for the parts it leaves out")
    func urls() throws {
        let environment = ["PGHOST": "pg.internal", "PGPORT": "6543", "PGUSER": "bot", "PGPASSWORD": "s3cret", "PGDATABASE": "support"]
        let full = try PostgresStore.Configuration(
            url: "postgresql://ana:pw@db.example:5433/concierge?sslmode=require&schema=team_a&connect_timeout=3", environment: environment)
        #expect(full.host == "db.example" && full.port == 5433 && full.username == "ana" && full.password == "pw")
        #expect(full.database == "concierge" && full.schema == "team_a" && full.tls == .require && full.connectTimeout == .seconds(3))
        #expect(full.displayURL == "postgres://ana@db.example:5433/concierge?schema=team_a")

        let fromEnvironment = try PostgresStore.Configuration(url: "postgres://", environment: environment)
        #expect(fromEnvironment.host == "pg.internal" && fromEnvironment.port == 6543 && fromEnvironment.username == "bot")
        #expect(fromEnvironment.password == "s3cret" && fromEnvironment.database == "support" && fromEnvironment.tls == .prefer)

        let defaults = try PostgresStore.Configuration(url: "postgres://maya@/", environment: [:])
        #expect(defaults.host == "localhost" && defaults.port == 5432 && defaults.database == "maya" && defaults.password == nil)

        #expect(throws: StoreError.self) { try PostgresStore.Configuration(url: "postgres://ana@db/x?schema=Robert'); DROP", environment: [:]) }
        #expect(throws: StoreError.self) { try PostgresStore.Configuration(url: "postgres://ana@db/x?sslmode=sometimes", environment: [:]) }
        #expect(throws: StoreError.self) { try PostgresStore.Configuration(url: "postgres://db/x", environment: [:]) }
    }
}

/// A PostgreSQL restart in the middle of the chat's writes. It runs only when
/// `CONCIERGE_PG_RESTART` holds the shell command that restarts the test server (`.ci/run` sets it
/// for a run of this suite alone: a restart would disturb every other test running at the time).
@Suite(
    "PostgresStore across a server restart",
    .enabled(if: PostgresTestServer.isConfigured && ProcessInfo.processInfo.environment["CONCIERGE_PG_RESTART"] != nil))
struct PostgresRestartTests {
    @Test("Writes through a server restart: each is stored exactly once or fails loudly, and listeners resync")
    func restart() async throws {
        let command = try #require(ProcessInfo.processInfo.environment["CONCIERGE_PG_RESTART"])
        let schema = PostgresTestServer.freshSchema()
        let store = try await PostgresTestServer.store(schema: schema)
        let resyncs = Mutex(0)
        let stream = store.notifications()
        let reader = Task {
            for await notification in stream where notification == .resync { resyncs.withLock { $0 += 1 } }
        }
        defer { reader.cancel() }

        var stored: [String: String] = [:]  // conversation → handoff
        var failed: [String] = []
        var restart: Task<Int32, Never>?
        let started = ContinuousClock.now
        for number in 0..<300 {
            if number == 60 {
                restart = Task { await Self.shell(command) }
            }
            let conversation = "conv-\(number)"
            do {
                stored[conversation] = try await store.create(Fixture.handoff(created: Double(number), conversation: conversation)).id
            } catch let error as StoreError {
                guard case .unavailable = error else { throw error }
                failed.append(conversation)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(await restart?.value == 0, "the restart command failed")
        let elapsed = ContinuousClock.now - started
        let seconds = String(format: "%.1f", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)

        // Every handoff the store said it made is there once; nothing else is but, at most, writes
        // whose commit was in flight when the server went down (they failed loudly).
        let rows = try await store.handoffs(statuses: [.queued], queue: nil)
        let byConversation = Dictionary(grouping: rows, by: \.conversationID)
        for (conversation, id) in stored {
            #expect(byConversation[conversation]?.map(\.id) == [id])
        }
        #expect(byConversation.values.allSatisfy { $0.count == 1 }, "a handoff was stored twice")
        #expect(Set(byConversation.keys).isSubset(of: Set(stored.keys).union(failed)))
        #expect(stored.count >= 250, "most writes should ride through the restart")
        try await Task.sleep(for: .seconds(1))
        #expect(resyncs.withLock { $0 } >= 2, "the listener should reconnect and resync after the restart")
        print("PostgresStore: restart during \(stored.count + failed.count) writes in \(seconds) s: \(stored.count) stored, \(failed.count) failed loudly, \(rows.count - stored.count) of those committed")
    }

    /// Runs `command` with `/bin/sh` on a thread of its own; its exit status.
    private static func shell(_ command: String) async -> Int32 {
        await withCheckedContinuation { continuation in
            Thread {
                continuation.resume(returning: system(command))
            }.start()
        }
    }
}

/// A value several tasks share.
private final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T>(_ body: (inout Value) -> T) -> T { mutex.withLock { body(&$0) } }
}

extension Sequence where Element: Sendable {
    /// `map` with an async transform, one element at a time.
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var values: [T] = []
        for element in self { values.append(try await transform(element)) }
        return values
    }
}
#else
extension StoreFactory {
    /// No PostgreSQL store in a build without the PostgreSQL trait.
    static let postgres: [StoreFactory] = []
}
#endif
