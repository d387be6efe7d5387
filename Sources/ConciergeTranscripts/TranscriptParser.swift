public import Foundation

/// Reads the transcript format. Never stops at the first mistake: every malformed line is reported
/// with its file and line, like a compiler, and the transcript runs only when there are none.
///
/// ```swift
/// do {
///     let transcript = try TranscriptParser.parse(text, file: "transcripts/returns.transcript")
/// } catch {
///     for problem in error.problems { print(problem) }   // transcripts/returns.transcript:7: error: ...
/// }
/// ```
public enum TranscriptParser {
    /// Parses a transcript; `file` names it in messages and gives the conversation its default id.
    public static func parse(_ text: String, file: String) throws(TranscriptParseError) -> Transcript {
        var reader = Reader(file: file)
        for (index, line) in lines(of: text).enumerated() {
            var line = line[...]
            if index == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            reader.read(line, number: index + 1)
        }
        if !reader.problems.isEmpty { throw TranscriptParseError(problems: reader.problems) }
        return reader.transcript
    }

    /// The lines of `text`, split at line feeds (a carriage return before one is dropped; the empty
    /// piece after a final line feed is not a line). Splits on scalars: "\r\n" is one `Character`.
    static func lines(of text: String) -> [String] {
        var lines: [String] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = start
        func add(_ end: String.UTF8View.Index) {
            var piece = bytes[start..<end]
            if piece.last == 0x0D { piece = piece.dropLast() }
            lines.append(String(decoding: piece, as: UTF8.self))
        }
        while index != bytes.endIndex {
            if bytes[index] == 0x0A {
                add(index)
                start = bytes.index(after: index)
            }
            index = bytes.index(after: index)
        }
        if start != bytes.endIndex { add(bytes.endIndex) }
        return lines
    }

    /// The file's text when it is valid UTF-8 (a native string: fast to read line by line).
    static func text(of data: Data) -> String? {
        String(validating: data, as: UTF8.self)
    }

    /// Reads and parses the file at `url`; `name` is how messages call it (its path by default).
    public static func parse(contentsOf url: URL, name: String? = nil) throws -> Transcript {
        let name = name ?? url.path
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw TranscriptParseError(problems: [
                TranscriptProblem(file: name, line: 0, message: "the file cannot be read", fix: "check that it exists and is readable")
            ])
        }
        guard let text = text(of: data) else {
            throw TranscriptParseError(problems: [
                TranscriptProblem(file: name, line: 0, message: "the file is not valid UTF-8", fix: "save it as UTF-8")
            ])
        }
        return try parse(text, file: name)
    }

    // MARK: - Values

    /// Reads `2026-11-18T15:00:00Z`, `2026-11-18T09:00-06:00` or `2026-11-18` (midnight UTC).
    public static func date(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count else { return nil }
            var value = 0
            for i in range {
                guard bytes[i] >= 0x30, bytes[i] <= 0x39 else { return nil }
                value = value * 10 + Int(bytes[i] - 0x30)
            }
            return value
        }
        guard bytes.count >= 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var offset = 0
        var i = 10
        if bytes.count > 10 {
            guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "), let h = number(11..<13), bytes.count >= 16,
                bytes[13] == UInt8(ascii: ":"), let m = number(14..<16), h < 24, m < 60
            else { return nil }
            hour = h
            minute = m
            i = 16
            if bytes.count >= 19, bytes[16] == UInt8(ascii: ":") {
                guard let s = number(17..<19), s < 61 else { return nil }
                second = s
                i = 19
            }
            if i < bytes.count {
                if bytes[i] == UInt8(ascii: "Z") {
                    i += 1
                } else if bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
                    let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = number(i + 1..<i + 3) else { return nil }
                    var om = 0
                    var next = i + 3
                    if next < bytes.count, bytes[next] == UInt8(ascii: ":") { next += 1 }
                    if next < bytes.count {
                        guard let value = number(next..<next + 2) else { return nil }
                        om = value
                        next += 2
                    }
                    offset = sign * (oh * 3600 + om * 60)
                    i = next
                } else {
                    return nil
                }
            }
            guard i == bytes.count else { return nil }
        }
        // Days from the civil date (Howard Hinnant's algorithm): no calendar object, no locale.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Writes `date` as `2026-11-18T15:00:00Z` (whole seconds, UTC).
    public static func format(_ date: Date) -> String {
        let total = Int(date.timeIntervalSince1970.rounded(.down))
        var days = total / 86_400
        var rest = total % 86_400
        if rest < 0 {
            rest += 86_400
            days -= 1
        }
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let yearText = String(year)
        return String(repeating: "0", count: max(0, 4 - yearText.count)) + yearText + "-\(two(month))-\(two(day))T"
            + "\(two(rest / 3600)):\(two(rest % 3600 / 60)):\(two(rest % 60))Z"
    }

    /// Reads `20s`, `5m`, `2h`, `1d` or combinations such as `1h30m`; nil for anything else.
    public static func duration(_ text: String) -> TimeInterval? {
        var total = 0.0
        var digits = ""
        var sawUnit = false
        for character in text {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Double(digits) else { return nil }
            let unit: Double
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86_400
            default: return nil
            }
            total += value * unit
            digits = ""
            sawUnit = true
        }
        guard digits.isEmpty, sawUnit else { return nil }
        return total
    }

    /// Writes a duration the way `duration(_:)` reads it: `0s`, `20s`, `5m`, `1h30m`.
    public static func format(duration: TimeInterval) -> String {
        var rest = Int(duration.rounded())
        if rest <= 0 { return "0s" }
        var text = ""
        for (unit, size) in [("d", 86_400), ("h", 3600), ("m", 60), ("s", 1)] where rest >= size {
            text += "\(rest / size)\(unit)"
            rest %= size
        }
        return text
    }
}

/// A malformed line of a transcript.
public struct TranscriptProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file, as given.
    public var file: String
    /// 1-based; 0 when the problem is with the whole file.
    public var line: Int
    /// What is wrong.
    public var message: String
    /// How to fix it.
    public var fix: String?

    /// Makes a problem.
    public init(file: String, line: Int, message: String, fix: String? = nil) {
        self.file = file
        self.line = line
        self.message = message
        self.fix = fix
    }

    /// `file:line: error: message; fix`, as compilers print it.
    public var description: String {
        (line > 0 ? "\(file):\(line)" : file) + ": error: " + message + (fix.map { "; " + $0 } ?? "")
    }
}

/// A transcript that cannot be read, with every problem found.
public struct TranscriptParseError: Error, Sendable, Hashable, LocalizedError, CustomStringConvertible {
    /// Each malformed line, in file order.
    public var problems: [TranscriptProblem]

    /// Makes the error.
    public init(problems: [TranscriptProblem]) { self.problems = problems }

    public var description: String { problems.map(\.description).joined(separator: "\n") }
    public var errorDescription: String? { description }
}

// MARK: - The line reader

/// The state of a parse: what has been read, and where checks attach.
private struct Reader {
    let file: String
    var transcript: Transcript
    var problems: [TranscriptProblem] = []
    /// True once the first item is read: header lines are an error after it.
    var inBody = false
    /// The last line of the exact reply block being read (a `<` right after it continues it).
    var lastExactLine: Int?
    var seenHeader: [String: Int] = [:]

    init(file: String) {
        self.file = file
        transcript = Transcript(file: file)
    }

    mutating func problem(_ line: Int, _ message: String, fix: String? = nil) {
        problems.append(TranscriptProblem(file: file, line: line, message: message, fix: fix))
    }

    mutating func read(_ raw: Substring, number: Int) {
        let line = Substring(raw.drop { $0 == " " || $0 == "\t" })
        if line.isEmpty || line.hasPrefix("#") { return }
        if line.hasPrefix("<<") {
            agentMessage(line.dropFirst(2), number: number)
        } else if line.hasPrefix("<~") {
            let text = String(line.dropFirst(2)).trimmedSpaces()
            if text.isEmpty {
                problem(number, "`<~` needs the text the reply must contain", fix: "write it after the marker, like `<~ passing you to a person`")
                return
            }
            addReply(Transcript.ReplyCheck(line: number, kind: .contains(text)), number: number)
        } else if line.hasPrefix("</") {
            pattern(line.dropFirst(2), number: number)
        } else if line.hasPrefix("<") {
            exactLine(Self.afterMarker(line), number: number)
        } else if line.hasPrefix(">") {
            inBody = true
            lastExactLine = nil
            transcript.items.append(.customer(Transcript.CustomerTurn(line: number, message: Self.afterMarker(line))))
        } else if line.hasPrefix("?") {
            check(String(line.dropFirst()).trimmedSpaces(), number: number)
        } else if line.hasPrefix("!") {
            step(String(line.dropFirst()).trimmedSpaces(), number: number)
        } else if line.hasPrefix("@") {
            header(String(line.dropFirst()).trimmedSpaces(), number: number)
        } else {
            let shown = line.count > 40 ? String(line.prefix(37)) + "..." : String(line)
            problem(
                number, "cannot read `\(shown)`",
                fix:
                    "start the line with > (customer), < <~ </ (reply), ? (check), ! (agent step), << (message from the agent), @ (header) or # (comment)"
            )
        }
    }

    /// The text after a one-character marker and one optional space.
    static func afterMarker(_ line: Substring) -> String {
        var rest = line.dropFirst()
        if rest.first == " " { rest = rest.dropFirst() }
        return String(rest)
    }

    // MARK: Replies

    mutating func exactLine(_ text: String, number: Int) {
        if lastExactLine == number - 1 {
            lastExactLine = number
            mutateLastReplies { replies in
                guard let index = replies.lastIndex(where: \.isExact), case .exact(var lines) = replies[index].kind else { return }
                lines.append(text)
                replies[index].kind = .exact(lines)
                replies[index].endLine = number
            }
            return
        }
        if currentReplies().contains(where: \.isExact) {
            problem(
                number, "a second exact reply for the same message",
                fix: "write a multi-line reply as consecutive `<` lines with nothing between them, or use `<~` for more checks")
            return
        }
        lastExactLine = number
        addReply(Transcript.ReplyCheck(line: number, kind: .exact([text])), number: number)
    }

    mutating func pattern(_ rest: Substring, number: Int) {
        var body = String(rest)
        if body.hasPrefix(" ") { body.removeFirst() }
        body = body.trimmedSpaces()
        guard let slash = body.lastIndex(of: "/") else {
            problem(number, "a pattern must end with `/` (and optional flags)", fix: "write it like `</ number \\d+ in line/` or `</ refund/i`")
            return
        }
        let source = String(body[..<slash])
        let flags = String(body[body.index(after: slash)...])
        guard !source.isEmpty else {
            problem(number, "the pattern is empty", fix: "write a regular expression between `</` and the last `/`")
            return
        }
        do {
            addReply(Transcript.ReplyCheck(line: number, kind: .pattern(try Transcript.Pattern(source: source, flags: flags))), number: number)
        } catch is Transcript.Pattern.PatternFlagError {
            problem(number, "unknown pattern flags `\(flags)`", fix: "use i (ignore case), s (dot matches newlines), m (^ and $ at lines) or x")
        } catch {
            problem(number, "`\(source)` is not a valid regular expression", fix: "check brackets and escapes (ICU syntax)")
        }
    }

    mutating func addReply(_ check: Transcript.ReplyCheck, number: Int) {
        guard let last = transcript.items.last else {
            transcript.welcome.append(check)
            return
        }
        guard case .customer(var turn) = last else {
            problem(
                number, "a reply check must follow a customer message (`>`), not an agent step",
                fix: "write what the customer sees from the agent as `<< name: text`")
            return
        }
        turn.replies.append(check)
        transcript.items[transcript.items.count - 1] = .customer(turn)
    }

    func currentReplies() -> [Transcript.ReplyCheck] {
        guard let last = transcript.items.last else { return transcript.welcome }
        if case .customer(let turn) = last { return turn.replies }
        return []
    }

    mutating func mutateLastReplies(_ change: (inout [Transcript.ReplyCheck]) -> Void) {
        guard let last = transcript.items.last else {
            change(&transcript.welcome)
            return
        }
        guard case .customer(var turn) = last else { return }
        change(&turn.replies)
        transcript.items[transcript.items.count - 1] = .customer(turn)
    }

    // MARK: Checks

    static let actions: Set<String> = ["answer", "ask", "clarify", "handoff", "smalltalk", "fallback"]
    static let reasons: Set<String> = ["customer_request", "low_confidence", "repeated_failure", "frustration", "policy", "action_failed", "none"]

    mutating func check(_ text: String, number: Int) {
        guard let last = transcript.items.last, case .customer(var turn) = last else {
            problem(
                number, transcript.items.isEmpty ? "a check before the first customer message" : "a check must follow a customer message (`>`)",
                fix: "put `?` lines under the `>` line they check")
            return
        }
        let keyword = text.prefix { !$0.isWhitespace }
        let value = text.dropFirst(keyword.count).trimmedSpaces()
        let field: Transcript.TurnCheck.Field
        var expected = value
        switch keyword {
        case "action":
            guard Self.actions.contains(value) else {
                problem(number, "unknown action `\(value)`", fix: "use answer, ask, clarify, handoff, smalltalk or fallback")
                return
            }
            field = .action
        case "intent": field = .intent
        case "asked": field = .asked
        case "handoff":
            guard Self.reasons.contains(value) else {
                problem(
                    number, "unknown handoff reason `\(value)`",
                    fix: "use customer_request, low_confidence, repeated_failure, frustration, policy, action_failed or none")
                return
            }
            field = .handoff
        case "queue": field = .queue
        case "article": field = .article
        case "articles":
            field = .articles
            expected = value.split(whereSeparator: { $0 == " " || $0 == "," }).joined(separator: " ")
        case "masked": field = .masked
        case "slot":
            guard let equals = value.firstIndex(of: "=") else {
                problem(number, "a slot check needs `NAME = VALUE`", fix: "write it like `? slot order_id = A10234` (or `= none`)")
                return
            }
            let name = value[..<equals].trimmedSpaces()
            let slotValue = value[value.index(after: equals)...].trimmedSpaces()
            guard !name.isEmpty, !name.contains(" "), !slotValue.isEmpty else {
                problem(number, "a slot check needs one slot name and a value", fix: "write it like `? slot order_id = A10234` (or `= none`)")
                return
            }
            field = .slot(name)
            expected = slotValue
        default:
            problem(number, "unknown check `\(keyword)`", fix: "use action, intent, asked, slot, handoff, queue, article, articles or masked")
            return
        }
        guard !expected.isEmpty else {
            problem(number, "`? \(keyword)` needs a value", fix: "write the expected value, or `none`")
            return
        }
        turn.checks.append(Transcript.TurnCheck(line: number, field: field, value: expected))
        transcript.items[transcript.items.count - 1] = .customer(turn)
    }

    // MARK: Agent steps

    mutating func step(_ text: String, number: Int) {
        let words = text.split(separator: " ", maxSplits: 3, omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first else {
            problem(number, "an empty step", fix: "write `! agent NAME take` (or reply, note, transfer, release, resolve, handback) or `! wait 5m`")
            return
        }
        switch verb {
        case "wait":
            guard words.count == 2, let duration = TranscriptParser.duration(words[1]) else {
                problem(number, "`! wait` needs a duration", fix: "write it like `! wait 90s`, `! wait 10m` or `! wait 1h30m`")
                return
            }
            inBody = true
            transcript.items.append(.wait(Transcript.Pause(line: number, duration: duration)))
        case "agent":
            guard words.count >= 3 else {
                problem(
                    number, "`! agent` needs a name and what the agent does",
                    fix: "write it like `! agent ana take` or `! agent ana reply Hi, I'm Ana.`")
                return
            }
            let agent = words[1]
            let operation = words[2].lowercased()
            let argument = words.count > 3 ? words[3].trimmedSpaces() : ""
            let parsed: Transcript.AgentStep.Operation
            switch operation {
            case "take": parsed = .take(argument.isEmpty ? nil : argument)
            case "reply", "note", "transfer", "resolve":
                guard !argument.isEmpty else {
                    problem(
                        number, "`\(operation)` needs \(operation == "transfer" ? "a queue" : "a text")",
                        fix: "write it like `! agent \(agent) \(operation) \(operation == "transfer" ? "billing" : "...")`")
                    return
                }
                parsed =
                    operation == "reply"
                    ? .reply(argument) : operation == "note" ? .note(argument) : operation == "transfer" ? .transfer(argument) : .resolve(argument)
            case "release":
                guard argument.isEmpty else {
                    problem(number, "`release` takes nothing after it", fix: "write `! agent \(agent) release`")
                    return
                }
                parsed = .release
            case "handback", "hand-back", "hand_back": parsed = .handBack(argument)
            default:
                problem(number, "unknown agent step `\(operation)`", fix: "use take, reply, note, transfer, release, resolve or handback")
                return
            }
            inBody = true
            lastExactLine = nil
            transcript.items.append(.agent(Transcript.AgentStep(line: number, agent: agent, operation: parsed)))
        default:
            problem(number, "unknown step `\(verb)`", fix: "write `! agent NAME ...` for the agent's side or `! wait DURATION` for time passing")
        }
    }

    mutating func agentMessage(_ rest: Substring, number: Int) {
        var body = String(rest)
        if body.hasPrefix(" ") { body.removeFirst() }
        guard let colon = body.range(of: ": ") ?? (body.hasSuffix(":") ? body.range(of: ":", options: .backwards) : nil) else {
            problem(number, "a message from the agent needs `author: text`", fix: "write it like `<< ana: Hi, I'm Ana.`")
            return
        }
        let author = String(body[..<colon.lowerBound]).trimmedSpaces()
        let text = String(body[colon.upperBound...])
        guard !author.isEmpty else {
            problem(number, "a message from the agent needs an author before the colon", fix: "write it like `<< ana: Hi, I'm Ana.`")
            return
        }
        guard let last = transcript.items.last, case .agent(var step) = last else {
            problem(
                number, "`<<` must follow an agent step (`! agent ...`)",
                fix: "use `<` for the bot's reply to a customer message")
            return
        }
        step.messages.append(Transcript.ExpectedMessage(line: number, author: author, text: text))
        transcript.items[transcript.items.count - 1] = .agent(step)
    }

    // MARK: Header

    mutating func header(_ text: String, number: Int) {
        let key = String(text.prefix { !$0.isWhitespace })
        let value = text.dropFirst(key.count).trimmedSpaces()
        guard !inBody else {
            problem(number, "header line `@\(key)` after the conversation started", fix: "move it above the first `>` line")
            return
        }
        if let previous = seenHeader[key] {
            problem(number, "`@\(key)` is already set on line \(previous)", fix: "keep one")
            return
        }
        guard !value.isEmpty else {
            problem(number, "`@\(key)` needs a value", fix: "write it like `@\(key) \(Self.headerExample[key] ?? "...")`")
            return
        }
        switch key {
        case "customer": transcript.header.customer = value
        case "now":
            guard let date = TranscriptParser.date(value) else {
                problem(number, "`\(value)` is not a date and time", fix: "write it in ISO 8601, like `@now 2026-11-18T15:00:00Z`")
                return
            }
            transcript.header.now = date
            transcript.header.nowWritten = true
        case "step":
            guard let duration = TranscriptParser.duration(value) else {
                problem(number, "`\(value)` is not a duration", fix: "write it like `@step 20s`, `@step 5m` or `@step 0s`")
                return
            }
            transcript.header.step = duration
        case "knowledge": transcript.header.knowledge = value
        case "config": transcript.header.config = value
        case "conversation": transcript.header.conversation = value
        default:
            problem(number, "unknown header `@\(key)`", fix: "use @customer, @now, @step, @knowledge, @config or @conversation")
            return
        }
        seenHeader[key] = number
    }

    static let headerExample = [
        "customer": "C1001", "now": "2026-11-18T15:00:00Z", "step": "20s", "knowledge": "../knowledge", "config": "settings.yaml",
        "conversation": "T-returns-01",
    ]
}

extension StringProtocol {
    /// Without spaces and tabs at either end (no Foundation: transcripts are read in bulk).
    func trimmedSpaces() -> String {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == " " || self[start] == "\t" { start = index(after: start) }
        while end > start {
            let before = index(before: end)
            guard self[before] == " " || self[before] == "\t" else { break }
            end = before
        }
        return String(self[start..<end])
    }
}
