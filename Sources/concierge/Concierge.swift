import ArgumentParser

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
        subcommands: [Chat.self, Agent.self, Queue.self, Suggestions.self, Check.self, Replay.self, TranscriptCommand.self, Eval.self, Bench.self, BenchStore.self, Simulate.self],
        defaultSubcommand: Chat.self
    )
}
