import ConciergeSQLite
import Foundation
import GRDB
import Testing

/// Personal data at rest: readable by the store's owner only, and erased for good by `forget`.
@Suite(.serialized) struct PersonalDataTests {
    /// Every text in every table of the SQLite file.
    static func allText(in path: String) throws -> String {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var texts: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                    for (_, value) in row { if let text = String.fromDatabaseValue(value) { texts.append(text) } }
                }
            }
            return texts.joined(separator: "\n")
        }
    }

    @Test func forgetLeavesNoTraceOfTheEmailOrPhoneInAnyTableAndKeepsTheCounts() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        let environment = ["CONCIERGE_STORE": store]
        let chat = try ConciergeProcess.run(
            ["chat", "--now", "2026-11-18T15:00:00Z"],
            input: "my order A10234 arrived damaged\nmy email is maya.chen@example.com, phone 503-555-0147\nI want a person\ncall me on (503) 555-0147\n",
            environment: environment)
        #expect(chat.status == 0)
        let before = try Self.allText(in: store)
        #expect(before.contains("maya.chen@example.com") && before.contains("555-0147"))

        let forgot = try ConciergeProcess.run(["forget", "--email", "Maya.Chen@example.com"], environment: environment)
        #expect(forgot.status == 0, "\(forgot.stderr)")
        #expect(forgot.stdout.contains("Forgot Maya.Chen@example.com"))
        let after = try Self.allText(in: store)
        for value in ["maya.chen@example.com", "503-555-0147", "(503) 555-0147", "5035550147"] {
            #expect(!after.localizedCaseInsensitiveContains(value), "\(value) is still in the store")
        }
        let listed = try ConciergeProcess.run(["queue", "list", "--json"], environment: environment)
        let handoffs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(handoffs.count == 1, "the handoff stays, for the counts")

        let again = try ConciergeProcess.run(["forget", "--email", "maya.chen@example.com"], environment: environment)
        #expect(again.status == 1, "nothing left to match")
        let usage = try ConciergeProcess.run(["forget"], environment: environment)
        #expect(usage.status == 2)
        #expect(usage.stderr.contains("--customer C1001, --email ADDRESS or --phone NUMBER"))
    }

    @Test func aReaderThatStopsEarlyLosesNoTurn() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        let process = Process()
        process.executableURL = ConciergeProcess.binary
        process.arguments = ["chat", "--jsonl", "--store", store]
        process.currentDirectoryURL = ConciergeProcess.packageRoot
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Like `| head -1`: the reader takes one line and closes its end.
        input.fileHandleForWriting.write(Data("hello\n".utf8))
        var first = Data()
        while !first.contains(0x0A) { first.append(output.fileHandleForReading.availableData) }
        try output.fileHandleForReading.close()
        input.fileHandleForWriting.write(Data((1...5).map { "where is my order A1023\($0)\n" }.joined().utf8))
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        let queue = try DatabaseQueue(path: store)
        let turns = try queue.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM turn") }
        #expect(turns == 6, "every line read is answered and stored")
    }

    @Test func purgeDeletesConversationsPastTheirRetention() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        let environment = ["CONCIERGE_STORE": store]
        _ = try ConciergeProcess.run(["chat", "--now", "2025-01-06T15:00:00Z"], input: "how long do refunds take?\n", environment: environment)
        // Within a day of the first chat's sweep: this one does not sweep.
        _ = try ConciergeProcess.run(["chat", "--now", "2025-01-07T10:00:00Z"], input: "do you ship to Canada?\n", environment: environment)
        let purged = try ConciergeProcess.run(["purge", "--now", "2026-01-07T00:00:00Z", "--json"], environment: environment)
        #expect(purged.status == 0, "\(purged.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(purged.stdout.utf8)) as? [String: Any])
        #expect(report["conversations"] as? Int == 1)
        let queue = try DatabaseQueue(path: store)
        let left = try queue.read { try String.fetchAll($0, sql: "SELECT customer FROM turn") }
        #expect(left == ["do you ship to Canada?"])
    }

    @Test func aChatSweepsWhatIsPastItsRetention() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        let environment = ["CONCIERGE_STORE": store]
        _ = try ConciergeProcess.run(["chat", "--now", "2025-01-06T15:00:00Z"], input: "how long do refunds take?\n", environment: environment)
        let chat = try ConciergeProcess.run(["chat", "--now", "2026-11-30T15:00:00Z"], input: "do you ship to Canada?\n", environment: environment)
        #expect(chat.status == 0, "\(chat.stderr)")
        #expect(chat.stderr.isEmpty, "\(chat.stderr)")
        let queue = try DatabaseQueue(path: store)
        let left = try queue.read { try String.fetchAll($0, sql: "SELECT customer FROM turn") }
        #expect(left == ["do you ship to Canada?"], "the conversation of almost two years ago is gone without a `purge`")
    }

    @Test func theStoreFolderAndFilesAreTheOwnersAlone() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        _ = try ConciergeProcess.run(["chat"], input: "hello\n", environment: ["CONCIERGE_STORE": store])
        let folder = URL(fileURLWithPath: store).deletingLastPathComponent().path
        let folderMode = try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int
        let fileMode = try FileManager.default.attributesOfItem(atPath: store)[.posixPermissions] as? Int
        #expect(folderMode == 0o700)
        #expect(fileMode == 0o600)
    }
}
