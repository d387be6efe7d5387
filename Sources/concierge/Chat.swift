import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import Foundation
import Rainbow

extension Concierge {
    /// `concierge chat`: the customer's side, in a terminal or over a pipe.
    struct Chat: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Chat with the bot (the default command).",
            discussion: """
                On a terminal: line editing and history (GNU readline), Tab completes /commands, Ctrl-C clears \
                the line, Ctrl-D ends. Type /help for the commands.
                When standard input is not a terminal: one customer message per line, no prompt or banner; \
                with --jsonl one JSON object per message on standard output.
                """)

        @OptionGroup var knowledgeOptions: KnowledgeOptions

        @Flag(name: .long, help: "Print one JSON object per customer message (for scripts and tests).")
        var jsonl = false

        @Option(name: .long, help: ArgumentHelp("The store: a SQLite file path or a postgres:// URL.", valueName: "path|url"))
        var store: String?

        @Option(name: .long, help: ArgumentHelp("The customer's id, for returning customers.", valueName: "id"))
        var customer: String?

        func run() throws {
            let loaded = try knowledgeOptions.load()
            let knowledge = loaded.knowledge
            // Train while the customer reads the welcome and types: the prompt appears at once.
            let engine = BackgroundValue { Engine(knowledge: knowledge) }
            var session = ChatSession(engine: engine, customerID: customer)
            if Output.stdinIsTerminal {
                session.runInteractive(jsonl: jsonl, settings: knowledge.settings)
            } else {
                while let line = readLine(strippingNewline: true) {
                    let turn = session.send(line.hasSuffix("\r") ? String(line.dropLast()) : line)
                    Output.line(jsonl ? TurnJSON.line(for: turn) : turn.reply)
                }
            }
        }
    }
}

/// One customer's conversation with the engine, and the REPL around it.
struct ChatSession {
    private let pendingEngine: BackgroundValue<Engine>
    var state: ConversationState
    var lastTurn: Turn?

    init(engine: BackgroundValue<Engine>, customerID: String?) {
        self.pendingEngine = engine
        self.state = ConversationState(id: "conversation-1", customerID: customerID)
    }

    /// The engine (waits for training to finish the first time).
    var engine: Engine { pendingEngine.value }

    /// Sends one customer message and returns the bot's turn.
    mutating func send(_ message: String) -> Turn {
        let turn = engine.respond(to: message, in: &state)
        lastTurn = turn
        return turn
    }

    static let commands: [(name: String, help: String)] = [
        ("/help", "show these commands"),
        ("/why", "explain the last reply: what matched, the scores, the runner-up"),
        ("/reset", "start a new conversation"),
        ("/quit", "end the chat (Ctrl-D works too)"),
    ]

    /// The readline REPL.
    mutating func runInteractive(jsonl: Bool, settings: Settings) {
        let history = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".concierge_history").path
        let editor = LineEditor(programName: "concierge", historyFile: history, completions: Self.commands.map(\.name))
        Output.line(("\(settings.assistantName): ").cyan.bold + settings.fill(settings.texts.welcome))
        while true {
            guard case .line(let line) = editor.read(prompt: "you › ") else {
                Output.line("")
                Output.line(settings.fill(settings.texts.goodbye).dim)
                return
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("/") {
                if !command(trimmed, settings: settings) { return }
                continue
            }
            let turn = send(line)
            if jsonl {
                Output.line(TurnJSON.line(for: turn))
            } else {
                Output.line(("\(settings.assistantName): ").cyan.bold + turn.reply)
            }
        }
    }

    /// Runs a slash command; false ends the chat.
    mutating func command(_ line: String, settings: Settings) -> Bool {
        let word = line.split(separator: " ").first.map(String.init) ?? line
        switch word {
        case "/quit", "/exit", "/q":
            Output.line(settings.fill(settings.texts.goodbye).dim)
            return false
        case "/help", "/?":
            for command in Self.commands { Output.line("  \(command.name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(command.help)") }
        case "/why":
            guard let turn = lastTurn else {
                Output.line("Nothing to explain yet: say something first.".dim)
                return true
            }
            Output.line(WhyFormatter.describe(turn))
        case "/reset":
            state = ConversationState(id: state.id, customerID: state.customerID)
            lastTurn = nil
            Output.line("Started a new conversation.".dim)
        default:
            Output.line("Unknown command \(word). Type /help for the commands.".yellow)
        }
        return true
    }
}
