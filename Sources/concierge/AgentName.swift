import ArgumentParser
import ConciergeEngine
import ConciergeStore
import Foundation

/// An agent's name as given on the command line: what customers and the audit log see, so it is
/// plain text of a sensible length.
enum AgentName {
    /// Throws a usage error naming `option` when `name` is empty, too long or holds control characters.
    static func validate(_ name: String, option: String) throws {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { throw ValidationError("\(option) needs a name, for example \(option) ana") }
        guard TerminalText.isSafe(name), name.count <= 64 else {
            throw ValidationError("\(option) must be plain text of at most 64 characters (no control characters), for example \(option) ana")
        }
    }

    /// Exits 2 when `skills` (a narrowing of the queues to take from) names a queue the agent does not work.
    static func checkSkills(_ skills: [String], of agent: AgentRecord) throws {
        guard let outside = skills.first(where: { !agent.works(in: $0) }) else { return }
        Output.error(
            "concierge: \(TerminalText.line(agent.name)) does not work the \(TerminalText.line(outside)) queue (theirs: \(TerminalText.line(agent.queuesDescription))); leave it out of --skills")
        throw ExitCode(2)
    }
}
