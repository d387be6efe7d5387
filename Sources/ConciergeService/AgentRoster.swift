import ConciergeEngine
public import ConciergeStore
import Foundation

/// The agents of a store: adding, listing, removing and resetting them, and checking that whoever
/// acts as an agent is that agent.
///
/// ```swift
/// let roster = AgentRoster(store: store, time: SystemTime())
/// let (ana, secret) = try await roster.add(name: "ana", queues: ["orders", "returns"])
/// print("give ana this secret: \(secret)")
/// let who = try await roster.authenticate(name: "ana", secret: secret, keyring: nil)
/// let desk = AgentDesk(store: store, agent: who, time: SystemTime())
/// ```
///
/// **Trust.** On a shared store (PostgreSQL, or a SQLite file others can open) an agent acts only
/// with their secret, and only an operator adds agents. On a store its owner alone can open, the
/// caller passes a keyring: there the owner is trusted, since they could change the file anyway, so
/// a name the store does not know is enrolled for every queue with a new secret kept in the
/// keyring, and an agent whose secret the keyring keeps needs to type none.
public struct AgentRoster: Sendable {
    public let store: any SupportStore
    public let time: any TimeSource
    public let source: any SecretSource

    public init(store: any SupportStore, time: any TimeSource, source: any SecretSource = SystemSecretSource()) {
        self.store = store
        self.time = time
        self.source = source
    }

    /// Adds an agent who works `queues` (nil: every queue) and returns them with their new secret,
    /// which is stored only as a salted hash: show it once.
    ///
    /// - Throws: `StoreError.agentExists` when the name is taken.
    public func add(name: String, queues: [String]?) async throws -> (agent: AgentRecord, secret: String) {
        let secret = AgentSecret.make(from: source)
        let (salt, hash) = AgentSecret.hashed(secret, source: source)
        let agent = AgentRecord(
            name: StorableText.clean(name), queues: queues?.map { StorableText.clean($0) }, salt: salt, secretHash: hash, createdAt: time.now())
        try await store.add(agent: agent)
        return (agent, secret)
    }

    /// Every agent, by name.
    public func list() async throws -> [AgentRecord] { try await store.agents() }

    /// Removes the agent (and their kept secret); false when there was none.
    public func remove(name: String, keyring: (any AgentKeyring)? = nil) async throws -> Bool {
        let removed = try await store.removeAgent(named: name)
        try keyring?.keep(nil, for: name)
        return removed
    }

    /// Gives the agent a new secret (the old one stops working at once) and returns it; nil when
    /// there is no such agent. A keyring that kept the old secret keeps the new one.
    public func reset(name: String, keyring: (any AgentKeyring)? = nil) async throws -> String? {
        let secret = AgentSecret.make(from: source)
        let (salt, hash) = AgentSecret.hashed(secret, source: source)
        guard try await store.replaceSecret(ofAgent: name, salt: salt, secretHash: hash, at: time.now()) else { return nil }
        if let keyring, try keyring.secret(for: name) != nil { try keyring.keep(secret, for: name) }
        return secret
    }

    /// The agent `name`, once `secret` (or, without one, the secret `keyring` keeps) is theirs.
    ///
    /// With a `keyring` (a store its owner alone can open), a name the store does not know is
    /// enrolled for every queue, and its new secret kept in the keyring; `enrolled` is then true.
    ///
    /// - Throws: ``AgentAccessError`` when the name is unknown on a shared store, or the secret is
    ///   missing or wrong. Nothing is written then.
    public func authenticate(name: String, secret: String?, keyring: (any AgentKeyring)?) async throws -> (agent: AgentRecord, enrolled: Bool) {
        let name = StorableText.clean(name)
        let given = secret?.trimmingCharacters(in: .whitespacesAndNewlines).nilIfBlank
        if let agent = try await store.agent(named: name) {
            return (try check(agent, secret: given ?? keyring?.secret(for: name)), false)
        }
        guard let keyring, given == nil else { throw AgentAccessError.unknownAgent(name) }
        return try await keyring.exclusively {
            // Another process may have enrolled the name while this one waited for the keyring.
            if let agent = try await store.agent(named: name) { return (try check(agent, secret: keyring.secret(for: name)), false) }
            let (agent, secret) = try await add(name: name, queues: nil)
            do {
                try keyring.keep(secret, for: name)
            } catch {
                _ = try? await store.removeAgent(named: name)
                throw error
            }
            return (agent, true)
        }
    }

    private func check(_ agent: AgentRecord, secret: String?) throws -> AgentRecord {
        guard let secret else { throw AgentAccessError.secretMissing(agent.name) }
        guard AgentSecret.matches(secret, salt: agent.salt, hash: agent.secretHash) else { throw AgentAccessError.secretWrong(agent.name) }
        return agent
    }
}

extension String {
    fileprivate var nilIfBlank: String? { isEmpty ? nil : self }
}
