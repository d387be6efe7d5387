import ConciergeEngine
import ConciergeKnowledge
import Foundation
import Testing

/// `concierge check`: every problem named by file and line, with a fix; nothing ever crashes.
@Suite struct KnowledgeCheckTests {
    /// A knowledge folder written from `files` (path → contents) in a fresh temporary directory.
    func load(_ files: [String: String]) throws -> KnowledgeLoader.Result {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-kb-\(UUID().uuidString)")
        for (path, text) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        defer { try? FileManager.default.removeItem(at: root) }
        return KnowledgeLoader.load(directory: root)
    }

    static func examples(_ stem: String, count: Int = 10) -> String {
        (1...count).map { "      - \(stem) number \($0)" }.joined(separator: "\n")
    }

    static let article = """
        ---
        id: track-your-order
        title: How do I track my order?
        questions:
          - where is my package
        ---
        Follow the link in your shipping email.
        """

    func problems(_ result: KnowledgeLoader.Result, containing text: String) -> [KnowledgeProblem] {
        result.problems.filter { $0.description.contains(text) }
    }

    @Test func theBundledKnowledgeBaseIsClean() throws {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        let result = KnowledgeLoader.load(directory: root.appendingPathComponent("knowledge"))
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.knowledge.intents.count >= 40)
        #expect(result.knowledge.articles.count >= 60)
        #expect(result.knowledge.intents.filter { $0.kind == .task }.allSatisfy { $0.examples.count >= 12 })
        #expect(Set(result.knowledge.entities.map(\.name)).isSuperset(of: ["order_number", "email", "phone", "date", "money", "product"]))
        #expect(result.knowledge.table(named: "orders") != nil && result.knowledge.table(named: "customers") != nil)
    }

    @Test func aYAMLSyntaxErrorNamesTheLine() throws {
        let result = try load(["intents/orders.yaml": "intents:\n  - name: order_status\n    examples: [a, b\n    answer: x\n"])
        let problem = try #require(result.problems.first { $0.message.contains("YAML syntax") })
        #expect(problem.location.file == "intents/orders.yaml")
        #expect(problem.location.line >= 3)
        #expect(problem.severity == .error)
    }

    @Test func duplicateIdsAreReported() throws {
        let intent = "  - name: order_status\n    examples:\n\(Self.examples("where is my order"))\n    answer: track-your-order\n"
        let result = try load([
            "intents/a.yaml": "intents:\n" + intent, "intents/b.yaml": "intents:\n" + intent.replacingOccurrences(of: "where is my", with: "track"),
            "articles/one.md": Self.article, "articles/two.md": Self.article,
        ])
        #expect(!problems(result, containing: "intent `order_status` is defined twice").isEmpty)
        let duplicate = try #require(problems(result, containing: "article id `track-your-order` is used twice").first)
        #expect(duplicate.description.hasPrefix("articles/two.md:2: error:"))
    }

    @Test func aMissingArticleIsReportedWithASuggestion() throws {
        let result = try load([
            "intents/a.yaml": "intents:\n  - name: order_status\n    examples:\n\(Self.examples("where is my order"))\n    answer: track-your-ordr\n",
            "articles/one.md": Self.article,
        ])
        let problem = try #require(problems(result, containing: "does not exist").first)
        #expect(problem.description == "intents/a.yaml:2: error: intent `order_status` answers with article `track-your-ordr`, which does not exist; did you mean `track-your-order`?")
    }

    @Test func tooFewExamples() throws {
        let result = try load(["intents/a.yaml": "intents:\n  - name: thin\n    examples: [one, two, three]\n    response: hi\n"])
        let problem = try #require(problems(result, containing: "has 3 examples; 10 or more match more reliably").first)
        #expect(problem.severity == .warning, "few examples are normal: a warning, and the intent still loads")
    }

    @Test func anInvalidRegularExpressionNamesItsLine() throws {
        let result = try load([
            "entities.yaml": "entities:\n  - name: order_number\n    patterns:\n      - '\\bA\\d{5'\n",
            "articles/one.md": Self.article,
        ])
        let problem = try #require(problems(result, containing: "invalid regular expression").first)
        #expect(problem.location.file == "entities.yaml")
        #expect(problem.location.line == 4)
    }

    @Test func aTemplateUsingASlotNothingFills() throws {
        let result = try load([
            "intents/a.yaml": "intents:\n  - name: status\n    examples:\n\(Self.examples("status"))\n    response: Order {order_id} is on its way\n"
        ])
        #expect(!problems(result, containing: "uses `{order_id}`, but no slot of the intent fills it").isEmpty)
    }

    @Test func theSameExampleUnderTwoIntents() throws {
        let result = try load([
            "intents/a.yaml": "intents:\n  - name: one\n    examples:\n\(Self.examples("hello"))\n      - Where's my order?\n    response: a\n",
            "intents/b.yaml": "intents:\n  - name: two\n    examples:\n\(Self.examples("bye"))\n      - wheres my ORDER\n    response: b\n",
        ])
        let problem = try #require(problems(result, containing: "is under both").first)
        #expect(problem.location.file == "intents/b.yaml")
        #expect(problem.location.line == 14)
    }

    @Test func unknownKeysGetADidYouMean() throws {
        let result = try load(["intents/a.yaml": "intents:\n  - name: one\n    exmaples:\n      - hi\n    response: a\n"])
        #expect(!problems(result, containing: "unknown key `exmaples`").filter { $0.fix == "did you mean `examples`?" }.isEmpty)
    }

    @Test func badPatternsSlotsAndReferences() throws {
        let result = try load([
            "intents/a.yaml": """
                intents:
                  - name: one
                    examples:
                \(Self.examples("where is"))
                    patterns: ["where (is|", "track {ordr}"]
                    slots:
                      - name: order_id
                        entity: order_numbr
                        prompt: Which order?
                    action: lookup_nothing
                    response: ok
                """
        ])
        #expect(!problems(result, containing: "pattern `where (is|`").isEmpty)
        #expect(!problems(result, containing: "uses entity `{ordr}`").isEmpty)
        #expect(!problems(result, containing: "entity `order_numbr`, which does not exist").isEmpty)
        #expect(!problems(result, containing: "action `lookup_nothing`, which does not exist").isEmpty)
    }

    @Test func articlesWithoutFrontMatterAndCSVRowsWithTooFewFields() throws {
        let result = try load(["articles/bad.md": "# Just a heading\nNo front matter.", "data/orders.csv": "order_id,status\nA1,shipped\nA2\n"])
        #expect(!problems(result, containing: "articles/bad.md:1: error: the article has no front matter").isEmpty)
        #expect(!problems(result, containing: "data/orders.csv:3: error: the row has 1 fields but the header has 2").isEmpty)
    }

    @Test func garbageNeverCrashes() throws {
        let result = try load([
            "intents/a.yaml": "\u{0}\u{1}\u{2}: [[[", "intents/b.yaml": "- just\n- a list\n", "intents/c.yaml": "intents: 42\n",
            "entities.yaml": "entities:\n  - 7\n", "synonyms.yaml": "synonyms: [a, b]\n", "articles/x.md": "---\n---\n",
            "settings.yaml": "understanding:\n  answer_threshold: high\n",
        ])
        #expect(result.problems.hasErrors)
        #expect(result.problems.allSatisfy { !$0.location.file.isEmpty })
        #expect(!problems(result, containing: "`answer_threshold` in `understanding` must be a number").isEmpty)
    }

    @Test func everyCannedReplyIsASettingsText() throws {
        let result = try load([
            "settings.yaml": "texts:\n  handoff_customer_request: Bien sûr, je vous passe un conseiller.\n  noted: \"C'est noté : {values}.\"\n",
        ])
        let texts = result.knowledge.settings.texts
        #expect(texts.handoffCustomerRequest == "Bien sûr, je vous passe un conseiller.")
        #expect(texts.noted == "C'est noté : {values}.")
        #expect(texts.handedBack == Settings.Texts().handedBack, "a key left out keeps its default")
    }

    @Test func aMissingFolderIsAClearError() {
        let result = KnowledgeLoader.load(directory: URL(fileURLWithPath: "/nonexistent/knowledge"))
        #expect(result.problems.first?.description.contains("the knowledge folder does not exist") ?? false)
    }
}

@Suite struct CSVTableTests {
    @Test func quotesCommasAndNewlines() throws {
        let rows = try CSVTable.parse("text,label\n\"Hi, there\",greeting\n\"She said \"\"hi\"\"\nthen left\",story\r\nplain,x")
        #expect(rows == [["text", "label"], ["Hi, there", "greeting"], ["She said \"hi\"\nthen left", "story"], ["plain", "x"]])
    }

    @Test func errorsNameTheLine() {
        #expect(throws: CSVTable.SyntaxError.self) { try CSVTable.parse("a,b\n\"open,c\n") }
        do {
            _ = try CSVTable.parse("a,b\nx\"y,z\n")
        } catch {
            #expect(error.line == 2)
        }
    }
}

@Suite struct SettingsTests {
    @Test func theBundledSettingsAreRead() throws {
        var root = URL(fileURLWithPath: #filePath)
        while !FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path) { root.deleteLastPathComponent() }
        let settings = KnowledgeLoader.load(directory: root.appendingPathComponent("knowledge")).knowledge.settings
        #expect(settings.assistantName == "Concierge")
        #expect(settings.answerThreshold == 0.55)
        #expect(settings.handoff.hours[1] == nil, "closed on Sundays")
        #expect(settings.handoff.hours[7] == 540..<1020, "Saturday 09:00-17:00")
        #expect(settings.queues["privacy"]?.firstResponseMinutes == 60)
        #expect(settings.retentionDays["order"] == 90)
        #expect(settings.handoff.triggers.count == HandoffReason.allCases.count)
    }

    @Test func aConfigFileReplacesTheDefaultsAndItsMistakesAreReported() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("articles"), withIntermediateDirectories: true)
        try "---\nid: a\ntitle: A\n---\nBody.".write(to: folder.appendingPathComponent("articles/a.md"), atomically: true, encoding: .utf8)
        let config = folder.appendingPathComponent("other.yaml")
        try """
            understanding:
              answer_threshold: 0.7
            handoff:
              triggers: [customer_request, freakout]
              hours:
                monday: 9-5
            """.write(to: config, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = KnowledgeLoader.load(directory: folder, settingsFile: config)
        #expect(result.knowledge.settings.answerThreshold == 0.7)
        #expect(result.knowledge.settings.handoff.triggers == [.customerRequest])
        #expect(result.problems.contains { $0.message == "unknown trigger `freakout`" && $0.location.line == 4 })
        #expect(result.problems.contains { $0.message.contains("`monday` hours must look like 08:00-20:00") })
    }
}

/// Knowledge that would make matching or start-up take seconds is caught by `check`.
@Suite struct UnboundedWorkCheckTests {
    @Test(arguments: ["(x+x+)+y", "(a*)*", "(?:\\d+\\s?)+$", "([a-z]+)*@", "(?:[a-z]+\\.?)+!"])
    func aRepeatedRepeatedGroupIsRefused(pattern: String) throws {
        let result = try KnowledgeCheckTests().load([
            "entities.yaml": "entities:\n  - name: code\n    patterns:\n      - '\(pattern)'\n",
            "intents/a.yaml": "intents:\n  - name: thing\n    examples:\n\(KnowledgeCheckTests.examples("a thing"))\n    response: ok\n",
        ])
        let problem = try #require(result.problems.first { $0.message.contains("repeats a repeated group") }, "\(result.problems)")
        #expect(problem.severity == .error)
        #expect(problem.location.file == "entities.yaml")
    }

    @Test(arguments: ["A\\d{5}", "(ab)+", "(ab+){2,}", "\\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}\\b", "a+b+", "(a|b){1,3}", "[\\w.+-]+@[\\w-]+\\.[\\w.]+", "(?:\\+?1[ -]?)?\\(?\\d{3}\\)?[ -]?\\d{3}[ -]?\\d{4}"])
    func ordinaryPatternsPass(pattern: String) throws {
        let result = try KnowledgeCheckTests().load([
            "entities.yaml": "entities:\n  - name: code\n    patterns:\n      - '\(pattern)'\n",
            "intents/a.yaml": "intents:\n  - name: thing\n    examples:\n\(KnowledgeCheckTests.examples("a thing"))\n    response: ok\n",
        ])
        #expect(!result.problems.contains { $0.message.contains("repeats a repeated group") }, "\(pattern): \(result.problems)")
    }

    @Test func aHugeArticleIsAWarning() throws {
        let body = String(repeating: "Lorem ipsum dolor sit amet. ", count: 8_000)
        let result = try KnowledgeCheckTests().load([
            "articles/huge.md": "---\nid: huge\ntitle: Everything\n---\n" + body,
            "intents/a.yaml": "intents:\n  - name: thing\n    examples:\n\(KnowledgeCheckTests.examples("a thing"))\n    answer: huge\n",
        ])
        let problem = try #require(result.problems.first { $0.message.contains("article `huge` is 223 KB") }, "\(result.problems)")
        #expect(problem.severity == .warning)
    }
}

/// `check` names what is missing or broken, where it is.
@Suite struct MissingAndBrokenFilesTests {
    @Test func missingSettingsAndEntitiesAreNamed() throws {
        let result = try KnowledgeCheckTests().load([
            "intents/a.yaml": "intents:\n  - name: thing\n    examples:\n\(KnowledgeCheckTests.examples("a thing"))\n    response: ok\n"
        ])
        #expect(result.problems.contains { $0.location.file == "settings.yaml" && $0.message.contains("no settings.yaml") })
        #expect(result.problems.contains { $0.location.file == "entities.yaml" && $0.message.contains("no entities.yaml") })
        #expect(result.problems.contains { $0.message.contains("no intent hands off at the customer's request") })
    }

    @Test func invalidUTF8IsReportedWithItsLine() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-kb-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("intents"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: root) }
        var bytes = Array("intents:\n  - name: thing\n    examples:\n".utf8)
        bytes += Array("      - caf".utf8) + [0xE9] + Array("\n".utf8)  // Latin-1 é on line 4
        try Data(bytes).write(to: root.appendingPathComponent("intents/a.yaml"))
        let result = KnowledgeLoader.load(directory: root)
        let problem = try #require(result.problems.first { $0.message.contains("not valid UTF-8") })
        #expect(problem.location.file == "intents/a.yaml")
        #expect(problem.location.line == 4)
    }

    @Test func aKeyInTwoRowsOfALookupTableIsAnError() throws {
        let result = try KnowledgeCheckTests().load([
            "intents/a.yaml":
                "intents:\n  - name: order_status\n    examples:\n\(KnowledgeCheckTests.examples("where is my order"))\n    slots:\n      - name: order_id\n        entity: order_number\n        prompt: Which order?\n    action: lookup_order\n",
            "entities.yaml": "entities:\n  - name: order_number\n    patterns: ['\\bA\\d{5}\\b']\n",
            "actions.yaml":
                "actions:\n  - name: lookup_order\n    table: orders\n    key: {slot: order_id, column: order_id}\n    by: status\n    replies:\n      default: Order {order_id} is {status}.\n    not_found: No order {order_id}.\n    verify_failed: No.\n",
            "data/orders.csv": "order_id,status\nA10001,shipped\nA10002,processing\nA10001,delivered\n",
        ])
        let problem = try #require(result.problems.first { $0.message.contains("A10001 is in two rows") }, "\(result.problems)")
        #expect(problem.location.file == "data/orders.csv")
        #expect(problem.location.line == 4)
        #expect(problem.severity == .error)
    }
}
