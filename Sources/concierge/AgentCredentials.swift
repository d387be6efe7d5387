import ArgumentParser
import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation

/// How a command that acts as an agent proves who it is: `--secret`, or `CONCIERGE_AGENT_SECRET`
/// (which `ps` does not show), or, on a store the user alone can open, nothing (see ``StoreTrust``).
struct AgentCredentials: ParsableArguments {
    /// The environment variable that holds the agent's secret.
    static let environmentVariable = "CONCIERGE_AGENT_SECRET"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The agent's secret, as `concierge agents add` or `agents reset` printed it (better: set CONCIERGE_AGENT_SECRET, which other users' ps does not show). Not needed on a store only you can open.",
            valueName: "secret"))
    var secret: String?

    /// The agent `name` once the secret is theirs, enrolling them on a store the user alone can open;
    /// otherwise prints one line saying what to type and exits 2, having changed nothing.
    func login(_ name: String, store: any SupportStore, options: StoreOptions) throws -> AgentRecord {
        let secret = secret ?? ProcessInfo.processInfo.environment[Self.environmentVariable]
        let keyring = options.keyring()
        let roster = AgentRoster(store: store, time: SystemTime())
        do {
            let (agent, enrolled) = try blocking { try await roster.authenticate(name: name, secret: secret, keyring: keyring) }
            if enrolled, let keyring {
                Output.error(
                    "concierge: enrolled agent \(TerminalText.line(agent.name)) for every queue of this store, which only you can open; the secret is kept in \(keyring.path) (`concierge agents` manages agents)")
            }
            return agent
        } catch let error as AgentAccessError {
            Output.error("concierge: \(error)")
            throw ExitCode(2)
        } catch let error as KeyFileError {
            Output.error("concierge: \(error)")
            throw ExitCode(2)
        }
    }
}
