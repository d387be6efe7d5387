import ArgumentParser
import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation
import Rainbow

extension Concierge {
    /// `concierge agent`: the agent console.
    struct Agent: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The agent console: see the queue, take a handoff, read its context, talk to the customer.",
            discussion: """
                Commands: queue, take [ID], show [ID], reply TEXT, note TEXT, transfer QUEUE, release, \
                resolve NOTE [--teach INTENT], handback [NOTE], help, quit. Customer messages on the handoff \
                you hold appear as they arrive. On a terminal: line editing, history, Tab completes commands \
                and handoff ids. Without a terminal, commands are read one a line (for scripts).

                Who you are: on a shared store (PostgreSQL, or a SQLite file that is someone else's) give \
                the secret `concierge agents add` printed for you, in CONCIERGE_AGENT_SECRET (or --secret). \
                On a store only you can open (a SQLite file of yours, as the default one is) no secret is \
                needed: the first run enrols NAME for every queue and keeps its secret beside the store. \
                You take, reply, note, transfer and resolve only in your queues (`concierge agents list` \
                shows them).
                """)

        @Option(name: .long, help: ArgumentHelp("Your name, as customers and the audit log see it.", valueName: "name"))
        var name: String = ProcessInfo.processInfo.environment["USER"] ?? "agent"

        @Option(
            name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Take only from these of your queues (default: all of yours).", valueName: "queue"))
        var skills: [String] = []

        @OptionGroup var credentials: AgentCredentials

        @Option(name: .long, help: "Minutes a claim lasts without activity before the handoff returns to the queue.")
        var leaseMinutes: Double = 5

        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            try AgentName.validate(name, option: "--name")
            guard leaseMinutes > 0 else { throw ValidationError("--lease-minutes must be positive, for example --lease-minutes 5") }
        }

        func run() throws {
            let store = try storeOptions.open()
            let agent = try credentials.login(name, store: store, options: storeOptions)
            try AgentName.checkSkills(skills, of: agent)
            let desk = AgentDesk(store: store, agent: agent, narrowedTo: skills.isEmpty ? nil : skills, time: SystemTime(), lease: leaseMinutes * 60)
            var console = AgentConsole(desk: desk, wakeup: LiveUpdates.wakeup(for: store))
            try console.run(interactive: Output.stdinIsTerminal)
        }
    }
}

/// The agent's REPL.
struct AgentConsole {
    let desk: AgentDesk
    /// The handoff this agent is working on.
    var current: String?
    /// The last message of the current handoff already shown.
    var seen = 0
    var lastRenewal = Date()
    var knownQueue: Set<String> = []
    /// Handoffs already announced as new.
    var announced: Set<String> = []
    let wakeup: Wakeup?

    static let commands = [
        "queue", "take", "show", "reply", "note", "transfer", "release", "resolve", "handback", "help", "quit",
    ]

    static let help = """
        queue                     the handoffs waiting and in progress, most urgent first
        take [ID]                 take the next handoff in your queues, or the one with ID
        show [ID]                 the whole packet: customer, slots, summary, conversation, suggested articles
        reply TEXT                send the customer a message
        note TEXT                 add an internal note (never shown to the customer)
        transfer QUEUE            move the handoff to another team's queue
        release                   put the handoff back in the queue
        resolve NOTE [--teach X]  close it; --teach suggests the customer's question as an example of intent X
        handback [NOTE]           return the customer to the bot (they see the note)
        quit                      leave (a handoff you hold returns to the queue when its lease runs out)
        """

    init(desk: AgentDesk, wakeup: Wakeup? = nil) {
        self.desk = desk
        self.wakeup = wakeup
    }

    mutating func run(interactive: Bool) throws {
        if interactive {
            let editor = LineEditor(programName: "concierge-agent", historyFile: nil, completions: Self.commands)
            Output.line("Agent console for \(TerminalText.line(desk.agent)) (\(TerminalText.line(desk.queuesDescription))). Type help for the commands.".dim)
            execute("queue")
            while true {
                editor.setCompletions(Self.commands + knownQueue.sorted())
                var updates: [String] = []
                let event = editor.read(
                    prompt: "\(TerminalText.line(desk.agent))\(current.map { " \($0)" } ?? "") › ", idleInterval: LiveUpdates.pollInterval(wakeup: wakeup), wakeup: wakeup
                ) {
                    updates = self.updates()
                    defer { updates = [] }
                    return updates
                }
                guard case .line(let line) = event else { return }
                if !execute(line) { return }
            }
        } else {
            var reader = PipeReader()
            while let line = reader.readLine(
                interval: LiveUpdates.pollInterval(wakeup: wakeup), wakeup: wakeup, idle: { for update in self.updates() { Output.line(update) } })
            {
                for update in updates(announcing: false) { Output.line(update) }
                if !execute(line) { return }
            }
        }
    }

    /// New handoffs in this agent's queues, new customer messages on the current handoff, and a lease
    /// renewal every minute.
    mutating func updates(announcing: Bool = true) -> [String] {
        var lines: [String] = []
        let desk = desk
        if announcing, let waiting = try? blocking({ try await desk.store.handoffs(statuses: [.queued], queue: nil) }) {
            for handoff in waiting where !announced.contains(handoff.id) && (desk.skills?.contains(handoff.queue) ?? true) {
                announced.insert(handoff.id)
                knownQueue.insert(handoff.id)
                lines.append("New handoff \(handoff.id) (\(TerminalText.line(handoff.queue)), P\(handoff.priority), \(handoff.reason.rawValue)): ".cyan + TerminalText.line(handoff.summary))
            }
        }
        guard let id = current else { return lines }
        let after = seen
        if let messages = try? blocking({ try await desk.messages(id, after: after) }) {
            for message in messages {
                seen = max(seen, message.sequence)
                if message.sender == .customer { lines.append("customer (\(id)): ".green.bold + TerminalText.line(message.text)) }
            }
        }
        if Date().timeIntervalSince(lastRenewal) > 60 {
            lastRenewal = Date()
            _ = try? blocking { try await desk.store.renewLease(id: id, agent: desk.agent, now: desk.time.now(), lease: desk.lease) }
        }
        return lines
    }

    /// Runs one command line; false to quit.
    @discardableResult
    mutating func execute(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return true }
        let command = String(trimmed.prefix { !$0.isWhitespace }).lowercased()
        let rest = String(trimmed.dropFirst(command.count)).trimmingCharacters(in: .whitespaces)
        let desk = desk
        do {
            switch command {
            case "quit", "exit", "q":
                return false
            case "help", "?":
                Output.line(Self.help)
            case "queue", "list", "ls":
                let handoffs = try blocking { try await desk.queue() }
                knownQueue = Set(handoffs.map(\.id))
                Output.line(HandoffFormatter.table(handoffs, now: desk.time.now()))
            case "take", "claim":
                let id = rest.isEmpty ? nil : rest
                switch try blocking({ try await desk.take(id) }) {
                case .claimed(let handoff):
                    current = handoff.id
                    seen = 0
                    lastRenewal = Date()
                    Output.line("You have \(handoff.id).".green)
                    showPacket(handoff.id)
                case .heldBy(let agent):
                    Output.line("\(id ?? "That handoff") is already taken by \(TerminalText.line(agent)).".yellow)
                case .closed(let status):
                    Output.line("\(id ?? "That handoff") is already \(status.rawValue).".yellow)
                case .notFound:
                    Output.line("There is no handoff \(id ?? ""). Type queue to see them.".yellow)
                case .queueEmpty:
                    Output.line("Nothing is waiting in your queues.".dim)
                case .otherQueue(let queue):
                    Output.line(
                        "\(id ?? "That handoff") is in the \(TerminalText.line(queue)) queue, which is not yours (\(TerminalText.line(desk.queuesDescription))).".yellow)
                }
            case "show":
                guard let id = rest.isEmpty ? current : rest else {
                    Output.line("Which one? Type show ID, or take one first.".yellow)
                    return true
                }
                showPacket(id)
            case "reply", "say":
                let (id, text) = try target(rest, usage: "reply TEXT")
                _ = try blocking { try await desk.reply(id, text) }
                Output.line("Sent.".dim)
            case "note":
                let (id, text) = try target(rest, usage: "note TEXT")
                _ = try blocking { try await desk.note(id, text) }
                Output.line("Noted (the customer does not see notes).".dim)
            case "transfer":
                let (id, queue) = try target(rest, usage: "transfer QUEUE")
                try blocking { try await desk.transfer(id, to: queue) }
                Output.line("\(id) moved to the \(queue) queue.".dim)
                current = nil
            case "release":
                guard let id = current else { throw ConsoleError("take a handoff first") }
                try blocking { try await desk.release(id) }
                Output.line("\(id) is back in the queue.".dim)
                current = nil
            case "resolve", "close":
                var note = rest
                var teach: String?
                if let range = note.range(of: "--teach") {
                    let after = note[range.upperBound...].trimmingCharacters(in: .whitespaces)
                    teach = after.split(separator: " ").first.map(String.init)
                    note = String(note[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
                    guard teach != nil else { throw ConsoleError("--teach needs an intent, for example: resolve Refund issued --teach refund_status") }
                }
                guard let id = current else { throw ConsoleError("take a handoff first") }
                let resolution = note.isEmpty ? "resolved" : note
                let lesson = teach
                try blocking { try await desk.resolve(id, note: resolution, teach: lesson) }
                Output.line("\(id) resolved.".green + (teach.map { " Suggested the customer's question as an example of \($0)." } ?? ""))
                current = nil
            case "handback", "hand-back":
                guard let id = current else { throw ConsoleError("take a handoff first") }
                try blocking { try await desk.handBack(id, note: rest) }
                Output.line("\(id) handed back to the bot.".green)
                current = nil
            default:
                Output.line("Unknown command \(command). Type help for the commands.".yellow)
            }
        } catch let error as StoreError {
            Output.line("\(error)".yellow)
        } catch let error as AgentAccessError {
            Output.line("\(error)".yellow)
        } catch let error as ConsoleError {
            Output.line(error.message.yellow)
        } catch {
            Output.line("That failed: \(error)".red)
        }
        return true
    }

    /// The current handoff and the command's text.
    func target(_ rest: String, usage: String) throws -> (String, String) {
        guard let id = current else { throw ConsoleError("take a handoff first (take, or take ID)") }
        guard !rest.isEmpty else { throw ConsoleError("usage: \(usage)") }
        return (id, rest)
    }

    mutating func showPacket(_ id: String) {
        let desk = desk
        do {
            let (handoff, messages, events) = try blocking { try await desk.show(id) }
            if id == current { seen = max(seen, messages.last?.sequence ?? 0) }
            Output.line(HandoffFormatter.packet(handoff, messages: messages, events: events, now: desk.time.now()))
        } catch {
            Output.line("\(error)".yellow)
        }
    }
}

/// A console command used wrongly.
struct ConsoleError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
