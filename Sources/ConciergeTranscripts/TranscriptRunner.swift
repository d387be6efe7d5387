public import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation

/// Replays one transcript against an engine, deterministically: a fresh in-memory store (handoff
/// ids from H-000001), a clock frozen at the header's `@now` that moves only by `@step` and
/// `! wait`, a customer session and, for `! agent` steps, an agent desk on the same store.
///
/// ```swift
/// let runner = TranscriptRunner(engine: engine)
/// let run = await runner.run(transcript)
/// for mismatch in run.result.mismatches { print(mismatch.file, mismatch.line, mismatch.difference) }
/// ```
///
/// The same transcript and knowledge always give the same observation, byte for byte, so a
/// recording replays green and a difference always means the knowledge or the engine changed.
public struct TranscriptRunner: Sendable {
    /// The engine replies come from.
    public let engine: Engine

    /// Makes a runner; build the engine once and share it between runners.
    public init(engine: Engine) {
        self.engine = engine
    }

    /// Replays `transcript` and compares every expectation.
    public func run(_ transcript: Transcript) async -> TranscriptRun {
        let started = ContinuousClock.now
        let observation = await observe(transcript)
        let mismatches = Self.compare(transcript, with: observation)
        let elapsed = ContinuousClock.now - started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return TranscriptRun(
            result: TranscriptResult(file: transcript.file, mismatches: mismatches, customerTurns: transcript.customerTurnCount, seconds: seconds),
            observation: observation)
    }

    /// Runs the conversation and records what happened at each item, without comparing.
    public func observe(_ transcript: Transcript) async -> Observation {
        let store = MemoryStore()
        let clock = FrozenTime(transcript.header.now)
        var observation = Observation()
        let session: CustomerSession
        do {
            session = try await CustomerSession(
                engine: engine, store: store, time: clock, conversationID: transcript.conversationID, customerID: transcript.header.customer)
        } catch {
            let failure = "the conversation could not start: \(Self.describe(error))"
            observation.items = transcript.items.map { _ in ObservedItem(failure: failure) }
            return observation
        }
        observation.welcome = await session.welcome
        var lastHandoff: String?
        var first = true
        observation.items.reserveCapacity(transcript.items.count)
        for item in transcript.items {
            switch item {
            case .wait(let pause):
                clock.advance(by: pause.duration)
                observation.items.append(ObservedItem())
                continue
            case .customer, .agent:
                if !first { clock.advance(by: transcript.header.step) }
                first = false
            }
            switch item {
            case .customer(let turn):
                let relayed = await session.handoffID != nil
                do {
                    let reply = try await session.send(turn.message)
                    observation.items.append(ObservedItem(turn: reply, relayed: relayed))
                } catch {
                    observation.items.append(ObservedItem(failure: "the message could not be sent: \(Self.describe(error))"))
                }
                if let id = await session.handoffID { lastHandoff = id }
            case .agent(let step):
                let desk = AgentDesk(store: store, agent: step.agent, time: clock, lease: engine.settings.handoff.leaseMinutes * 60)
                var observed = ObservedItem()
                if let id = await session.handoffID { lastHandoff = id }
                do {
                    try await perform(step.operation, desk: desk, handoff: lastHandoff)
                } catch {
                    observed.failure = Self.describe(error)
                }
                do {
                    observed.shown = try await session.poll().map { ShownMessage(author: $0.author, text: $0.text) }
                } catch {
                    observed.failure = observed.failure ?? Self.describe(error)
                }
                observation.items.append(observed)
            case .wait:
                break
            }
        }
        return observation
    }

    /// Does one agent step on the conversation's handoff.
    private func perform(_ operation: Transcript.AgentStep.Operation, desk: AgentDesk, handoff: String?) async throws {
        if case .take(let explicit) = operation {
            guard let id = explicit ?? handoff else { throw StepError("there is no handoff to take: the conversation was never handed off") }
            switch try await desk.take(id) {
            case .claimed: return
            case .heldBy(let agent): throw StepError("\(id) is held by \(agent)")
            case .closed(let status): throw StepError("\(id) is already \(status.rawValue)")
            case .notFound: throw StepError("there is no handoff \(id)")
            case .queueEmpty: throw StepError("nothing is waiting in the queue")
            case .otherQueue(let queue): throw StepError("\(id) is in the \(queue) queue, which the agent does not work")
            }
        }
        guard let id = handoff else { throw StepError("there is no handoff: the conversation was never handed off") }
        switch operation {
        case .take: break
        case .reply(let text): try await desk.reply(id, text)
        case .note(let text): try await desk.note(id, text)
        case .transfer(let queue): try await desk.transfer(id, to: queue)
        case .release: try await desk.release(id)
        case .resolve(let note): try await desk.resolve(id, note: note)
        case .handBack(let note): try await desk.handBack(id, note: note)
        }
    }

    struct StepError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A store or step error in one line, without customer data.
    static func describe(_ error: any Error) -> String {
        if let step = error as? StepError { return step.description }
        if let store = error as? StoreError {
            switch store {
            case .handoffNotFound(let id): return "there is no handoff \(id)"
            case .notHeld(let id, let holder): return holder.map { "\(id) is held by \($0), not this agent" } ?? "\(id) is not claimed: take it first"
            case .closed(let id, let status): return "\(id) is already \(status.rawValue)"
            default: return String(describing: store)
            }
        }
        return String(describing: error)
    }
}

// MARK: - Comparing

extension TranscriptRunner {
    /// Every expectation of `transcript` that `observation` does not meet, in file order.
    public static func compare(_ transcript: Transcript, with observation: Observation) -> [Mismatch] {
        var mismatches: [Mismatch] = []
        let file = transcript.file
        if !transcript.welcome.isEmpty {
            let actual = observation.welcome ?? ""
            let difference: DifferenceClass = observation.welcome == nil ? .answer : .wording
            var found = replyMismatches(
                transcript.welcome, actual: actual, file: file, turn: nil, message: nil, subject: "welcome", difference: difference)
            // No welcome any more: `--update` removes the lines rather than writing an empty one.
            if observation.welcome == nil {
                for index in found.indices where found[index].replacement != nil { found[index].replacement = [] }
            }
            mismatches += found
        }
        // The bot never asks for what it already knows: a question for a known value fails the
        // transcript whatever its expectations say (and `--update` cannot accept it).
        let repeated = Dictionary(
            RepeatedQuestion.find(in: observation.items.compactMap { $0.relayed ? nil : $0.turn }).map { ($0.turn, $0) },
            uniquingKeysWith: { first, _ in first })
        var turnNumber = 0
        for (item, observed) in zip(transcript.items, observation.items) {
            switch item {
            case .wait:
                continue
            case .customer(let expected):
                turnNumber += 1
                guard let turn = observed.turn else {
                    mismatches.append(
                        Mismatch(
                            file: file, line: expected.line, turn: turnNumber, message: expected.message, subject: "message",
                            expected: "a reply", actual: observed.failure ?? "no reply", difference: .action))
                    continue
                }
                var found: [Mismatch] = []
                for check in expected.checks {
                    let actual = value(of: check.field, in: turn)
                    guard !satisfies(check, actual: actual, turn: turn) else { continue }
                    let subject = check.field.slotName.map { "slot " + $0 } ?? check.field.keyword
                    found.append(
                        Mismatch(
                            file: file, line: check.line, turn: turnNumber, message: expected.message, subject: subject, expected: check.value,
                            actual: actual, difference: check.field.difference,
                            replacement: [Transcript.TurnCheck(field: check.field, value: updatedValue(check, actual: actual, turn: turn)).text]))
                }
                if let question = repeated[turn.number] {
                    found.append(
                        Mismatch(
                            file: file, line: expected.line, turn: turnNumber, message: expected.message, subject: "repeated question",
                            expected: "no question for \(question.slot), already known as \(question.known)",
                            actual: "asked for \(question.slot) again", difference: .action))
                }
                // A question the transcript does not expect (it records `? asked` whenever the bot
                // asked) makes the reply's difference at least a different answer.
                var worst = found.map(\.difference).max() ?? .wording
                if turn.asked != nil, !expected.checks.contains(where: { $0.field == .asked }) { worst = max(worst, .answer) }
                found += replyMismatches(
                    expected.replies, actual: turn.reply, file: file, turn: turnNumber, message: expected.message, subject: "reply", difference: worst
                )
                mismatches += found.sorted { $0.line < $1.line }
            case .agent(let step):
                if let failure = observed.failure {
                    mismatches.append(
                        Mismatch(
                            file: file, line: step.line, subject: "agent step", expected: "`\(step.operation.text)` by \(step.agent) succeeds",
                            actual: failure, difference: .action))
                }
                guard !step.messages.isEmpty else { continue }
                let expectedLines = step.messages.map(\.rendered)
                let actualLines = observed.shown.map(\.rendered)
                guard expectedLines != actualLines else { continue }
                let sameShape = step.messages.map(\.author) == observed.shown.map(\.author)
                mismatches.append(
                    Mismatch(
                        file: file, line: step.messages[0].line, endLine: step.messages[step.messages.count - 1].line,
                        subject: "messages from the agent", expected: expectedLines.joined(separator: "\n"),
                        actual: actualLines.joined(separator: "\n"), difference: sameShape ? .wording : .action,
                        replacement: TranscriptWriter.agentMessageLines(observed.shown)))
            }
        }
        return mismatches
    }

    /// The actual value of a checked field, written the way a check writes it.
    static func value(of field: Transcript.TurnCheck.Field, in turn: Turn) -> String {
        switch field {
        case .action: turn.action.rawValue
        case .intent: turn.intent?.name ?? "none"
        case .asked: turn.asked ?? "none"
        case .slot(let name): turn.slots[name] ?? "none"
        case .handoff: turn.handoff?.reason.rawValue ?? "none"
        case .queue: turn.handoff?.queue ?? "none"
        case .article, .articles: turn.articles.isEmpty ? "none" : turn.articles.map(\.id).joined(separator: " ")
        case .masked: turn.explanation.masked.isEmpty ? "none" : turn.explanation.masked.joined(separator: ", ")
        }
    }

    static func satisfies(_ check: Transcript.TurnCheck, actual: String, turn: Turn) -> Bool {
        switch check.field {
        case .article:
            return check.value == "none" ? turn.articles.isEmpty : turn.articles.contains { $0.id == check.value }
        case .masked:
            return check.value == "none" ? turn.explanation.masked.isEmpty : turn.explanation.masked.contains(check.value)
        default:
            return actual == check.value
        }
    }

    /// The value `--update` writes for a check that failed.
    static func updatedValue(_ check: Transcript.TurnCheck, actual: String, turn: Turn) -> String {
        switch check.field {
        case .article: turn.articles.first?.id ?? "none"
        case .masked: turn.explanation.masked.first ?? "none"
        default: actual
        }
    }

    static func replyMismatches(
        _ checks: [Transcript.ReplyCheck], actual: String, file: String, turn: Int?, message: String?, subject: String, difference: DifferenceClass
    ) -> [Mismatch] {
        var found: [Mismatch] = []
        for check in checks {
            switch check.kind {
            case .exact(let lines):
                guard !sameText(lines, actual) else { continue }
                found.append(
                    Mismatch(
                        file: file, line: check.line, endLine: check.endLine, turn: turn, message: message, subject: subject,
                        expected: lines.joined(separator: "\n"), actual: actual, difference: difference,
                        replacement: TranscriptWriter.exactReplyLines(actual)))
            case .contains(let text):
                guard actual.range(of: text, options: .caseInsensitive) == nil else { continue }
                found.append(
                    Mismatch(
                        file: file, line: check.line, turn: turn, message: message, subject: subject + " (contains)", expected: text, actual: actual,
                        difference: difference))
            case .pattern(let pattern):
                guard !pattern.matches(actual) else { continue }
                found.append(
                    Mismatch(
                        file: file, line: check.line, turn: turn, message: message, subject: subject + " (pattern)", expected: pattern.description,
                        actual: actual, difference: difference))
            }
        }
        return found
    }

    /// Line by line, ignoring spaces at line ends (editors strip them).
    static func sameText(_ expected: [String], _ actual: String) -> Bool {
        if expected.count == 1 { return expected[0] == actual || trimmingTrailing(expected[0]) == trimmingTrailing(actual) && !actual.contains("\n") }
        return sameText(expected, TranscriptWriter.replyLines(actual))
    }

    static func sameText(_ expected: [String], _ actual: [String]) -> Bool {
        guard expected.count == actual.count else { return false }
        for (a, b) in zip(expected, actual) where a != b {
            if trimmingTrailing(a) != trimmingTrailing(b) { return false }
        }
        return true
    }

    static func trimmingTrailing(_ text: String) -> Substring {
        var end = text.endIndex
        while end > text.startIndex {
            let before = text.index(before: end)
            guard text[before] == " " || text[before] == "\t" else { break }
            end = before
        }
        return text[..<end]
    }
}

extension Transcript.TurnCheck.Field {
    /// The slot's name, for a slot check.
    var slotName: String? {
        if case .slot(let name) = self { return name }
        return nil
    }
}
