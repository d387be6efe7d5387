import ArgumentParser
import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation

extension Concierge {
    /// `concierge agents`: who may act on the queue, in which queues.
    struct Agents: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add, list, remove and reset the agents who may work the queue.",
            discussion: """
                Every command that acts as an agent (agent, queue claim, queue resolve, simulate agents) \
                needs the agent's secret: --secret SECRET or CONCIERGE_AGENT_SECRET. `agents add` and \
                `agents reset` print it once; the store keeps only a salted SHA-256 hash. An agent acts only \
                in their queues, and the audit log names the agent who proved who they are.

                On a SQLite store only you can open (the file is yours and closed to others, as every file \
                Concierge makes is), you are trusted: naming a new agent enrols them for every queue, with \
                the secret kept beside the store in a 0600 file (agents added here still need theirs). Any \
                other store (PostgreSQL, or a SQLite file that is someone else's) is shared: only these \
                commands add agents, and whoever may write the store may run them.
                """,
            subcommands: [Add.self, List.self, Remove.self, Reset.self])
    }
}

extension Concierge.Agents {
    /// `concierge agents add NAME --queues q1,q2`.
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add an agent and print their secret (once).",
            discussion: "Give the secret to the agent; they set CONCIERGE_AGENT_SECRET to it. Concierge keeps only its hash.")

        @Argument(help: "The agent's name, as customers and the audit log see it.")
        var name: String

        @Option(help: ArgumentHelp("The queues the agent works, separated by commas (for example orders,returns).", valueName: "queues"))
        var queues: String?

        @Flag(help: "The agent works every queue.")
        var allQueues = false

        @Flag(help: "Print a JSON object (name, queues, secret).")
        var json = false

        @OptionGroup var storeOptions: StoreOptions

        func validate() throws {
            try AgentName.validate(name, option: "NAME")
            switch (queues, allQueues) {
            case (nil, false): throw ValidationError("say which queues \(name) works: --queues orders,returns (or --all-queues)")
            case (.some, true): throw ValidationError("give --queues or --all-queues, not both")
            case (let list?, false): _ = try Self.queueList(list)
            case (nil, true): break
            }
        }

        /// The queue names in `list`, or a usage error.
        static func queueList(_ list: String) throws -> [String] {
            let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !names.isEmpty, names.allSatisfy({ !$0.isEmpty && TerminalText.isSafe($0) && $0.count <= 64 }) else {
                throw ValidationError("--queues takes queue names separated by commas, for example --queues orders,returns")
            }
            return names
        }

        func run() throws {
            let store = try storeOptions.open()
            let roster = AgentRoster(store: store, time: SystemTime())
            let (name, queues) = (name, try queues.map(Self.queueList))
            let added: (agent: AgentRecord, secret: String)
            do {
                added = try blocking { try await roster.add(name: name, queues: queues) }
            } catch let error as StoreError {
                guard case .agentExists = error else { throw error }
                Output.error("concierge: \(error)")
                throw ExitCode(2)
            }
            if json {
                Output.line(HandoffFormatter.json(AgentSecretDocument(name: added.agent.name, queues: added.agent.queues, secret: added.secret)))
            } else {
                let shown = TerminalText.line(added.agent.name)
                Output.line("Added agent \(shown) for \(TerminalText.line(added.agent.queuesDescription)).")
                Output.line("Their secret (shown only now; the store keeps a hash of it): \(added.secret)")
                Output.line("They start work with: CONCIERGE_AGENT_SECRET=\(added.secret) concierge agent --name \(shown)")
            }
        }
    }

    /// `concierge agents list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The agents and their queues (never their secrets).")

        @Flag(help: "Print a JSON array.")
        var json = false

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.open()
            let agents = try blocking { try await store.agents() }
            if json {
                Output.line(HandoffFormatter.json(agents.map(AgentListing.init)))
            } else if agents.isEmpty {
                Output.line("No agents yet: `concierge agents add NAME --queues QUEUE,…` adds one.")
            } else {
                let width = max(5, agents.map { TerminalText.line($0.name).count }.max() ?? 0)
                Output.line("NAME".padding(toLength: width + 2, withPad: " ", startingAt: 0) + "QUEUES")
                for agent in agents {
                    let name = TerminalText.line(agent.name)
                    Output.line(name.padding(toLength: width + 2, withPad: " ", startingAt: 0) + TerminalText.line(agent.queuesDescription))
                }
            }
        }
    }

    /// `concierge agents remove NAME`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove an agent: their secret stops working.",
            discussion: """
                Their secret stops working at once for every new command; a console of theirs already \
                running keeps its session until it quits. Handoffs they hold return to the queue when the \
                lease runs out; the audit log keeps their name.
                """)

        @Argument(help: "The agent's name.")
        var name: String

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.open()
            let roster = AgentRoster(store: store, time: SystemTime())
            let (name, keyring) = (name, storeOptions.keyring())
            guard try blocking({ try await roster.remove(name: name, keyring: keyring) }) else {
                Output.error("concierge: there is no agent \(TerminalText.line(name)); `concierge agents list` shows them")
                throw ExitCode(1)
            }
            Output.line("Removed agent \(TerminalText.line(name)).")
        }
    }

    /// `concierge agents reset NAME`.
    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Give an agent a new secret and print it (once); the old one stops working.")

        @Argument(help: "The agent's name.")
        var name: String

        @Flag(help: "Print a JSON object (name, queues, secret).")
        var json = false

        @OptionGroup var storeOptions: StoreOptions

        func run() throws {
            let store = try storeOptions.open()
            let roster = AgentRoster(store: store, time: SystemTime())
            let (name, keyring) = (name, storeOptions.keyring())
            let reset = try blocking { () -> (AgentRecord, String)? in
                guard let secret = try await roster.reset(name: name, keyring: keyring), let agent = try await store.agent(named: name) else {
                    return nil
                }
                return (agent, secret)
            }
            guard let (agent, secret) = reset else {
                Output.error("concierge: there is no agent \(TerminalText.line(name)); `concierge agents add \(TerminalText.line(name)) --queues QUEUE,…` adds one")
                throw ExitCode(1)
            }
            if json {
                Output.line(HandoffFormatter.json(AgentSecretDocument(name: agent.name, queues: agent.queues, secret: secret)))
            } else {
                Output.line("New secret for \(TerminalText.line(agent.name)) (shown only now): \(secret)")
            }
        }
    }
}

/// `agents add --json` and `agents reset --json`: the agent and their new secret.
struct AgentSecretDocument: Encodable {
    let name: String
    /// Nil (JSON null) for every queue.
    let queues: [String]?
    let secret: String

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(queues, forKey: .queues)
        try container.encode(secret, forKey: .secret)
    }

    enum CodingKeys: String, CodingKey { case name, queues, secret }
}

/// One agent in `agents list --json`: no salt, no hash.
struct AgentListing: Encodable {
    let name: String
    /// Nil (JSON null) for every queue.
    let queues: [String]?
    let createdAt: Date
    let updatedAt: Date

    init(_ agent: AgentRecord) {
        (name, queues, createdAt, updatedAt) = (agent.name, agent.queues, agent.createdAt, agent.updatedAt)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(queues, forKey: .queues)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }

    enum CodingKeys: String, CodingKey { case name, queues, createdAt, updatedAt }
}
