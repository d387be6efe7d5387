import ArgumentParser
import Foundation

/// `concierge`: a rule-based customer-support chatbot with human handoff.
@main
struct Concierge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "concierge",
        abstract: "A customer-support chatbot that answers from your knowledge base and hands off to people.",
        discussion: """
            With no subcommand, `concierge` starts a chat on the knowledge base in ./knowledge.
            Run `concierge check` after editing knowledge/, and `concierge replay` before you ship it.
            """,
        subcommands: [Chat.self, Agent.self, Agents.self, Queue.self, Suggestions.self, Forget.self, Purge.self, ReportCommand.self, Check.self, Compile.self, Replay.self, TranscriptCommand.self, Eval.self, Bench.self, BenchStore.self, Simulate.self],
        defaultSubcommand: Chat.self
    )

    /// Runs the command line. Bad usage (a wrong option or value) exits 2 with one line saying what
    /// to type instead, as every other unreadable input does; `--help` and `--version` still exit 0.
    static func main() {
        // A reader that goes away (`concierge chat --jsonl | head -1`) must not stop the chat halfway:
        // every line it was given is still answered and stored; only the printing fails.
        signal(SIGPIPE, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                let text = message(for: error).trimmingCharacters(in: .whitespacesAndNewlines)
                FileHandle.standardError.write(Data("concierge: \(text) (`concierge help COMMAND` lists the options)\n".utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
