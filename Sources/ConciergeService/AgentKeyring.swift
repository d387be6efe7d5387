import Foundation
import Synchronization

/// Where a store its owner alone can open keeps the secrets of the agents Concierge enrolled in it
/// by itself (the owner is trusted there: see ``AgentRoster/authenticate(name:secret:keyring:)``).
/// The command-line tool keeps them in a 0600 file beside the SQLite file; tests use ``MemoryKeyring``.
public protocol AgentKeyring: Sendable {
    /// The secret kept for `name`, or nil.
    func secret(for name: String) throws -> String?

    /// Keeps `secret` for `name`, or forgets the name when `secret` is nil.
    func keep(_ secret: String?, for name: String) throws

    /// Runs `body` while no other process enrols through this keyring: two consoles started at once
    /// for the same new name make one agent and keep one secret.
    func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T
}

/// A keyring in memory, for tests.
public final class MemoryKeyring: AgentKeyring {
    private let secrets = Mutex<[String: String]>([:])

    public init() {}

    public func secret(for name: String) throws -> String? { secrets.withLock { $0[name] } }

    public func keep(_ secret: String?, for name: String) throws { secrets.withLock { $0[name] = secret } }

    public func exclusively<T: Sendable>(_ body: () async throws -> T) async throws -> T { try await body() }
}
