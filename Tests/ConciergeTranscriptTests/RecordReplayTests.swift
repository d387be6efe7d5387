import ConciergeEngine
import ConciergeTranscripts
import Foundation
import Testing

@Suite("Recording and replaying")
struct RecordReplayTests {
    /// A conversation that touches most of what a transcript can hold: a returning customer, a
    /// lookup, a handoff, an agent's reply and hand-back, a masked card number.
    static let script = """
        @customer C1001
        @now 2026-11-18T15:00:00Z
        @step 20s

        > hi
        > where is my order A10234
        > it arrived damaged
        > I want to talk to a person
        > hello?
        ! agent ana take
        ! agent ana reply Hi Maya, I can see order A10234. I'm sending a replacement.
        > thank you!
        ! agent ana handback Replacement is on its way
        > what is your return policy
        > my card is 4111 1111 1111 1111
        """

    @Test("record, then replay: green and byte for byte, 100 times in a row")
    func determinism() async throws {
        let recorded = try await record(Self.script, file: "determinism.transcript")
        #expect(recorded.contains("\n! agent ana take\n"))
        #expect(recorded.contains("\n<< ana: Hi Maya, I can see order A10234. I'm sending a replacement.\n"))
        #expect(recorded.contains("\n? handoff customer_request\n"))
        #expect(recorded.contains("\n? masked card number\n"))
        let cardLines = recorded.split(separator: "\n").filter { $0.contains("4111") }
        #expect(cardLines == ["> my card is 4111 1111 1111 1111"], "the number is only in the message written, never in what the bot said")
        for round in 1...100 {
            let run = try await replay(recorded, file: "determinism.transcript")
            #expect(run.result.passed, "round \(round): \(run.result.mismatches.map { "\($0.line): \($0.subject)" })")
            let again = try await record(Self.script, file: "determinism.transcript")
            #expect(again == recorded, "round \(round): the recording changed")
            if !run.result.passed || again != recorded { break }
        }
    }

    @Test("a recording replays green through the whole suite machinery, and --update leaves it alone")
    func recordingIsStable() async throws {
        let recorded = try await record(Self.script, file: "stable.transcript")
        let run = try await replay(recorded, file: "stable.transcript")
        let transcript = try parsed(recorded, file: "stable.transcript")
        let update = TranscriptUpdater.update(
            recorded, mismatches: run.result.mismatches, insertions: TranscriptUpdater.fills(transcript, observation: run.observation))
        #expect(!update.changed)
        #expect(update.text == recorded)
    }

    @Test("--update rewrites what changed and keeps comments and the author's looser checks")
    func update() async throws {
        let recorded = try await record("> hi\n\n> where is my order\n", file: "update.transcript")
        var lines = recorded.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let greeting = try #require(lines.firstIndex { $0.hasPrefix("< Hi") })
        lines[greeting] = "< Hello there, old greeting."
        let intent = try #require(lines.firstIndex(of: "? intent greeting"))
        lines[intent] = "? intent thanks"
        lines.insert("<~ no such words", at: intent + 1)
        lines.insert("# why this matters", at: greeting)
        let edited = lines.joined(separator: "\n")

        let run = try await replay(edited, file: "update.transcript")
        #expect(run.result.mismatches.map(\.subject) == ["reply", "intent", "reply (contains)"])
        #expect(run.result.mismatches.map(\.difference) == [.answer, .answer, .answer], "the reply differs along with the intent")
        let update = TranscriptUpdater.update(edited, mismatches: run.result.mismatches)
        #expect(update.rewritten.count == 2)
        #expect(update.kept.map(\.subject) == ["reply (contains)"])
        var expected = recorded.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        expected.insert("<~ no such words", at: intent + 1)
        expected.insert("# why this matters", at: greeting)
        #expect(update.text == expected.joined(separator: "\n"))

        let after = try await replay(update.text, file: "update.transcript")
        #expect(after.result.mismatches.map(\.subject) == ["reply (contains)"])
    }

    @Test("messages written with no expectations get them filled in, as the recorder writes them")
    func fill() async throws {
        let script = """
            @now 2026-11-18T15:00:00Z
            @step 0s

            > refund or return

            > the second one

            > I want a human

            ! agent ben take
            ! agent ben reply Hi, Ben here.
            ! agent ben handback
            """
        let recorded = try await record(script, file: "fill.transcript")
        let transcript = try parsed(script, file: "fill.transcript")
        let observation = await TranscriptRunner(engine: Fixtures.engine).observe(transcript)
        let update = TranscriptUpdater.update(
            script + "\n", mismatches: [], insertions: TranscriptUpdater.fills(transcript, observation: observation))
        #expect(update.text == recorded)
    }

    @Test(
        "the class of each difference",
        arguments: [
            // (a check to add to the greeting turn, the class expected)
            ("? intent thanks", DifferenceClass.answer), ("? action answer", .action), ("? handoff policy", .action),
            ("? asked order_id", .answer), ("? slot order_id = A10234", .answer), ("? articles return-policy", .answer), ("? queue billing", .action),
        ])
    func classes(check: String, expected: DifferenceClass) async throws {
        let run = try await replay("> hi\n\(check)\n")
        #expect(run.result.mismatches.count == 1)
        #expect(run.result.mismatches.first?.difference == expected)
    }

    @Test("a reply that differs only in its text is wording only")
    func wordingOnly() async throws {
        let recorded = try await record("> what is your return policy\n")
        let changed = recorded.replacingOccurrences(of: "\n< ", with: "\n< (old) ")
        let run = try await replay(changed)
        #expect(run.result.mismatches.map(\.difference) == [.wording])
    }

    @Test("looser checks: contains ignores case, patterns match anywhere")
    func looserChecks() async throws {
        let passing = try await replay(
            "> I want to talk to a person\n<~ PASSING YOU TO A PERSON\n</ number \\d+ in line/\n? handoff customer_request\n")
        #expect(passing.result.passed, "\(passing.result.mismatches)")
        let failing = try await replay("> I want to talk to a person\n<~ a robot\n</ ^number/\n")
        #expect(failing.result.mismatches.map(\.subject) == ["reply (contains)", "reply (pattern)"])
        #expect(failing.result.mismatches.allSatisfy { $0.replacement == nil }, "looser checks are never rewritten")
    }

    @Test("an agent step that cannot be done is a difference, and the rest still runs")
    func failingStep() async throws {
        let run = try await replay("> hi\n! agent ana reply Hello\n> thanks\n? action smalltalk\n")
        #expect(run.result.mismatches.map(\.subject) == ["agent step"])
        #expect(run.result.mismatches.first?.actual.contains("never handed off") == true)
        #expect(run.observation.items[2].turn?.action == .smalltalk)
    }

    @Test("the recorder leaves out a step that fails, as a comment")
    func recorderSkipsFailingSteps() async throws {
        let recorded = try await record("> hi\n! agent ana reply Hello\n> thanks\n")
        #expect(recorded.contains("# ! agent ana reply Hello   (left out: there is no handoff: the conversation was never handed off)"))
        #expect(try await replay(recorded).result.passed)
    }

    @Test("the clock: @step moves it before every message and agent step, ! wait on top")
    func clock() async throws {
        // Saturday 16:59 in Chicago: the team closes at 17:00, so the second request finds it closed.
        let script =
            "@now 2026-11-21T22:59:00Z\n@step 30s\n\n> I want a human\n! agent ana take\n! agent ana resolve Done\n! wait 10m\n> I want a human\n"
        let observation = await TranscriptRunner(engine: Fixtures.engine).observe(try parsed(script))
        #expect(observation.items[0].turn?.reply.contains("in line") == true)
        #expect(observation.items[4].turn?.reply.contains("offline") == true)
    }
}
