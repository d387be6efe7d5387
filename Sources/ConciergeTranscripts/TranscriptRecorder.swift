public import ConciergeEngine
import Foundation

/// Turns a conversation into a transcript that replays green: it replays the script (the messages
/// and agent steps, with the header's clock and customer) exactly as `TranscriptRunner` will, and
/// writes what happened as the expectations: each reply exactly, with `? action` and `? intent`,
/// and `? asked`, `? handoff`, `? queue`, `? articles`, `? masked` when set.
///
/// ```swift
/// var script = Transcript(file: "late-delivery.transcript", header: .init(customer: "C1001"))
/// script.items = [.customer(.init(message: "my order A10234 is late"))]
/// let recording = await TranscriptRecorder(engine: engine).record(script)
/// try recording.text.write(toFile: "transcripts/late-delivery.transcript", atomically: true, encoding: .utf8)
/// ```
///
/// Recording the same script twice gives the same bytes, and replaying them passes.
public struct TranscriptRecorder: Sendable {
    /// The engine replies come from.
    public let engine: Engine

    /// Makes a recorder.
    public init(engine: Engine) {
        self.engine = engine
    }

    /// A recorded transcript.
    public struct Recording: Sendable {
        /// The transcript file's text.
        public var text: String
        /// The script as replayed (messages on one line each, agent steps that failed left out).
        public var script: Transcript
        /// What the replay observed.
        public var observation: Observation
    }

    /// Replays `script` (its expectations, if any, are ignored) and writes it with what happened;
    /// `comments` open the file as `#` lines.
    public func record(_ script: Transcript, comments: [String] = []) async -> Recording {
        var normalized = Self.normalized(script)
        let runner = TranscriptRunner(engine: engine)
        var observation = await runner.observe(normalized)
        // A step that fails would fail every replay: leave it out, and say so in a comment where it was.
        var notes: [Int: String] = [:]
        while true {
            let failed = normalized.items.indices.filter { index in
                if case .agent = normalized.items[index], observation.items[index].failure != nil { return true }
                return false
            }
            guard !failed.isEmpty else { break }
            var kept: [Transcript.Item] = []
            var keptNotes: [Int: String] = [:]
            for (index, item) in normalized.items.enumerated() {
                if let note = notes[index] { keptNotes[kept.count] = keptNotes[kept.count].map { $0 + "\n" + note } ?? note }
                if failed.contains(index), case .agent(let step) = item {
                    let note = "# ! agent \(step.agent) \(step.operation.text)   (left out: \(observation.items[index].failure ?? "it failed"))"
                    keptNotes[kept.count] = keptNotes[kept.count].map { $0 + "\n" + note } ?? note
                } else {
                    kept.append(item)
                }
            }
            if let note = notes[normalized.items.count] { keptNotes[kept.count] = keptNotes[kept.count].map { $0 + "\n" + note } ?? note }
            normalized.items = kept
            notes = keptNotes
            observation = await runner.observe(normalized)
        }
        let text = Self.write(normalized, observation: observation, comments: comments, notes: notes)
        return Recording(text: text, script: normalized, observation: observation)
    }

    /// The script as it can be written: one line per message and agent text.
    static func normalized(_ script: Transcript) -> Transcript {
        var copy = script
        copy.welcome = []
        copy.items = script.items.map { item in
            switch item {
            case .customer(let turn):
                let message = TranscriptRunner.trimmingTrailing(oneLine(turn.message))
                return .customer(Transcript.CustomerTurn(line: turn.line, message: String(message)))
            case .agent(let step):
                let operation: Transcript.AgentStep.Operation
                switch step.operation {
                case .take(let id): operation = .take(id)
                case .reply(let text): operation = .reply(oneLine(text).trimmingCharacters(in: .whitespaces))
                case .note(let text): operation = .note(oneLine(text).trimmingCharacters(in: .whitespaces))
                case .transfer(let queue): operation = .transfer(oneLine(queue).trimmingCharacters(in: .whitespaces))
                case .release: operation = .release
                case .resolve(let note): operation = .resolve(oneLine(note).trimmingCharacters(in: .whitespaces))
                case .handBack(let note): operation = .handBack(oneLine(note).trimmingCharacters(in: .whitespaces))
                }
                return .agent(Transcript.AgentStep(line: step.line, agent: step.agent.replacingOccurrences(of: " ", with: "_"), operation: operation))
            case .wait(let pause):
                return .wait(pause)
            }
        }
        return copy
    }

    static func oneLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return text.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Writes `script` with `observation` as its expectations.
    public static func write(_ script: Transcript, observation: Observation, comments: [String] = [], notes: [Int: String] = [:]) -> String {
        var lines: [String] = []
        for comment in comments {
            for line in comment.split(separator: "\n", omittingEmptySubsequences: false) { lines.append(line.isEmpty ? "#" : "# " + TerminalText.line(String(line))) }
        }
        lines += TranscriptWriter.headerLines(script.header)
        if let welcome = observation.welcome {
            lines.append("")
            lines += TranscriptWriter.exactReplyLines(welcome)
        }
        var previousWasAgent = false
        for (index, item) in script.items.enumerated() {
            let observed = index < observation.items.count ? observation.items[index] : ObservedItem()
            let note = notes[index]
            switch item {
            case .customer(let turn):
                lines.append("")
                if let note { lines.append(note) }
                lines.append(TranscriptWriter.customerLine(turn.message))
                if let reply = observed.turn {
                    lines += TranscriptWriter.exactReplyLines(reply.reply)
                    lines += TranscriptWriter.defaultChecks(reply, relayed: observed.relayed).map(\.text)
                }
                previousWasAgent = false
            case .agent(let step):
                if !previousWasAgent { lines.append("") }
                if let note { lines.append(note) }
                lines.append(TerminalText.line("! agent \(step.agent) \(step.operation.text)"))
                lines += TranscriptWriter.agentMessageLines(observed.shown)
                previousWasAgent = true
            case .wait(let pause):
                if !previousWasAgent { lines.append("") }
                if let note { lines.append(note) }
                lines.append("! wait \(TranscriptParser.format(duration: pause.duration))")
                previousWasAgent = true
            }
        }
        if let note = notes[script.items.count] {
            lines.append("")
            lines.append(note)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// How each kind of line is written, shared by the recorder and `--update`.
enum TranscriptWriter {
    /// A reply's lines.
    static func replyLines(_ reply: String) -> [String] {
        var lines = TranscriptParser.lines(of: reply)
        // An empty reply is one empty line; a reply ending in a line feed ends with an empty line.
        if reply.isEmpty || reply.unicodeScalars.last == "\n" { lines.append("") }
        return lines
    }

    /// `< line` for each line of the reply; a bare `<` for an empty line (or an empty reply).
    static func exactReplyLines(_ reply: String) -> [String] {
        replyLines(reply).map { $0.isEmpty ? "<" : "< " + TerminalText.line($0) }
    }

    static func customerLine(_ message: String) -> String {
        message.isEmpty ? ">" : "> " + TerminalText.line(message)
    }

    static func agentMessageLines(_ shown: [ShownMessage]) -> [String] {
        shown.map { "<< " + TerminalText.line(TranscriptRecorder.oneLine($0.rendered)) }
    }

    static func headerLines(_ header: Transcript.Header) -> [String] {
        var lines: [String] = []
        if let customer = header.customer { lines.append("@customer \(customer)") }
        lines.append("@now \(TranscriptParser.format(header.now))")
        lines.append("@step \(TranscriptParser.format(duration: header.step))")
        if let knowledge = header.knowledge { lines.append("@knowledge \(knowledge)") }
        if let config = header.config { lines.append("@config \(config)") }
        if let conversation = header.conversation { lines.append("@conversation \(conversation)") }
        return lines
    }

    /// The checks the recorder writes for a turn: always the action, and the intent unless the
    /// message only went to a person; the question, handoff, queue, articles and masking when set.
    static func defaultChecks(_ turn: Turn, relayed: Bool) -> [Transcript.TurnCheck] {
        var checks = [Transcript.TurnCheck(field: .action, value: turn.action.rawValue)]
        if relayed && turn.action == .handoff { return checks }
        checks.append(Transcript.TurnCheck(field: .intent, value: turn.intent?.name ?? "none"))
        if let asked = turn.asked { checks.append(Transcript.TurnCheck(field: .asked, value: asked)) }
        if let handoff = turn.handoff {
            checks.append(Transcript.TurnCheck(field: .handoff, value: handoff.reason.rawValue))
            checks.append(Transcript.TurnCheck(field: .queue, value: handoff.queue))
        }
        if !turn.articles.isEmpty { checks.append(Transcript.TurnCheck(field: .articles, value: turn.articles.map(\.id).joined(separator: " "))) }
        if let masked = turn.explanation.masked.first { checks.append(Transcript.TurnCheck(field: .masked, value: masked)) }
        return checks
    }
}
