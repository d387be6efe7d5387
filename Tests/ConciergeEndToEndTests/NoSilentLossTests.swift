import Foundation
import Testing

/// Nothing a customer said, and no handoff they were told about, is lost without a word: unstorable
/// characters are normalised at the edge, a store that disappears is reported, a huge line is cut
/// and said so, and files are written only where and as asked.
@Suite(.serialized) struct NoSilentLossTests {
    static func packet(_ id: String, store: String) throws -> [String: Any] {
        let shown = try ConciergeProcess.run(["queue", "show", id, "--json"], environment: ["CONCIERGE_STORE": store])
        return try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "queue show: \(shown.stderr)")
    }

    static func nulMessagesAreStoredWhole(store: String) throws {
        let chat = try ConciergeProcess.run(
            ["chat", "--jsonl", "--store", store], input: "my order A10234\u{0} hasn't come\nI want a person\u{0}please\nhello\u{0}again\n")
        #expect(chat.status == 0, "\(chat.stderr)")
        let turns = chat.turns
        #expect(turns.count == 3)
        let handoff = try #require((turns[1]["handoff"] as? [String: Any])?["id"] as? String)
        let shown = try ConciergeProcess.run(["queue", "show", handoff, "--json", "--store", store])
        let packet = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any], "queue show: \(shown.stderr)")
        let customer = (packet["transcript"] as? [[String: Any]])?.compactMap { $0["customer"] as? String }
        #expect(customer == ["my order A10234\u{FFFD} hasn't come", "I want a person\u{FFFD}please"], "the whole text, NUL shown as U+FFFD")
        let messages = (packet["messages"] as? [[String: Any]])?.compactMap { $0["text"] as? String }
        #expect(messages == ["hello\u{FFFD}again"])
        #expect((packet["slots"] as? [String: String])?["order_id"] == "A10234")
    }

    @Test func aNulByteIsStoredAsAVisibleReplacementOnSQLite() throws {
        try Self.nulMessagesAreStoredWhole(store: HandoffEndToEndTests.temporaryStore())
    }

    @Test(.enabled(if: TestPostgres.isAvailable))
    func aNulByteIsStoredAsAVisibleReplacementOnPostgreSQL() throws {
        try Self.nulMessagesAreStoredWhole(store: ScaleOutTests.url)
    }

    @Test func aStoreDeletedUnderARunningChatIsNeverReportedAsAPlaceInLine() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        let folder = URL(fileURLWithPath: store).deletingLastPathComponent()
        let process = Process()
        process.executableURL = ConciergeProcess.binary
        process.arguments = ["chat", "--store", store]
        process.currentDirectoryURL = ConciergeProcess.packageRoot
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(Data("my order A10234 hasn't arrived\n".utf8))
        // Wait until the first turn is stored, then remove the store's folder.
        let deadline = Date().addingTimeInterval(30)
        while FileManager.default.fileExists(atPath: store) == false && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        Thread.sleep(forTimeInterval: 1)
        try FileManager.default.removeItem(at: folder)
        input.fileHandleForWriting.write(Data("I want to talk to a person\n".utf8))
        try input.fileHandleForWriting.close()
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let reported = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(!printed.contains("in line;"), "never told they are in line: \(printed)")
        #expect(printed.contains("can't reach our team's queue"), "told honestly: \(printed)")
        #expect(process.terminationStatus == 3)
        #expect(reported.contains("could not save") && reported.contains("the handoff"), "\(reported)")
    }

    @Test func aHugeLineIsCutToTheLimitAndTheCustomerIsTold() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        let huge = String(repeating: "where is my order ", count: 300_000)  // 5.4 MB on one line
        let chat = try ConciergeProcess.run(["chat", "--jsonl"], input: huge + "\nthanks\n", environment: ["CONCIERGE_STORE": store])
        #expect(chat.status == 0)
        let turns = chat.turns
        #expect(turns.count == 2)
        #expect((turns.first?["reply"] as? String)?.hasPrefix("(Your message was very long, so I read only its first 4000 characters.)") == true)
        #expect((turns.first?["customer"] as? String)?.count == 4000)
        #expect(turns.last?["action"] as? String == "smalltalk")
    }

    @Test func anExportNeverReplacesAFileADeviceOrALinkUnlessForced() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        let environment = ["CONCIERGE_STORE": store]
        _ = try ConciergeProcess.run(["chat"], input: "I want a person\n", environment: environment)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let existing = folder.appendingPathComponent("kept.transcript")
        try Data("keep me\n".utf8).write(to: existing)
        let link = folder.appendingPathComponent("link.transcript")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: existing)

        for (target, force) in [(existing.path, false), (link.path, true), ("/dev/null", true), (folder.path + "/missing/x.transcript", false)] {
            let result = try ConciergeProcess.run(
                ["transcript", "export", "H-000001", "-o", target] + (force ? ["--force"] : []), environment: environment)
            #expect(result.status == 2, "\(target) refused")
            #expect(result.stderr.contains(target.hasSuffix("x.transcript") ? "does not exist" : target), "\(result.stderr)")
        }
        #expect(try String(contentsOf: existing, encoding: .utf8) == "keep me\n")
        #expect(SafeFileKind.isLink(link.path))
        #expect(!FileManager.default.fileExists(atPath: folder.path + "/missing"))

        let forced = try ConciergeProcess.run(["transcript", "export", "H-000001", "-o", existing.path, "--force"], environment: environment)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: existing, encoding: .utf8).contains("> I want a person"))
        let attributes = try FileManager.default.attributesOfItem(atPath: existing.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "readable by its owner only")
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func aFailedSaveInTheChatIsOneLineAndTheChatGoesOn() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("keep me\n".utf8).write(to: folder.appendingPathComponent("mine.transcript"))
        let knowledge = ConciergeProcess.packageRoot.appendingPathComponent("knowledge").path
        let command = "\(ConciergeProcess.binary.path) chat --knowledge \(knowledge) --store \(folder.path)/s.sqlite"
        let lines = ["hello", "/save ../escape.transcript", "/save /dev/null", "/save mine.transcript", "no", "/save mine.transcript", "yes", "thanks", "/quit"]
        // A terminal (a pseudo-terminal from util-linux's script), so the chat is the REPL with its commands.
        let result = try ConciergeProcess.run(
            ["-qec", command, "/dev/null"], input: lines.joined(separator: "\n") + "\n", directory: folder, executable: URL(fileURLWithPath: "/usr/bin/script"))
        #expect(result.status == 0, "\(result.stdout)")
        #expect(result.stdout.contains("../escape.transcript is outside the current folder"))
        #expect(result.stdout.contains("/dev/null is outside the current folder"))
        #expect(result.stdout.contains("mine.transcript already exists. Replace it?"))
        #expect(result.stdout.contains("Not saved; mine.transcript is unchanged."))
        #expect(result.stdout.contains("Saved 1 message to mine.transcript"))
        #expect(result.stdout.contains("You're welcome"), "the chat went on")
        #expect(!FileManager.default.fileExists(atPath: folder.deletingLastPathComponent().appendingPathComponent("escape.transcript").path))
        #expect(try String(contentsOf: folder.appendingPathComponent("mine.transcript"), encoding: .utf8).contains("> hello"))
    }
}

enum SafeFileKind {
    static func isLink(_ path: String) -> Bool {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil
    }
}
