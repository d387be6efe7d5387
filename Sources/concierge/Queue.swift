import ArgumentParser
import ConciergeEngine
import ConciergeSQLite
import ConciergeService
import ConciergeStore
import Foundation

extension Concierge {
    /// `concierge queue`: the handoff queue for scripts and other tools.
    struct Queue: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List, show, claim and resolve handoffs (add --json for other tools).",
            subcommands: [List.self, Show.self, Claim.self, Resolve.self])
    }

    /// `concierge suggestions`: examples agents suggested with `resolve --teach`.
    struct Suggestions: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the customer questions agents suggested as new examples (resolve --teach).",
            discussion: "Nothing changes in knowledge/ by itself: `concierge suggestions accept ID` adds one an author approves to its intent.",
            subcommands: [Accept.self])

        @OptionGroup var storeOptions: StoreOptions

        @Flag(help: "Print a JSON array.")
        var json = false

        func run() throws {
            let store = try storeOptions.open()
            let suggestions = try blocking { try await store.suggestions() }
            if json {
                Output.line(HandoffFormatter.json(suggestions))
            } else if suggestions.isEmpty {
                Output.line("No suggestions yet.")
            } else {
                for suggestion in suggestions {
                    Output.line(TerminalText.line("#\(suggestion.id)  \(suggestion.target)  “\(suggestion.text)”  (\(suggestion.agent), from \(suggestion.handoffID))"))
                }
            }
        }
    }
}

/// Options every `queue` subcommand shares.
struct QueueOptions: ParsableArguments {
    @OptionGroup var storeOptions: StoreOptions

    @Flag(help: "Print JSON for other tools.")
    var json = false
}

extension Concierge.Queue {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The handoffs, most urgent first.")

        @OptionGroup var options: QueueOptions

        @Option(help: ArgumentHelp("Only these statuses: queued, claimed, resolved, returned (default: queued and claimed).", valueName: "status"))
        var status: [String] = ["queued", "claimed"]

        @Option(help: ArgumentHelp("Only this queue.", valueName: "queue"))
        var queue: String?

        func validate() throws {
            for value in status where HandoffStatus(rawValue: value) == nil {
                throw ValidationError("unknown status \(value); use queued, claimed, resolved or returned")
            }
        }

        func run() throws {
            let store = try options.storeOptions.open()
            let statuses = Set(status.compactMap(HandoffStatus.init(rawValue:)))
            let queue = queue
            // A store this user may only read is listed as it is: claims whose lease ran out stay
            // shown as claimed until someone who may write it lists or works the queue.
            let readOnly = (store as? SQLiteStore)?.isReadOnly == true
            let handoffs = try blocking {
                if !readOnly { _ = try await store.expireLeases(now: Date()) }
                return try await store.handoffs(statuses: statuses, queue: queue)
            }
            Output.line(options.json ? HandoffFormatter.json(handoffs) : HandoffFormatter.table(handoffs, now: Date()))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The whole handoff packet.")

        @OptionGroup var options: QueueOptions

        @Argument(help: "The handoff's id, for example H-000001.")
        var id: String

        func run() throws {
            let store = try options.storeOptions.open()
            let id = id
            let found = try blocking { () -> HandoffDocument? in
                guard let handoff = try await store.handoff(id: id) else { return nil }
                return HandoffDocument(
                    handoff: handoff, messages: try await store.messages(handoffID: id, after: 0), events: try await store.events(handoffID: id))
            }
            guard let document = found else {
                Output.error("concierge: no handoff \(id); `concierge queue list` shows the queue")
                throw ExitCode(2)
            }
            Output.line(
                options.json
                    ? HandoffFormatter.json(document)
                    : HandoffFormatter.packet(document.handoff, messages: document.messages, events: document.events, now: Date()))
        }
    }

    struct Claim: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Claim a handoff (or the most urgent one) for an agent.",
            discussion: """
                Exits 1 and says who holds it when another agent has it already, or when it waits in a \
                queue the agent does not work. The agent proves who they are with CONCIERGE_AGENT_SECRET \
                (or --secret), except on a store only you can open (see `concierge agents --help`).
                """)

        @OptionGroup var options: QueueOptions

        @Argument(help: "The handoff's id; without it, the most urgent one in the agent's queues.")
        var id: String?

        @Option(help: "The agent claiming it.")
        var agent: String = ProcessInfo.processInfo.environment["USER"] ?? "agent"

        @Option(
            name: .long, parsing: .upToNextOption,
            help: ArgumentHelp("Take only from these of the agent's queues (default: all of theirs).", valueName: "queue"))
        var skills: [String] = []

        @Option(help: "Minutes the claim lasts without activity.")
        var leaseMinutes: Double = 5

        @OptionGroup var credentials: AgentCredentials

        func validate() throws { try AgentName.validate(agent, option: "--agent") }

        func run() throws {
            let store = try options.storeOptions.open()
            let record = try credentials.login(agent, store: store, options: options.storeOptions)
            try AgentName.checkSkills(skills, of: record)
            let desk = AgentDesk(
                store: store, agent: record, narrowedTo: skills.isEmpty ? nil : skills, time: SystemTime(), lease: leaseMinutes * 60)
            let id = id
            switch try blocking({ try await desk.take(id) }) {
            case .claimed(let handoff):
                Output.line(options.json ? HandoffFormatter.json(handoff) : TerminalText.line("\(desk.agent) claimed \(handoff.id): \(handoff.summary)"))
            case .heldBy(let holder):
                Output.error("concierge: \(id ?? "the handoff") is already claimed by \(TerminalText.line(holder))")
                if options.json { Output.line(HandoffFormatter.json(["error": "claimed", "holder": holder])) }
                throw ExitCode(1)
            case .closed(let status):
                Output.error("concierge: \(id ?? "the handoff") is already \(status.rawValue)")
                throw ExitCode(1)
            case .notFound:
                Output.error("concierge: no handoff \(id ?? ""); `concierge queue list` shows the queue")
                throw ExitCode(2)
            case .queueEmpty:
                Output.error("concierge: nothing is waiting in \(TerminalText.line(desk.queuesDescription))")
                if options.json { Output.line("null") }
                throw ExitCode(1)
            case .otherQueue(let queue):
                Output.error(
                    "concierge: \(AgentAccessError.otherQueue(agent: desk.agent, id: id ?? "the handoff", queue: queue, agentQueues: desk.queuesDescription))")
                if options.json { Output.line(HandoffFormatter.json(["error": "other_queue", "queue": queue])) }
                throw ExitCode(1)
            }
        }
    }

    struct Resolve: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Resolve a handoff the agent holds, with a note.",
            discussion: """
                The agent proves who they are with CONCIERGE_AGENT_SECRET (or --secret), except on a store \
                only you can open (see `concierge agents --help`); the audit log names that agent.
                """)

        @OptionGroup var options: QueueOptions

        @Argument(help: "The handoff's id.")
        var id: String

        @Option(help: "The agent resolving it (must hold it).")
        var agent: String = ProcessInfo.processInfo.environment["USER"] ?? "agent"

        @Option(help: "What was done.")
        var note: String = "resolved"

        @Option(help: ArgumentHelp("Suggest the customer's question as a new example of this intent (or article:ID).", valueName: "intent"))
        var teach: String?

        @OptionGroup var credentials: AgentCredentials

        func validate() throws { try AgentName.validate(agent, option: "--agent") }

        func run() throws {
            let store = try options.storeOptions.open()
            let record = try credentials.login(agent, store: store, options: options.storeOptions)
            let desk = AgentDesk(store: store, agent: record, time: SystemTime())
            let (id, note, teach) = (id, note, teach)
            do {
                try blocking { try await desk.resolve(id, note: note, teach: teach) }
            } catch let error as StoreError {
                Output.error("concierge: \(error)")
                throw ExitCode(1)
            } catch let error as AgentAccessError {
                Output.error("concierge: \(error)")
                throw ExitCode(1)
            }
            Output.line(options.json ? HandoffFormatter.json(["id": id, "status": "resolved"]) : "\(id) resolved.")
        }
    }
}

