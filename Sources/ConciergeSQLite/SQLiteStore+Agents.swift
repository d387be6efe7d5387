public import ConciergeStore
public import Foundation
import GRDB

/// A row of the `agent` table: one agent, its queues and the salted hash of its secret.
struct AgentRow: StoreRow, PersistableRecord {
    static let databaseTableName = "agent"

    var name: String
    var queues: [String]?
    var salt: String
    var secretHash: String
    var createdAt: Date
    var updatedAt: Date

    enum Columns {
        static let name = Column(CodingKeys.name)
    }
}

extension AgentRow {
    init(_ record: AgentRecord) {
        self.init(
            name: record.name, queues: record.queues, salt: record.salt, secretHash: record.secretHash, createdAt: record.createdAt,
            updatedAt: record.updatedAt)
    }

    var record: AgentRecord {
        AgentRecord(name: name, queues: queues, salt: salt, secretHash: secretHash, createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension SQLiteStore {
    /// Inserts the agent; one statement (`INSERT OR IGNORE`), so two processes adding one name at
    /// once make one row and the other is told it exists.
    public func add(agent: AgentRecord) async throws {
        let added = try await write("add an agent") { db in
            try AgentRow(agent).insert(db, onConflict: .ignore)
            return db.changesCount > 0
        }
        if !added { throw StoreError.agentExists(agent.name) }
    }

    public func agent(named name: String) async throws -> AgentRecord? {
        try await read("read an agent") { db in try AgentRow.fetchOne(db, key: name)?.record }
    }

    public func agents() async throws -> [AgentRecord] {
        try await read("list agents") { db in try AgentRow.order(AgentRow.Columns.name).fetchAll(db).map(\.record) }
    }

    public func replaceSecret(ofAgent name: String, salt: String, secretHash: String, at: Date) async throws -> Bool {
        try await write("reset an agent's secret") { db in
            try db.execute(
                sql: "UPDATE agent SET salt = ?, secretHash = ?, updatedAt = ? WHERE name = ?",
                arguments: [salt, secretHash, at.databaseSeconds, name])
            return db.changesCount > 0
        }
    }

    public func removeAgent(named name: String) async throws -> Bool {
        try await write("remove an agent") { db in try AgentRow.deleteOne(db, key: name) }
    }
}
