public import ConciergeEngine
import Foundation

/// What replaying one transcript came to: passed, or the differences found, or the problems that
/// kept it from running.
public struct TranscriptResult: Sendable {
    /// The file, as given.
    public var file: String
    /// Every expectation the replay did not meet, in file order.
    public var mismatches: [Mismatch]
    /// Why the transcript could not run: malformed lines, or a knowledge folder that does not load.
    public var problems: [TranscriptProblem]
    /// Customer messages replayed.
    public var customerTurns: Int
    /// Wall time of the replay, in seconds.
    public var seconds: Double

    /// Makes a result.
    public init(file: String, mismatches: [Mismatch] = [], problems: [TranscriptProblem] = [], customerTurns: Int = 0, seconds: Double = 0) {
        self.file = file
        self.mismatches = mismatches
        self.problems = problems
        self.customerTurns = customerTurns
        self.seconds = seconds
    }

    /// True when every expectation was met.
    public var passed: Bool { mismatches.isEmpty && problems.isEmpty }

    /// True when the transcript could not run at all.
    public var isBroken: Bool { !problems.isEmpty }

    /// The most serious difference found, if any.
    public var worst: DifferenceClass? { mismatches.map(\.difference).max() }
}

/// One expectation that the replay did not meet.
public struct Mismatch: Sendable, Hashable {
    /// The file, as given.
    public var file: String
    /// The line of the expectation (the first, for a multi-line reply).
    public var line: Int
    /// The last line of the expectation.
    public var endLine: Int
    /// The customer turn (1 for the first message), or nil for the welcome and agent steps.
    public var turn: Int?
    /// The customer's message the turn answered, for context.
    public var message: String?
    /// What was checked: `reply`, `intent`, `slot order_id`, `messages from the agent`...
    public var subject: String
    /// What the transcript expects, as written.
    public var expected: String
    /// What the replay gave.
    public var actual: String
    /// How serious the difference is.
    public var difference: DifferenceClass
    /// The lines `--update` writes in place of `line...endLine`; nil when the expectation is the
    /// author's own looser check, which is never rewritten.
    public var replacement: [String]?

    /// Makes a mismatch.
    public init(
        file: String, line: Int, endLine: Int? = nil, turn: Int? = nil, message: String? = nil, subject: String, expected: String,
        actual: String, difference: DifferenceClass, replacement: [String]? = nil
    ) {
        self.file = file
        self.line = line
        self.endLine = endLine ?? line
        self.turn = turn
        self.message = message
        self.subject = subject
        self.expected = expected
        self.actual = actual
        self.difference = difference
        self.replacement = replacement
    }
}

/// Everything a replay observed, item by item: what the recorder writes and `--update` uses.
public struct Observation: Sendable {
    /// The welcome a returning customer got before the first message.
    public var welcome: String?
    /// One entry per item of the transcript, in order.
    public var items: [ObservedItem]

    /// Makes an observation.
    public init(welcome: String? = nil, items: [ObservedItem] = []) {
        self.welcome = welcome
        self.items = items
    }
}

/// What happened at one item of a transcript.
public struct ObservedItem: Sendable {
    /// The bot's turn, for a customer message.
    public var turn: Turn?
    /// True when the message went to the person who has the conversation (the bot stayed quiet).
    public var relayed: Bool
    /// The messages the customer saw after an agent step (`author`, `text`).
    public var shown: [ShownMessage]
    /// Why the step failed (an agent step on a handoff they do not hold, say), if it did.
    public var failure: String?

    /// Makes an observed item.
    public init(turn: Turn? = nil, relayed: Bool = false, shown: [ShownMessage] = [], failure: String? = nil) {
        self.turn = turn
        self.relayed = relayed
        self.shown = shown
        self.failure = failure
    }
}

/// A message the customer saw from an agent or from Concierge.
public struct ShownMessage: Sendable, Hashable {
    /// The agent's name, or the assistant's for notices.
    public var author: String
    /// The text.
    public var text: String

    /// Makes a shown message.
    public init(author: String, text: String) {
        self.author = author
        self.text = text
    }

    /// As a transcript writes it after `<< `.
    public var rendered: String { "\(author): \(text)" }
}

/// A replayed transcript: the verdict and what was observed.
public struct TranscriptRun: Sendable {
    /// The verdict.
    public var result: TranscriptResult
    /// What the replay observed.
    public var observation: Observation
}
