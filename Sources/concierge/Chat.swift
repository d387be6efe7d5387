import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import ConciergeService
import ConciergeStore
import ConciergeTranscripts
import Foundation
import Rainbow

extension Concierge {
    /// `concierge chat`: the customer's side, in a terminal or over a pipe.
    struct Chat: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Chat with the bot (the default command).",
            discussion: """
                On a terminal: line editing and history (GNU readline), Tab completes /commands, Ctrl-C clears \
                the line, Ctrl-D ends. Type /help for the commands. After a handoff, the agent's messages appear \
                as they arrive and yours go to the agent.
                When standard input is not a terminal: one customer message per line, no prompt or banner; \
                with --jsonl one JSON object per message on standard output.
                """)

        @OptionGroup var knowledgeOptions: KnowledgeOptions
        @OptionGroup var storeOptions: StoreOptions

        @Flag(name: .long, help: "Print one JSON object per customer message (for scripts and tests).")
        var jsonl = false

        @Option(name: .long, help: ArgumentHelp(
                "The customer's id (for example C1001), as the channel authenticated them. Concierge trusts it: the customer sees their remembered details and their own orders without a further check, so pass it only from a channel that verified who the customer is.",
                valueName: "id"))
        var customer: String?

        @Option(name: .long, help: ArgumentHelp("Resume the stored conversation with this id instead of starting a new one.", valueName: "id"))
        var conversation: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "When the chat ends, write it to FILE as a transcript that `concierge replay` checks. The chat then runs as replay does: an in-memory store and a clock frozen at the start.",
                valueName: "file"))
        var record: String?

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Run on a clock frozen at TIME (ISO 8601, for example 2026-11-18T15:00:00Z or 2026-11-18T09:00:00-06:00), as --record does: return windows, opening hours and \"yesterday\" read from it, so a scripted run gives the same replies next month.",
                valueName: "time"))
        var now: String?

        @Flag(name: .long, help: "Replace the --record file if it exists (never a device, a link or a folder).")
        var force = false

        func validate() throws {
            if let record { try SafeFile.check(record, replacing: force, option: "--record") }
            if let now, TranscriptParser.date(now) == nil {
                throw ValidationError("--now takes an ISO 8601 time, for example --now 2026-11-18T15:00:00Z")
            }
        }

        func run() throws {
            let loaded = try knowledgeOptions.load()
            let knowledge = loaded.knowledge
            // Recording: the chat runs as replay will, so the transcript holds what the customer saw.
            let store: any SupportStore = record == nil ? try storeOptions.open() : MemoryStore()
            let frozen = now.flatMap(TranscriptParser.date) ?? (record == nil ? nil : ChatRecorder.recordingStart())
            let time: any TimeSource = frozen.map { FrozenTime($0) } ?? SystemTime()
            let recorder = ChatRecorder(knowledge: knowledgeOptions.knowledge, config: knowledgeOptions.config, customer: customer)
            let wakeup = LiveUpdates.wakeup(for: store)
            // What is past its retention goes while the customer chats, once a period for every
            // process sharing the store (a recording's store is in memory: nothing to sweep).
            let sweep = record == nil ? Self.sweep(store, settings: knowledge.settings, now: time.now()) : nil
            // Train while the customer reads the welcome and types: the prompt appears at once.
            let options = knowledgeOptions
            let engine = BackgroundValue { options.engine(for: knowledge) }
            let id = conversation ?? Self.newConversationID()
            let customer = customer
            let start: @Sendable () throws -> CustomerSession = {
                let engine = engine.value
                return try blocking { try await CustomerSession(engine: engine, store: store, time: time, conversationID: id, customerID: customer) }
            }
            if Output.stdinIsTerminal {
                var repl = ChatREPL(settings: knowledge.settings, start: start, jsonl: jsonl, wakeup: wakeup)
                repl.recorder = recorder
                try repl.run()
                Self.report(sweep)
                try Self.reportUnsaved(repl.session)
                if let record, let session = repl.session { Output.line(try Self.save(session, recorder: recorder, to: record, replacing: force).dim) }
            } else {
                let session = try start()
                try Self.runPiped(session: session, jsonl: jsonl, wakeup: wakeup)
                Self.report(sweep)
                try Self.reportUnsaved(session)
                if let record { Output.error(try Self.save(session, recorder: recorder, to: record, replacing: force)) }
            }
        }

        /// Starts the retention sweep (``RetentionSweep``) on a background thread when it is due; its
        /// value is what went wrong, or nil.
        static func sweep(_ store: any SupportStore, settings: Settings, now: Date) -> BackgroundValue<String?> {
            BackgroundValue {
                do {
                    _ = try blocking { try await RetentionSweep.runIfDue(store, settings: settings, now: now) }
                    return nil
                } catch {
                    return String(describing: error)
                }
            }
        }

        /// Waits for the sweep at the end of the chat; a sweep that failed is one line on standard error
        /// (the chat itself went on: nothing the customer said depends on it).
        static func report(_ sweep: BackgroundValue<String?>?) {
            guard let problem = sweep?.value else { return }
            Output.error("concierge: the retention sweep did not run (\(problem)); run `concierge purge` to delete what is past its retention.")
        }

        /// Writes a `--record` transcript at the end of the chat.
        static func save(_ session: CustomerSession, recorder: ChatRecorder, to path: String, replacing: Bool) throws -> String {
            do {
                return try recorder.save(session: session, to: path, replacing: replacing, confined: false)
            } catch let refusal as SafeFile.Refusal {
                Output.error("concierge: the transcript was not written: \(refusal)")
                throw ExitCode(2)
            }
        }

        /// At the end of the chat: whatever the store has not taken is tried once more, and what still
        /// could not be written is reported on standard error with exit status 3 (never a silent loss).
        static func reportUnsaved(_ session: CustomerSession?) throws {
            guard let session else { return }
            let left = try blocking { await session.finish() }
            guard !left.isEmpty else { return }
            Output.error(
                "concierge: could not save \(left.description) to the store (\(left.problem ?? "it did not answer")); they are not stored. Check the store (disk space, permissions, the server) and ask the customer to contact us again.")
            throw ExitCode(3)
        }

        /// One message a line from a pipe. While the conversation is with a person, the agent's messages
        /// are printed as they arrive (as `name: text` lines), or, with --jsonl, carried in the next
        /// turn's `agent_messages` so standard output stays one object per customer message.
        static func runPiped(session: CustomerSession, jsonl: Bool, wakeup: Wakeup? = nil) throws {
            var reader = PipeReader()
            var pending: [HandoffMessage] = []
            let relay = {
                guard (try? blocking { await session.handoffID }) != nil else { return }
                let messages = (try? blocking { try await session.poll() }) ?? []
                if jsonl {
                    pending.append(contentsOf: messages)
                } else {
                    for message in messages { Output.line(TerminalText.line("\(message.author): \(message.text)")) }
                }
            }
            while let message = reader.readLine(interval: LiveUpdates.pollInterval(wakeup: wakeup), wakeup: wakeup, idle: relay) {
                relay()
                let turn = try blocking { try await session.send(message) }
                if jsonl {
                    Output.line(TurnJSON.line(for: turn, agentMessages: pending))
                    pending.removeAll()
                } else if !turn.reply.isEmpty {
                    Output.line(TerminalText.block(turn.reply))
                }
            }
        }

        /// A new conversation's id: the time and a random part, so two chats never collide.
        static func newConversationID() -> String {
            let stamp = Int(Date().timeIntervalSince1970)
            return "C-\(stamp)-\(String(UInt32.random(in: 0...UInt32.max), radix: 16))"
        }
    }
}

/// The customer's REPL on a terminal.
struct ChatREPL {
    let settings: Settings
    let start: () throws -> CustomerSession
    let jsonl: Bool
    /// Signalled by the store when something changed (PostgreSQL), so agent messages show at once.
    let wakeup: Wakeup?
    private(set) var session: CustomerSession?
    /// Writes the conversation as a transcript (`/save FILE`).
    var recorder = ChatRecorder()
    /// A `/save` whose file exists, waiting for the customer to say whether to replace it.
    private var pendingReplace: String?

    init(settings: Settings, start: @escaping () throws -> CustomerSession, jsonl: Bool, wakeup: Wakeup? = nil) {
        self.settings = settings
        self.start = start
        self.jsonl = jsonl
        self.wakeup = wakeup
    }

    static let commands: [(name: String, help: String)] = [
        ("/help", "show these commands"),
        ("/why", "explain the last reply: what matched, the scores, the runner-up"),
        ("/memory", "show what the bot remembers in this conversation"),
        ("/reset", "start the conversation afresh"),
        ("/save", "write the conversation so far as a transcript: /save FILE (see transcripts/README.md)"),
        ("/quit", "end the chat (Ctrl-D works too)"),
    ]

    var botName: String { "\(settings.assistantName): " }

    mutating func run() throws {
        let history = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".concierge_history").path
        let editor = LineEditor(programName: "concierge", historyFile: history, completions: Self.commands.map(\.name))
        Output.line(botName.cyan.bold + settings.fill(settings.texts.welcome))
        while true {
            let current = session
            let event = editor.read(prompt: "you › ", idleInterval: LiveUpdates.pollInterval(wakeup: wakeup), wakeup: wakeup) {
                guard let current, (try? blocking { await current.handoffID }) != nil else { return [] }
                let messages = (try? blocking { try await current.poll() }) ?? []
                return messages.map { "\(TerminalText.line($0.author)): ".magenta.bold + TerminalText.line($0.text) }
            }
            guard case .line(let line) = event else {
                Output.line("")
                Output.line(settings.fill(settings.texts.goodbye).dim)
                return
            }
            let session = try currentSession()
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let path = pendingReplace {
                pendingReplace = nil
                if ["y", "yes", "yeah", "yep", "ok", "sure", "replace", "replace it"].contains(trimmed.lowercased()) {
                    do {
                        Output.line(try recorder.save(session: session, to: path, replacing: true, confined: true).dim)
                    } catch {
                        Output.line("Not saved: \(error)".yellow)
                    }
                } else {
                    Output.line("Not saved; \(path) is unchanged.".dim)
                }
                continue
            }
            if trimmed.hasPrefix("/") {
                if try !command(trimmed, session: session) { return }
                continue
            }
            do {
                let turn = try blocking { try await session.send(line) }
                if jsonl {
                    Output.line(TurnJSON.line(for: turn))
                } else if !turn.reply.isEmpty {
                    Output.line(botName.cyan.bold + TerminalText.block(turn.reply))
                }
                if let problem = try blocking({ await session.problem }) {
                    Output.error("concierge: the store is not answering (\(problem)); this conversation is kept and will be saved when it is back")
                }
            } catch {
                Output.error("concierge: the message could not be saved (\(error)); it was not lost from this screen, please send it again")
            }
        }
    }

    /// The session, started on first use (the engine may still be training before that).
    private mutating func currentSession() throws -> CustomerSession {
        if let session { return session }
        let started = try start()
        session = started
        if let welcome = try blocking({ await started.welcome }) { Output.line(botName.cyan.bold + welcome) }
        return started
    }

    /// Runs a slash command; false ends the chat.
    mutating func command(_ line: String, session: CustomerSession) throws -> Bool {
        let word = line.split(separator: " ").first.map(String.init) ?? line
        switch word {
        case "/quit", "/exit", "/q":
            Output.line(settings.fill(settings.texts.goodbye).dim)
            return false
        case "/help", "/?":
            for command in Self.commands { Output.line("  \(command.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(command.help)") }
        case "/why":
            guard let turn = try blocking({ await session.lastTurn }) else {
                Output.line("Nothing to explain yet: say something first.".dim)
                return true
            }
            Output.line(TerminalText.block(WhyFormatter.describe(turn)))
        case "/memory":
            let state = try blocking { await session.state }
            Output.line(TerminalText.block(MemoryFormatter.describe(state)))
        case "/reset":
            try blocking { try await session.reset() }
            Output.line("Started afresh: I've forgotten this conversation.".dim)
        case "/save":
            let path = line.dropFirst(word.count).trimmingCharacters(in: .whitespaces)
            guard !path.isEmpty else {
                Output.line("Say where: /save transcripts/my-conversation.transcript".yellow)
                return true
            }
            do {
                Output.line(try recorder.save(session: session, to: path, replacing: false, confined: true).dim)
            } catch SafeFile.Refusal.exists {
                pendingReplace = path
                Output.line("\(path) already exists. Replace it? (yes/no)".yellow)
            } catch {
                // A failed save is one line; the chat goes on.
                Output.line("Not saved: \(error)".yellow)
            }
        default:
            Output.line("Unknown command \(word). Type /help for the commands.".yellow)
        }
        return true
    }
}

/// Renders the conversation's memory for `/memory`.
enum MemoryFormatter {
    static func describe(_ state: ConversationState) -> String {
        var lines: [String] = []
        if let customer = state.customerID { lines.append("Customer: \(customer)") }
        if state.slots.isEmpty {
            lines.append("Nothing remembered yet.")
        } else {
            lines.append("Remembered:")
            for (name, value) in state.slots.sorted(by: { $0.key < $1.key }) { lines.append("  \(name) = \(value)") }
        }
        for (name, values) in state.mentioned.sorted(by: { $0.key < $1.key }) where values.count > 1 {
            lines.append("  (\(name) mentioned: \(values.joined(separator: ", ")))")
        }
        if let topic = state.topic { lines.append("Topic: \(topic.intent ?? topic.article ?? topic.key)") }
        if case .slot(let intent, let slot, _) = state.pending { lines.append("Waiting for: \(slot) (for \(intent))") }
        if let handoff = state.handoff { lines.append("With a person: handoff \(handoff.id) (\(handoff.reason.rawValue), \(handoff.queue))") }
        return lines.joined(separator: "\n")
    }
}
