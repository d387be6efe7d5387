import Foundation
import Testing

/// The chat as scripts and CI see it: piped standard input, `--jsonl` on standard output.
@Suite struct ChatEndToEndTests {
    func chat(_ lines: [String], _ extra: [String] = []) throws -> ConciergeProcess.Result {
        try ConciergeProcess.run(["chat", "--jsonl"] + extra, input: lines.joined(separator: "\n") + "\n")
    }

    @Test func oneJSONObjectPerMessageAndNothingElse() throws {
        let result = try chat(["hi", "where is my order", "do you ship to canada"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 3)
        let turns = result.turns
        #expect(turns.count == 3)
        #expect(turns.map { $0["turn"] as? Int } == [1, 2, 3])
        #expect(turns.map { $0["customer"] as? String } == ["hi", "where is my order", "do you ship to canada"])
        for turn in turns {
            for key in ["turn", "customer", "reply", "action", "intent", "articles", "asked", "slots", "handoff"] {
                #expect(turn.keys.contains(key), "field \(key)")
            }
            let action = try #require(turn["action"] as? String)
            #expect(["answer", "ask", "clarify", "handoff", "smalltalk", "fallback"].contains(action))
            #expect(!(turn["reply"] as? String ?? "").isEmpty)
        }
        #expect(turns[0]["action"] as? String == "smalltalk")
        #expect((turns[1]["intent"] as? [String: Any])?["name"] as? String == "order_status")
        let confidence = try #require((turns[1]["intent"] as? [String: Any])?["confidence"] as? Double)
        #expect(confidence > 0 && confidence <= 1)
    }

    @Test func plainOutputWithoutPromptOrBanner() throws {
        let result = try ConciergeProcess.run(["chat"], input: "do you ship to canada\n")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("you ›"))
        #expect(result.stdout.lowercased().contains("united states"))
        #expect(result.stdout.split(separator: "\n").count >= 1)
    }

    @Test func chatIsTheDefaultCommand() throws {
        let result = try ConciergeProcess.run(["--jsonl"], input: "hello\n")
        #expect(result.status == 0)
        #expect(result.turns.count == 1)
    }

    @Test func strangeInputNeverCrashes() throws {
        var bytes = Data("where is my order\n".utf8)
        bytes.append(contentsOf: [0xFF, 0xFE, 0x00, 0x41, 0x0A])  // invalid UTF-8 and a NUL
        bytes.append(Data("\n".utf8))  // an empty line
        bytes.append(Data("🙂🙂\n?!?!\n\u{1B}[31mred\u{1B}[0m\nשלום\n".utf8))
        bytes.append(Data(String(repeating: "x", count: 1_048_576).utf8))
        bytes.append(Data("\nthanks\n".utf8))
        let result = try ConciergeProcess.run(["chat", "--jsonl"], inputData: bytes)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let turns = result.turns
        #expect(turns.count == 9)
        #expect(turns.allSatisfy { !($0["reply"] as? String ?? "").isEmpty })
        // Two fallbacks in a row (the megabyte of x, then Hebrew) hand the customer to a person.
        #expect(turns.last?["action"] as? String == "handoff")
        #expect((turns.last?["handoff"] as? [String: Any])?["reason"] as? String == "repeated_failure")
    }

    @Test func sameInputSameOutputByteForByte() throws {
        let lines = ["hi", "wheres my pakage", "how much is express shipping", "refund", "2", "asdf qwer", "thanks"]
        let first = try chat(lines)
        let second = try chat(lines)
        #expect(first.stdout == second.stdout)
        #expect(!first.stdout.isEmpty)
    }

    @Test func brokenKnowledgeIsAClearErrorNotACrash() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-broken-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("intents"), withIntermediateDirectories: true)
        try "intents:\n  - name: x\n    examples: [a, b\n".write(to: folder.appendingPathComponent("intents/bad.yaml"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try ConciergeProcess.run(["chat", "--knowledge", folder.path], input: "hi\n")
        #expect(result.status == 2)
        #expect(result.stderr.contains("intents/bad.yaml:"))
        #expect(result.stdout.isEmpty)
    }
}
