import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

@testable import ConciergeSQLite

/// What only a file store does: survive a reopen, run in WAL mode, refuse files that are not its
/// own, and hand each handoff to exactly one of several processes.
@Suite("SQLiteStore")
struct SQLiteStoreTests {
    let scratch = ScratchFolder()

    @Test("A reopened file keeps everything, and handoff ids go on from where they were")
    func reopen() async throws {
        let path = scratch.path("nested/folders/concierge.sqlite")
        var conversation = Fixture.conversation("conv-1")
        let turn = Fixture.turn("conv-1", 1)
        let message = HandoffMessage(handoffID: "H-000001", at: Fixture.at(40), sender: .agent, author: "ana", text: "Hi — ça va ?")
        var created: Handoff
        do {
            let store = try SQLiteStore(path: path)
            try await store.record(turn: turn, conversation: conversation)
            try await store.save(customer: Fixture.profile)
            created = try await store.create(Fixture.handoff(conversation: "conv-1"))
            try await store.take(created.id, agent: "ana", at: 30)
            _ = try await store.post(message)
            _ = try await store.add(
                suggestion: Suggestion(handoffID: created.id, text: "where", target: "intent:order_status", agent: "ana", createdAt: Fixture.at(50)))
        }
        let store = try SQLiteStore(path: path)
        conversation.state.handoff = try await store.conversation(id: "conv-1")?.state.handoff
        #expect(conversation.state.handoff?.id == "H-000001")
        #expect(try await store.conversation(id: "conv-1") == conversation)
        #expect(try await store.turns(conversationID: "conv-1") == [turn])
        #expect(try await store.customer(id: "cust-1") == Fixture.profile)
        created.status = .claimed
        created.claimedBy = "ana"
        created.claimedAt = Fixture.at(30)
        created.leaseUntil = Fixture.at(330)
        created.firstResponseAt = Fixture.at(40)
        #expect(try await store.handoff(id: "H-000001") == created)
        var posted = message
        posted.sequence = 1
        #expect(try await store.messages(handoffID: "H-000001", after: 0) == [posted])
        #expect(try await store.eventKinds("H-000001") == [.created, .claimed, .replied, .taught])
        #expect(try await store.suggestions().map(\.id) == [1])
        #expect(try await store.create(Fixture.handoff(created: 60)).id == "H-000002")
    }

    @Test("The file is in WAL mode with synchronous NORMAL and foreign keys on")
    func settings() async throws {
        let store = try SQLiteStore(path: scratch.path("concierge.sqlite"))
        #expect(try await store.pragma("journal_mode") == "wal")
        #expect(try await store.pragma("synchronous") == "1")
        #expect(try await store.pragma("foreign_keys") == "1")
        #expect(try await store.pragma("application_id") == String(Schema.applicationID))
        #expect(FileManager.default.fileExists(atPath: scratch.path("concierge.sqlite-wal")))
        let migrations = try await store.scalar("SELECT group_concat(identifier, ' | ') FROM grdb_migrations")
        #expect(migrations == "v1: conversations and turns | v2: customers | v3: handoff queue, messages, audit log, suggestions | v4: failed identity checks | v5: satisfaction | v6: agents | v7: maintenance")
    }

    @Test("Dates are REAL seconds since 1970 and nested values are JSON")
    func columnFormats() async throws {
        let store = try SQLiteStore.inMemory()
        try await store.record(turn: Fixture.turn("conv-1", 1), conversation: Fixture.conversation("conv-1"))
        try await store.create(Fixture.handoff(created: 0))
        #expect(try await store.scalar("SELECT typeof(startedAt) || typeof(updatedAt) FROM conversation") == "realreal")
        #expect(try await store.scalar("SELECT startedAt FROM conversation") == String(Fixture.start))
        #expect(try await store.scalar("SELECT typeof(at) FROM turn") == "real")
        #expect(try await store.scalar("SELECT json_extract(state, '$.slots.city') FROM conversation") == "Zürich")
        #expect(try await store.scalar("SELECT json_extract(slots, '$.order_id') FROM turn") == "A10234")
        #expect(try await store.scalar("SELECT json_array_length(transcript) FROM handoff") == "2")
        #expect(try await store.scalar("SELECT json_extract(profile, '$.fields.email.learnedAt') FROM handoff") == String(Fixture.start + 5))
        #expect(try await store.scalar("SELECT number || ' ' || id || ' ' || typeof(createdAt) FROM handoff") == "1 H-000001 real")
    }

    @Test("A file that is not a Concierge database is refused, and left alone")
    func notAConciergeDatabase() async throws {
        let text = scratch.path("notes.txt")
        try Data("shopping list: milk, eggs\n".utf8).write(to: URL(fileURLWithPath: text))
        let error = try #require(throws: StoreError.self) { try SQLiteStore(path: text) }
        guard case .corrupt(let message) = error else { throw error }
        #expect(message.contains(text) && message.contains("not a Concierge database"))
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "shopping list: milk, eggs\n")

        let foreign = scratch.path("other-app.sqlite")
        try await SQLiteStore(path: foreign).execute(unchecked: "PRAGMA application_id = 42")
        let foreignError = try #require(throws: StoreError.self) { try SQLiteStore(path: foreign) }
        #expect(foreignError == .corrupt("\(foreign) is not a Concierge database (it is another program's SQLite file); give another path"))

        let newer = scratch.path("newer.sqlite")
        try await SQLiteStore(path: newer).execute(unchecked: "INSERT INTO grdb_migrations VALUES ('v9: from the future')")
        let newerError = try #require(throws: StoreError.self) { try SQLiteStore(path: newer) }
        #expect(newerError == .corrupt("\(newer) was written by a newer version of Concierge (schema v9, this one knows v7); upgrade concierge to use it"))
    }

    @Test("A path that cannot hold a database gives an error naming it")
    func unusablePath() throws {
        let file = scratch.path("plain-file")
        try Data().write(to: URL(fileURLWithPath: file))
        let underFile = file + "/concierge.sqlite"
        let error = try #require(throws: StoreError.self) { try SQLiteStore(path: underFile) }
        guard case .unavailable(let message) = error else { throw error }
        #expect(message.contains(underFile))

        let folder = scratch.path("a-folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let folderError = try #require(throws: StoreError.self) { try SQLiteStore(path: folder) }
        guard case .unavailable(let folderMessage) = folderError else { throw folderError }
        #expect(folderMessage.contains(folder) && folderMessage.contains("cannot be opened"))
    }

    @Test("Eight stores on one file claiming 400 handoffs at once: each is claimed exactly once")
    func concurrentClaims() async throws {
        let path = scratch.path("concierge.sqlite")
        let stores = try (0..<8).map { _ in try SQLiteStore(path: path) }
        var ids: [String] = []
        for number in 0..<400 {
            let queue = number % 2 == 0 ? "orders" : "billing"
            ids.append(try await stores[number % 8].create(Fixture.handoff(queue: queue, priority: 1 + number % 4, created: Double(number))).id)
        }
        #expect(Set(ids).count == 400)

        let claims = try await withThrowingTaskGroup(of: [(agent: String, id: String)].self) { group in
            for (index, store) in stores.enumerated() {
                group.addTask {
                    let agent = "agent-\(index)"
                    var mine: [(agent: String, id: String)] = []
                    while case .claimed(let handoff) = try await store.claim(
                        id: nil, agent: agent, queues: nil, now: Fixture.at(1_000), lease: 3_600)
                    {
                        #expect(handoff.claimedBy == agent)
                        mine.append((agent, handoff.id))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        #expect(claims.count == 400)
        #expect(Set(claims.map(\.id)) == Set(ids))
        #expect(Set(claims.map(\.agent)).count > 1, "the claims were not concurrent")

        let store = stores[0]
        #expect(try await store.handoffs(statuses: [.queued], queue: nil).isEmpty)
        let holders = Dictionary(uniqueKeysWithValues: claims.map { ($0.id, $0.agent) })
        for handoff in try await store.handoffs(statuses: [.claimed], queue: nil) {
            #expect(holders[handoff.id] == handoff.claimedBy)
        }
        let claimEvents = try await store.scalar("SELECT count(*) FROM handoffEvent WHERE kind = 'claimed'")
        #expect(claimEvents == "400")
    }
}
