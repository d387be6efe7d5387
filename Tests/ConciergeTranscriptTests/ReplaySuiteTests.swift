import ConciergeTranscripts
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("Replaying a suite")
struct ReplaySuiteTests {
    /// The bundled transcripts/ suite: this is how it runs in CI, with `swift test`.
    @Test("the transcripts/ suite replays green")
    func bundledSuite() async throws {
        let files = try ReplaySuite.discover([Fixtures.transcripts.path]).filter { !ReplaySuite.isScored($0) }
        #expect(files.count >= 40)
        let outcome = await ReplaySuite().run(files)
        let failing = outcome.transcripts.filter { !$0.result.passed }
        #expect(failing.isEmpty, "\(ReplayReport.text(outcome, colors: false))")
        #expect(outcome.customerTurns >= 150)
    }

    @Test("a malformed transcript is reported with file and line and never stops the others")
    func malformedDoesNotStopOthers() async throws {
        let greeting = try await record("> hi\n")
        let root = try folder([
            "a/good.transcript": greeting,
            "b/bad.transcript": "> hi\n? action smalltalk\n? colour blue\n",
            "c/differs.transcript": greeting.replacingOccurrences(of: "? intent greeting", with: "? intent goodbye"),
            "d/no-knowledge.transcript": "@knowledge ../nowhere\n> hi\n",
            "e/good-too.transcript": greeting,
            "README.md": "not a transcript",
        ])
        let files = try ReplaySuite.discover([root.path])
        #expect(
            files.map(\.name)
                == ["a/good.transcript", "b/bad.transcript", "c/differs.transcript", "d/no-knowledge.transcript", "e/good-too.transcript"].map {
                    root.path + "/" + $0
                })
        let outcome = await ReplaySuite(defaultKnowledge: Fixtures.knowledge).run(files)
        let results = outcome.results
        #expect(results.map(\.passed) == [true, false, false, false, true])
        #expect(
            results[1].problems.map(\.description) == [
                "\(root.path)/b/bad.transcript:3: error: unknown check `colour`; use action, intent, asked, slot, handoff, queue, article, articles or masked"
            ])
        #expect(results[2].mismatches.map(\.difference) == [.answer])
        #expect(results[3].problems.first?.message.contains("nowhere") == true)
        let report = ReplayReport.text(outcome, colors: false)
        #expect(report.hasSuffix("\n2 passed, 3 failed\n"))
        #expect(report.contains("\(root.path)/b/bad.transcript:3: error: unknown check `colour`"))
        #expect(report.contains("\(root.path)/c/differs.transcript:"))
        #expect(!report.contains("\u{1B}["), "no colours when they are off")
        #expect(ReplayReport.text(outcome, colors: true).contains("\u{1B}[31m"))
    }

    @Test("a filter runs a subset; results keep the files' order however the work is scheduled")
    func filterAndOrder() async throws {
        let greeting = try await record("> hi\n")
        var files: [String: String] = [:]
        for index in 0..<24 {
            files["t\(index < 10 ? "0" : "")\(index).transcript"] = index.isMultiple(of: 5) ? greeting + "? intent thanks\n" : greeting
        }
        let root = try folder(files)
        let discovered = try ReplaySuite.discover([root.path])
        let all = await ReplaySuite(defaultKnowledge: Fixtures.knowledge).run(discovered)
        #expect(all.results.map(\.file) == discovered.map(\.name))
        #expect(all.results.map(\.passed) == (0..<24).map { !$0.isMultiple(of: 5) })
        let some = await ReplaySuite(defaultKnowledge: Fixtures.knowledge, filter: "T1").run(discovered)
        #expect(some.results.map(\.file) == (10...19).map { "\(root.path)/t\($0).transcript" })
    }

    @Test("a path that does not exist is unreadable input")
    func unreadablePath() {
        #expect(throws: ReplaySuite.UnreadablePath.self) { try ReplaySuite.discover(["/nonexistent/transcripts"]) }
    }

    @Test("JUnit XML is well formed, with a failure per differing transcript and an error per broken one")
    func junit() async throws {
        let greeting = try await record("> hi\n")
        let root = try folder([
            "good.transcript": greeting,
            "differs.transcript": greeting.replacingOccurrences(of: "\n< Hi", with: "\n< <Hello> & \"welcome\" \u{7} Hi"),
            "broken.transcript": "> hi\n? nonsense <here>\n",
        ])
        let outcome = await ReplaySuite(defaultKnowledge: Fixtures.knowledge).run(try ReplaySuite.discover([root.path]))
        let xml = ReplayReport.junit(outcome)
        let reader = JUnitReader()
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = reader
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")\n\(xml)")
        #expect(reader.elements["testsuites"] == 1)
        #expect(reader.elements["testcase"] == 3)
        #expect(reader.elements["failure"] == 1)
        #expect(reader.elements["error"] == 1)
        #expect(reader.attributes["testsuites"]?["tests"] == "3")
        #expect(reader.attributes["testsuites"]?["failures"] == "1")
        #expect(reader.attributes["testsuites"]?["errors"] == "1")
        #expect(reader.text.contains("<Hello> & \"welcome\""), "text is escaped and reads back the same")
    }

    @Test("coverage lists what no transcript exercises")
    func coverage() async throws {
        let root = try folder(["one.transcript": "> hi\n> where is my order A10234\n"])
        let outcome = await ReplaySuite(defaultKnowledge: Fixtures.knowledge).run(try ReplaySuite.discover([root.path]))
        let coverage = try #require(ReplayCoverage.compute(outcome).first)
        #expect(!coverage.intents.missing.contains("greeting"))
        #expect(!coverage.intents.missing.contains("order_status"))
        #expect(coverage.intents.missing.contains("reset_password"))
        #expect(coverage.slots.missing.contains("order_status.email") == false, "the identity check asked for the email")
        #expect(coverage.handoffReasons.missing.count == 6)
        #expect(coverage.intents.covered == 2)
        let text = ReplayReport.coverage([coverage], colors: false)
        #expect(text.contains("intents: 2 of \(coverage.intents.all.count); not exercised:"))
    }
}

/// Counts elements and collects attributes and text of a JUnit document.
private final class JUnitReader: NSObject, XMLParserDelegate {
    var elements: [String: Int] = [:]
    var attributes: [String: [String: String]] = [:]
    var text = ""

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:])
    {
        elements[name, default: 0] += 1
        if self.attributes[name] == nil { self.attributes[name] = attributes }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
}
