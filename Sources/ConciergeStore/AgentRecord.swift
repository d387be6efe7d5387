public import Foundation

/// A support agent the store knows: who may act on the queue, in which queues, and how to check
/// that it is really them. The secret itself is never stored, only a salted hash of it.
///
/// ```swift
/// let ana = AgentRecord(name: "ana", queues: ["orders", "returns"], salt: salt, secretHash: hash, createdAt: now)
/// ana.works(in: "orders")   // true
/// ana.works(in: "billing")  // false
/// ```
public struct AgentRecord: Codable, Sendable, Hashable {
    /// The name customers and the audit log see; unique in the store.
    public var name: String
    /// The queues this agent may claim from and act in, sorted; nil for every queue.
    public var queues: [String]?
    /// Random bytes (hex) mixed into the hash, so two agents with one secret hash differently.
    public var salt: String
    /// The hex SHA-256 of the salt and the secret.
    public var secretHash: String
    public var createdAt: Date
    /// When the secret was last set (created or reset).
    public var updatedAt: Date

    public init(name: String, queues: [String]?, salt: String, secretHash: String, createdAt: Date, updatedAt: Date? = nil) {
        self.name = name
        self.queues = queues.map { Array(Set($0)).sorted() }
        self.salt = salt
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
    }

    /// True when the agent may act on handoffs in `queue`.
    public func works(in queue: String) -> Bool { queues?.contains(queue) ?? true }

    /// The queues as people read them: "orders, returns", or "every queue".
    public var queuesDescription: String { queues.map { $0.joined(separator: ", ") } ?? "every queue" }
}
