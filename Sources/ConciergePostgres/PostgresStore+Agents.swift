// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import ConciergeStore
public import Foundation
import PostgresNIO

/// The `agent` table's columns as the store selects them.
enum AgentColumns {
    static let select = "name, queues, salt, secret_hash, \(PostgresValues.epoch("created_at")), \(PostgresValues.epoch("updated_at"))"

    static func record(_ row: PostgresRow) throws -> AgentRecord {
        let row = RowReader(row)
        return AgentRecord(
            name: try row.string("name"), queues: try row.optionalJSON("queues"), salt: try row.string("salt"),
            secretHash: try row.string("secret_hash"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }
}

/// The agents who may act on the queue. Each write is one statement in a transaction of its own,
/// which is never run twice once its `COMMIT` was sent (see ``transaction(_:_:)``).
extension PostgresStore {
    /// Inserts the agent with `INSERT … ON CONFLICT (name) DO NOTHING`: two processes adding one name
    /// at once make one row, and the other is told it exists.
    public func add(agent: AgentRecord) async throws {
        let queues = try agent.queues.map { try PostgresValues.json($0) }
        let added = try await transaction("add an agent") { connection in
            try await !Self.rows(
                connection,
                """
                INSERT INTO agent (name, queues, salt, secret_hash, created_at, updated_at)
                VALUES (\(agent.name), \(queues)::jsonb, \(agent.salt), \(agent.secretHash), to_timestamp(\(agent.createdAt.seconds)),
                        to_timestamp(\(agent.updatedAt.seconds)))
                ON CONFLICT (name) DO NOTHING RETURNING name
                """
            ) { _ in () }.isEmpty
        }
        if !added { throw StoreError.agentExists(agent.name) }
    }

    public func agent(named name: String) async throws -> AgentRecord? {
        try await withConnection("read an agent") { connection in
            try await Self.rows(connection, "SELECT \(unescaped: AgentColumns.select) FROM agent WHERE name = \(name)", AgentColumns.record).first
        }
    }

    public func agents() async throws -> [AgentRecord] {
        try await withConnection("list agents") { connection in
            try await Self.rows(connection, "SELECT \(unescaped: AgentColumns.select) FROM agent ORDER BY name COLLATE \"C\"", AgentColumns.record)
        }
    }

    public func replaceSecret(ofAgent name: String, salt: String, secretHash: String, at: Date) async throws -> Bool {
        try await transaction("reset an agent's secret") { connection in
            try await !Self.rows(
                connection,
                """
                UPDATE agent SET salt = \(salt), secret_hash = \(secretHash), updated_at = to_timestamp(\(at.seconds))
                WHERE name = \(name) RETURNING name
                """
            ) { _ in () }.isEmpty
        }
    }

    public func removeAgent(named name: String) async throws -> Bool {
        try await transaction("remove an agent") { connection in
            try await !Self.rows(connection, "DELETE FROM agent WHERE name = \(name) RETURNING name") { _ in () }.isEmpty
        }
    }
}
#endif
