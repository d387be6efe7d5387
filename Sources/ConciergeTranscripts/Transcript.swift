public import Foundation

/// A conversation written down as a test: a header of fixtures (customer, clock, knowledge), then
/// the customer's messages, what the bot must reply, and the agent's side after a handoff.
///
/// Transcripts are plain text (see `transcripts/README.md` for the format); `TranscriptParser` reads
/// them, `TranscriptRunner` replays them and `TranscriptRecorder` writes them.
///
/// ```swift
/// let transcript = try TranscriptParser.parse("""
///     @customer C1001
///     > where is my order A10234?
///     <~ was delivered on November 3
///     ? intent order_status
///     """, file: "track.transcript")
/// let result = await TranscriptRunner(engine: engine).run(transcript).result
/// print(result.passed)
/// ```
public struct Transcript: Sendable, Hashable {
    /// The file it was read from, as given (used in every message about it).
    public var file: String
    /// The fixtures written before the first message.
    public var header: Header
    /// Checks on the welcome a returning customer gets before their first message (`<` lines
    /// written before the first `>`).
    public var welcome: [ReplyCheck]
    /// The conversation: customer messages, agent steps and pauses, in order.
    public var items: [Item]

    /// Makes a transcript.
    public init(file: String, header: Header = Header(), welcome: [ReplyCheck] = [], items: [Item] = []) {
        self.file = file
        self.header = header
        self.welcome = welcome
        self.items = items
    }

    /// The number of customer messages.
    public var customerTurnCount: Int {
        items.reduce(0) { count, item in
            if case .customer = item { return count + 1 }
            return count
        }
    }

    /// The conversation's id: the header's `@conversation`, or the file name without its extension.
    public var conversationID: String {
        if let id = header.conversation { return id }
        let name = (file as NSString).lastPathComponent
        let stem = (name as NSString).deletingPathExtension
        return stem.isEmpty ? "transcript" : stem
    }
}

extension Transcript {
    /// The fixtures of a transcript: who the customer is, the frozen clock, the knowledge it runs on.
    public struct Header: Sendable, Hashable {
        /// The instant the conversation starts at when the header gives none: a Wednesday, 9:00 in
        /// the team's time zone (America/Chicago), so agents are on duty.
        public static let defaultNow = Date(timeIntervalSince1970: 1_795_014_000)  // 2026-11-18T15:00:00Z

        /// A returning customer's id (`@customer C1001`): their profile and known details apply.
        public var customer: String?
        /// When the conversation starts (`@now 2026-11-18T15:00:00Z`).
        public var now: Date
        /// How far the clock moves before every customer message and agent step after the first
        /// (`@step 20s`); zero by default.
        public var step: TimeInterval
        /// The knowledge folder, relative to the transcript's folder (`@knowledge ../knowledge`);
        /// nil: the `knowledge/` folder found next to the transcripts.
        public var knowledge: String?
        /// A settings file used instead of the knowledge folder's own (`@config`), relative to the
        /// transcript's folder.
        public var config: String?
        /// The conversation's id (`@conversation`); nil: the file name.
        public var conversation: String?
        /// Whether `@now` was written (the recorder and the updater keep the header as written).
        public var nowWritten: Bool

        /// Makes a header.
        public init(
            customer: String? = nil, now: Date? = nil, step: TimeInterval = 0, knowledge: String? = nil, config: String? = nil,
            conversation: String? = nil
        ) {
            self.customer = customer
            self.now = now ?? Self.defaultNow
            self.step = step
            self.knowledge = knowledge
            self.config = config
            self.conversation = conversation
            self.nowWritten = now != nil
        }
    }

    /// One step of the conversation.
    public enum Item: Sendable, Hashable {
        /// The customer sends a message; the bot's turn is checked.
        case customer(CustomerTurn)
        /// An agent acts on the conversation's handoff; the messages the customer then sees are checked.
        case agent(AgentStep)
        /// Time passes (`! wait 10m`).
        case wait(Pause)

        /// The line the item starts on.
        public var line: Int {
            switch self {
            case .customer(let turn): turn.line
            case .agent(let step): step.line
            case .wait(let pause): pause.line
            }
        }
    }

    /// A customer message (`> text`) and the checks on the bot's turn that follow it.
    public struct CustomerTurn: Sendable, Hashable {
        /// The line of the `>`.
        public var line: Int
        /// The message as the customer types it.
        public var message: String
        /// Checks on the reply text (`<`, `<~`, `</`).
        public var replies: [ReplyCheck]
        /// Structured checks on the turn (`? intent ...`).
        public var checks: [TurnCheck]

        /// Makes a customer turn.
        public init(line: Int = 0, message: String, replies: [ReplyCheck] = [], checks: [TurnCheck] = []) {
            self.line = line
            self.message = message
            self.replies = replies
            self.checks = checks
        }
    }

    /// A check on the text the bot replied.
    public struct ReplyCheck: Sendable, Hashable {
        /// The first line it is written on.
        public var line: Int
        /// The last line it is written on (an exact reply spans one line per line of text).
        public var endLine: Int
        /// What the reply must be.
        public var kind: Kind

        /// Makes a reply check.
        public init(line: Int = 0, endLine: Int? = nil, kind: Kind) {
            self.line = line
            self.endLine = endLine ?? line
            self.kind = kind
        }

        /// How a reply is checked.
        public enum Kind: Sendable, Hashable {
            /// The reply is exactly these lines (`<`); trailing spaces at line ends do not count.
            case exact([String])
            /// The reply contains this text, ignoring case (`<~`).
            case contains(String)
            /// The reply matches this regular expression somewhere (`</pattern/flags`).
            case pattern(Pattern)
        }

        /// True for the exact kind, the one the recorder writes and `--update` rewrites.
        public var isExact: Bool {
            if case .exact = kind { return true }
            return false
        }
    }

    /// A regular expression of a `</pattern/flags` line, compiled once when the file is read.
    public struct Pattern: Sendable, Hashable, CustomStringConvertible {
        /// The pattern as written, without the slashes.
        public let source: String
        /// Flags as written after the closing slash (`i`, `s`, `m`, `x`).
        public let flags: String
        let regex: SendableRegex

        /// Compiles `source`; throws when it is not a valid ICU regular expression.
        public init(source: String, flags: String) throws {
            var options: NSRegularExpression.Options = []
            for flag in flags {
                switch flag {
                case "i": options.insert(.caseInsensitive)
                case "s": options.insert(.dotMatchesLineSeparators)
                case "m": options.insert(.anchorsMatchLines)
                case "x": options.insert(.allowCommentsAndWhitespace)
                default: throw PatternFlagError(flag: flag)
                }
            }
            self.source = source
            self.flags = flags
            self.regex = SendableRegex(try NSRegularExpression(pattern: source, options: options))
        }

        /// True when the pattern matches somewhere in `text`.
        public func matches(_ text: String) -> Bool {
            regex.value.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }

        public var description: String { "/\(source)/\(flags)" }

        public static func == (a: Pattern, b: Pattern) -> Bool { a.source == b.source && a.flags == b.flags }
        public func hash(into hasher: inout Hasher) {
            hasher.combine(source)
            hasher.combine(flags)
        }

        struct PatternFlagError: Error {
            var flag: Character
        }
    }

    /// A structured check on a turn (`? field value`).
    public struct TurnCheck: Sendable, Hashable {
        /// The line it is written on.
        public var line: Int
        /// What it checks.
        public var field: Field
        /// The expected value as written (`none` for "not set").
        public var value: String

        /// Makes a check.
        public init(line: Int = 0, field: Field, value: String) {
            self.line = line
            self.field = field
            self.value = value
        }

        /// What a `?` line checks.
        public enum Field: Sendable, Hashable {
            /// `? action answer`: what the bot did (answer, ask, clarify, handoff, smalltalk, fallback).
            case action
            /// `? intent order_status`: the intent of the reply, or `none`.
            case intent
            /// `? asked order_id`: the slot the reply asks for, or `none`.
            case asked
            /// `? slot order_id = A10234`: a value the bot remembers after the turn, or `none`.
            case slot(String)
            /// `? handoff customer_request`: the reason of the handoff the turn made or belongs to, or `none`.
            case handoff
            /// `? queue orders`: the team the handoff goes to.
            case queue
            /// `? article damaged-item`: the reply used this article (among others).
            case article
            /// `? articles a b`: exactly these articles, in order, or `none`.
            case articles
            /// `? masked card number`: this kind of value was removed from the message before anything read it.
            case masked

            /// The keyword after `?`.
            public var keyword: String {
                switch self {
                case .action: "action"
                case .intent: "intent"
                case .asked: "asked"
                case .slot: "slot"
                case .handoff: "handoff"
                case .queue: "queue"
                case .article: "article"
                case .articles: "articles"
                case .masked: "masked"
                }
            }

            /// How serious a difference in this field is.
            public var difference: DifferenceClass {
                switch self {
                case .action, .handoff, .queue: .action
                case .intent, .asked, .slot, .article, .articles, .masked: .answer
                }
            }
        }

        /// The check as the recorder writes it (`? slot order_id = A10234`).
        public var text: String {
            switch field {
            case .slot(let name): "? slot \(name) = \(value)"
            default: "? \(field.keyword) \(value)"
            }
        }
    }

    /// An agent's step (`! agent ana reply Hi, I'm Ana.`) and the messages the customer sees after it (`<<`).
    public struct AgentStep: Sendable, Hashable {
        /// The line of the `!`.
        public var line: Int
        /// The agent's name.
        public var agent: String
        /// What the agent does.
        public var operation: Operation
        /// The messages the customer sees after the step, exactly; unchecked when empty.
        public var messages: [ExpectedMessage]

        /// Makes an agent step.
        public init(line: Int = 0, agent: String, operation: Operation, messages: [ExpectedMessage] = []) {
            self.line = line
            self.agent = agent
            self.operation = operation
            self.messages = messages
        }

        /// The agent's operations, as in the agent console.
        public enum Operation: Sendable, Hashable {
            /// Claims the conversation's handoff (or the one with this id).
            case take(String?)
            /// Sends the customer a message.
            case reply(String)
            /// Adds an internal note the customer never sees.
            case note(String)
            /// Moves the handoff to another team's queue.
            case transfer(String)
            /// Puts the handoff back in the queue.
            case release
            /// Closes the handoff with a note.
            case resolve(String)
            /// Returns the customer to the bot; they see the note.
            case handBack(String)

            /// The step as written after `! agent NAME`.
            public var text: String {
                switch self {
                case .take(let id): id.map { "take \($0)" } ?? "take"
                case .reply(let text): "reply \(text)"
                case .note(let text): "note \(text)"
                case .transfer(let queue): "transfer \(queue)"
                case .release: "release"
                case .resolve(let note): "resolve \(note)"
                case .handBack(let note): note.isEmpty ? "handback" : "handback \(note)"
                }
            }
        }
    }

    /// A message the customer sees from the agent or from Concierge (`<< ana: text`).
    public struct ExpectedMessage: Sendable, Hashable {
        /// The line it is written on.
        public var line: Int
        /// Who it is from: the agent's name, or the assistant's name for notices.
        public var author: String
        /// The text.
        public var text: String

        /// Makes an expected message.
        public init(line: Int = 0, author: String, text: String) {
            self.line = line
            self.author = author
            self.text = text
        }

        /// As written after `<< `.
        public var rendered: String { "\(author): \(text)" }
    }

    /// Time passing between two steps (`! wait 10m`).
    public struct Pause: Sendable, Hashable {
        /// The line it is written on.
        public var line: Int
        /// How long, in seconds.
        public var duration: TimeInterval

        /// Makes a pause.
        public init(line: Int = 0, duration: TimeInterval) {
            self.line = line
            self.duration = duration
        }
    }
}

/// How serious a difference between a transcript and a replay is, from cosmetic to behavioural.
public enum DifferenceClass: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    /// Same action, intent, articles and handoff; only the text differs.
    case wording = 0
    /// Same action; a different intent, article, slot or question.
    case answer = 1
    /// A different action (answer, ask, clarify, handoff...) or a different handoff.
    case action = 2

    public static func < (a: DifferenceClass, b: DifferenceClass) -> Bool { a.rawValue < b.rawValue }

    /// "wording only", "different answer", "different action or handoff".
    public var description: String {
        switch self {
        case .wording: "wording only"
        case .answer: "different answer"
        case .action: "different action or handoff"
        }
    }
}

/// `NSRegularExpression` is immutable and safe to share once made.
struct SendableRegex: @unchecked Sendable {
    let value: NSRegularExpression
    init(_ value: NSRegularExpression) { self.value = value }
}
