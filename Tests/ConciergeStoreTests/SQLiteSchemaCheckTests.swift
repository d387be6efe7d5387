import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

@testable import ConciergeSQLite

/// Issue 13 (9b): "written by a newer Concierge" is said only when the file's schema really is newer
/// than this build's; other surprises say what they are.
@Suite("SQLiteStore schema checks")
struct SQLiteSchemaCheckTests {
    let scratch = ScratchFolder()

    @Test("A migration this build never made, but not a newer one, is not called newer")
    func aStrangeMigrationIsNotNewer() async throws {
        let path = scratch.path("hand-made.sqlite")
        try await SQLiteStore(path: path).execute(unchecked: "INSERT INTO grdb_migrations VALUES ('v3b: hand-made index')")
        let error = try #require(throws: StoreError.self) { try SQLiteStore(path: path) }
        guard case .corrupt(let message) = error else { throw error }
        #expect(!message.contains("newer"), "\(message)")
        #expect(message.contains("schema changes this Concierge never made (v3b: hand-made index)"))
    }

    @Test("A row this build cannot read, in a schema it knows, is called damaged, not newer")
    func anUnreadableRowIsNotNewer() async throws {
        let path = scratch.path("damaged-row.sqlite")
        let store = try SQLiteStore(path: path)
        try await store.save(conversation: ConversationRecord(id: "conv-1", startedAt: Fixture.at(0), state: ConversationState(id: "conv-1")))
        try await store.execute(unchecked: "UPDATE conversation SET state = '{\"not\": \"a state\"}'")
        let error = await #expect(throws: StoreError.self) { try await SQLiteStore(path: path).conversation(id: "conv-1") }
        guard case .corrupt(let message) = error else {
            Issue.record("expected a corrupt-store error, got \(String(describing: error))")
            return
        }
        #expect(!message.contains("newer"), "\(message)")
        #expect(message.contains("damaged or changed outside Concierge"))
    }
}
