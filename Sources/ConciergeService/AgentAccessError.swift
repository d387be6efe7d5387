import ConciergeEngine

/// Why an agent may not act. Each message is one line that says what to type instead; none repeats
/// a secret.
public enum AgentAccessError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The store has no agent of this name, and it is a shared store, where only an operator adds agents.
    case unknownAgent(String)
    /// The agent exists and no secret was given.
    case secretMissing(String)
    /// The secret given is not this agent's.
    case secretWrong(String)
    /// The handoff is in a queue the agent does not work.
    case otherQueue(agent: String, id: String, queue: String, agentQueues: String)

    public var description: String {
        switch self {
        case .unknownAgent(let name):
            let name = TerminalText.line(name)
            return "this store has no agent \(name); an operator adds one with `concierge agents add \(name) --queues QUEUE,…` (`concierge agents list` shows who exists)"
        case .secretMissing(let name):
            let name = TerminalText.line(name)
            return "agent \(name) needs their secret: set CONCIERGE_AGENT_SECRET=SECRET (or pass --secret SECRET), the one `concierge agents add` or `concierge agents reset \(name)` printed"
        case .secretWrong(let name):
            let name = TerminalText.line(name)
            return "that is not agent \(name)'s secret; set CONCIERGE_AGENT_SECRET to the one `concierge agents add` or `concierge agents reset \(name)` printed"
        case .otherQueue(let agent, let id, let queue, let agentQueues):
            return "\(TerminalText.line(id)) is in the \(TerminalText.line(queue)) queue, and \(TerminalText.line(agent)) works \(TerminalText.line(agentQueues)); it is left for an agent of \(TerminalText.line(queue)) (`concierge agents list` shows who)"
        }
    }
}
