import ConciergeEngine

/// Why a store operation failed. Descriptions never include customer data.
public enum StoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// No handoff has this id.
    case handoffNotFound(String)
    /// The operation needs the agent to hold the handoff, and another agent (or nobody) does.
    case notHeld(id: String, holder: String?)
    /// The handoff is resolved or returned and cannot change.
    case closed(id: String, status: HandoffStatus)
    /// The store cannot be opened or used (a path, a permission, a server).
    case unavailable(String)
    /// The stored data is not what this version of Concierge expects.
    case corrupt(String)
    /// The store already has an agent with this name.
    case agentExists(String)

    public var description: String {
        switch self {
        case .handoffNotFound(let id): return "no handoff \(id); `concierge queue list` shows the queue"
        case .notHeld(let id, let holder):
            return holder.map { "handoff \(id) is held by \($0)" } ?? "handoff \(id) is not claimed; claim it first with `take \(id)`"
        case .closed(let id, let status): return "handoff \(id) is already \(status.rawValue)"
        case .unavailable(let reason): return "the store is unavailable: \(reason)"
        case .corrupt(let reason): return "the store holds unexpected data: \(reason)"
        case .agentExists(let name):
            return "the store already has an agent \(TerminalText.line(name)); `concierge agents reset \(TerminalText.line(name))` gives them a new secret"
        }
    }
}
