import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

@testable import ConciergeSQLite

/// Issue 13 (9a): a damaged page is found when the store opens, and the file is left as it was.
@Suite("SQLiteStore integrity check")
struct SQLiteIntegrityTests {
    let scratch = ScratchFolder()

    @Test("A store with a damaged page is refused on open, saying so, and nothing is written to it")
    func aDamagedPageIsRefusedOnOpen() async throws {
        let path = scratch.path("damaged.sqlite")
        let (page, pageSize): (Int, Int)
        do {
            let store = try SQLiteStore(path: path)
            try await store.save(conversation: Fixture.conversation("conv-1"))
            for number in 1...50 { try await store.record(turn: Fixture.turn("conv-1", number), conversation: Fixture.conversation("conv-1")) }
            page = Int(try #require(try await store.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'turn'"))) ?? 0
            pageSize = Int(try #require(try await store.scalar("PRAGMA page_size"))) ?? 0
            try await store.checkpoint()
        }
        #expect(page > 1 && pageSize >= 512)
        // Scribble over the turn table's root page, as a bad disk sector would.
        let file = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try file.seek(toOffset: UInt64((page - 1) * pageSize))
        try file.write(contentsOf: Data(repeating: 0xEE, count: 64))
        try file.close()
        let damaged = try Data(contentsOf: URL(fileURLWithPath: path))

        let error = try #require(throws: StoreError.self) { try SQLiteStore(path: path) }
        guard case .corrupt(let message) = error else { throw error }
        #expect(message.contains("\(path) is damaged (SQLite's quick_check:"), "\(message)")
        #expect(message.contains("restore it from a backup"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == damaged, "nothing was written to the damaged file")
    }

    @Test("A sound store opens, and the check reads it without changing a byte")
    func aSoundStoreOpens() async throws {
        let path = scratch.path("sound.sqlite")
        do {
            let store = try SQLiteStore(path: path)
            try await store.save(conversation: Fixture.conversation("conv-1"))
            try await store.checkpoint()
        }
        let store = try SQLiteStore(path: path)
        #expect(try await store.conversation(id: "conv-1") != nil)
    }
}
