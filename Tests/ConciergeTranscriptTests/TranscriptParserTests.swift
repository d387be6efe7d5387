import ConciergeTranscripts
import Foundation
import Testing

@Suite("Reading transcripts")
struct TranscriptParserTests {
    @Test("every kind of line")
    func everyLineKind() throws {
        let transcript = try parsed(
            """
            # A returning customer, an agent, and back to the bot.
            @customer C1001
            @now 2026-11-22T20:00:00-06:00
            @step 20s
            @knowledge ../knowledge
            @config ../knowledge/settings.yaml
            @conversation T-every-line

            < Welcome back, Maya!

            > my order A10234 arrived damaged
            < We're sorry.
            <
            <   1. Send photos
            <~ photos
            </ order A\\d{5}/i
            ? action answer
            ? intent damaged_item
            ? asked none
            ? slot order_id = A10234
            ? handoff none
            ? queue none
            ? article damaged-item
            ? articles damaged-item, missing-item
            ? masked card number
              # an indented comment
            ! agent ana take
            ! agent ana take H-000007
            ! agent ana reply Hi Maya, I can see order A10234.
            << ana: Hi Maya, I can see order A10234.
            << Concierge: You're back.
            ! agent ana note Sent photos to the warehouse
            ! agent ana transfer billing
            ! agent ana release
            ! agent ana resolve Replacement sent
            ! agent ana handback
            ! agent ana handback Over to the bot
            ! wait 1h30m
            >
            """, file: "every.transcript")

        #expect(transcript.header.customer == "C1001")
        #expect(transcript.header.now == TranscriptParser.date("2026-11-23T02:00:00Z"))
        #expect(transcript.header.step == 20)
        #expect(transcript.header.knowledge == "../knowledge")
        #expect(transcript.header.config == "../knowledge/settings.yaml")
        #expect(transcript.conversationID == "T-every-line")
        #expect(transcript.welcome == [.init(line: 9, kind: .exact(["Welcome back, Maya!"]))])
        #expect(transcript.items.count == 12)

        guard case .customer(let turn) = transcript.items[0] else {
            Issue.record("the first item should be the customer's message")
            return
        }
        #expect(turn.line == 11)
        #expect(turn.message == "my order A10234 arrived damaged")
        #expect(turn.replies.count == 3)
        #expect(turn.replies[0] == .init(line: 12, endLine: 14, kind: .exact(["We're sorry.", "", "  1. Send photos"])))
        #expect(turn.replies[1] == .init(line: 15, kind: .contains("photos")))
        #expect(turn.replies[2] == .init(line: 16, kind: .pattern(try .init(source: "order A\\d{5}", flags: "i"))))
        #expect(
            turn.checks == [
                .init(line: 17, field: .action, value: "answer"), .init(line: 18, field: .intent, value: "damaged_item"),
                .init(line: 19, field: .asked, value: "none"), .init(line: 20, field: .slot("order_id"), value: "A10234"),
                .init(line: 21, field: .handoff, value: "none"), .init(line: 22, field: .queue, value: "none"),
                .init(line: 23, field: .article, value: "damaged-item"), .init(line: 24, field: .articles, value: "damaged-item missing-item"),
                .init(line: 25, field: .masked, value: "card number"),
            ])

        let steps = transcript.items[1...9].map { item -> Transcript.AgentStep? in
            if case .agent(let step) = item { return step }
            return nil
        }
        #expect(
            steps.map { $0?.operation } == [
                .take(nil), .take("H-000007"), .reply("Hi Maya, I can see order A10234."), .note("Sent photos to the warehouse"),
                .transfer("billing"), .release, .resolve("Replacement sent"), .handBack(""), .handBack("Over to the bot"),
            ])
        #expect(steps.allSatisfy { $0?.agent == "ana" })
        #expect(
            steps[2]?.messages == [
                .init(line: 30, author: "ana", text: "Hi Maya, I can see order A10234."), .init(line: 31, author: "Concierge", text: "You're back."),
            ])
        #expect(transcript.items[10] == .wait(.init(line: 38, duration: 5400)))
        #expect(transcript.items[11] == .customer(.init(line: 39, message: "")))
    }

    @Test("Windows line endings and a byte-order mark read the same")
    func lineEndings() throws {
        let unix = try parsed("@customer C1001\n\n> hi\n< Hello!\n? action smalltalk\n")
        let windows = try parsed("\u{FEFF}@customer C1001\r\n\r\n> hi\r\n< Hello!\r\n? action smalltalk\r\n")
        #expect(unix == windows)
    }

    @Test("the conversation id and the clock have defaults")
    func defaults() throws {
        let transcript = try parsed("> hi\n", file: "transcripts/returns/late-return.transcript")
        #expect(transcript.conversationID == "late-return")
        #expect(transcript.header.now == TranscriptParser.date("2026-11-18T15:00:00Z"))
        #expect(transcript.header.step == 0)
        #expect(transcript.header.customer == nil)
    }

    @Test("malformed lines are reported with file and line, all of them")
    func errors() {
        assertMalformed(
            """
            @customer C1001
            @now yesterday
            @step soon
            @colour blue
            @customer C1002
            hello there
            ? intent greeting
            > hi
            ? intnet greeting
            ? action dance
            ? handoff because
            ? slot order_id A10234
            </ unclosed
            </ (/
            </ x/q
            <~
            ! agent ana
            ! agent ana juggle
            ! agent ana reply
            ! wait forever
            ! jump
            << ana: not after an agent step
            ! agent ana take
            < a reply after an agent step
            << no author here
            @knowledge ../late
            """,
            [
                (2, "`yesterday` is not a date"), (3, "`soon` is not a duration"), (4, "unknown header `@colour`"),
                (5, "already set on line 1"), (6, "cannot read `hello there`"), (7, "before the first customer message"),
                (9, "unknown check `intnet`"), (10, "unknown action `dance`"), (11, "unknown handoff reason `because`"),
                (12, "`NAME = VALUE`"), (13, "must end with `/`"), (14, "not a valid regular expression"), (15, "unknown pattern flags `q`"),
                (16, "`<~` needs the text"), (17, "needs a name and what the agent does"), (18, "unknown agent step `juggle`"),
                (19, "`reply` needs a text"), (20, "`! wait` needs a duration"), (21, "unknown step `jump`"),
                (22, "`<<` must follow an agent step"), (24, "must follow a customer message"), (25, "needs `author: text`"),
                (26, "after the conversation started"),
            ])
    }

    @Test("an exact reply is one block of consecutive lines")
    func secondExactReply() {
        assertMalformed("> hi\n< Hello!\n? action smalltalk\n< Hello again!\n", [(4, "a second exact reply")])
        assertMalformed("> hi\n< Hello!\n\n< Hello again!\n", [(4, "a second exact reply")])
    }

    @Test("a file that cannot be read is a problem of the whole file")
    func unreadable() {
        #expect(throws: TranscriptParseError.self) {
            try TranscriptParser.parse(contentsOf: URL(fileURLWithPath: "/nonexistent/x.transcript"), name: "x.transcript")
        }
    }

    @Test(
        "dates and durations, both ways",
        arguments: [
            ("2026-11-18T15:00:00Z", 1_795_014_000.0), ("2026-11-18T09:00:00-06:00", 1_795_014_000), ("2026-11-18", 1_794_960_000),
            ("2026-11-18T15:00Z", 1_795_014_000), ("2000-02-29T00:00:00Z", 951_782_400),
        ])
    func dates(text: String, seconds: Double) {
        #expect(TranscriptParser.date(text) == Date(timeIntervalSince1970: seconds))
        #expect(TranscriptParser.date(TranscriptParser.format(Date(timeIntervalSince1970: seconds))) == Date(timeIntervalSince1970: seconds))
    }

    @Test("durations")
    func durations() {
        #expect(TranscriptParser.duration("20s") == 20)
        #expect(TranscriptParser.duration("1h30m") == 5400)
        #expect(TranscriptParser.duration("2d") == 172_800)
        #expect(TranscriptParser.duration("20") == nil)
        #expect(TranscriptParser.duration("m") == nil)
        #expect(TranscriptParser.format(duration: 5400) == "1h30m")
        #expect(TranscriptParser.format(duration: 0) == "0s")
        #expect(TranscriptParser.date("2026-13-01") == nil)
        #expect(TranscriptParser.date("2026-11-18T25:00:00Z") == nil)
    }
}
