import Foundation
import GRDB

/// The store's tables, created and upgraded by named migrations applied in order. A migration, once
/// shipped, never changes: a new version of the schema is a new migration at the end.
enum Schema {
    /// `PRAGMA application_id` of a Concierge database ("Cncg"), so a file can be told apart from
    /// another program's SQLite database.
    static let applicationID: Int32 = 0x436E_6367

    /// The version number of a migration identifier ("v6: agents" → 6), or nil for another shape.
    static func version(_ identifier: String) -> Int? {
        guard identifier.hasPrefix("v"), let colon = identifier.firstIndex(of: ":") else { return nil }
        return Int(identifier[identifier.index(after: identifier.startIndex)..<colon])
    }

    static let migrator: DatabaseMigrator = {
        var migrator = DatabaseMigrator()

        migrator.registerMigration("v1: conversations and turns") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.create(table: "conversation") { t in
                t.primaryKey("id", .text)
                t.column("customerId", .text)
                t.column("startedAt", .double).notNull()
                t.column("updatedAt", .double).notNull()
                t.column("state", .jsonText).notNull()
            }
            try db.create(index: "conversation_byCustomer", on: "conversation", columns: ["customerId", "updatedAt"])

            try db.create(table: "turn") { t in
                t.autoIncrementedPrimaryKey("id")
                t.belongsTo("conversation", onDelete: .cascade).notNull()
                t.column("number", .integer).notNull()
                t.column("at", .double).notNull()
                t.column("customer", .text).notNull()
                t.column("reply", .text).notNull()
                t.column("action", .text).notNull()
                t.column("intent", .text)
                t.column("confidence", .double)
                t.column("articles", .jsonText).notNull()
                t.column("asked", .text)
                t.column("slots", .jsonText).notNull()
                t.column("handoffId", .text)
            }
        }

        migrator.registerMigration("v2: customers") { db in
            try db.create(table: "customer") { t in
                t.primaryKey("id", .text)
                t.column("name", .text)
                t.column("fields", .jsonText).notNull()
                t.column("updatedAt", .double).notNull()
            }
        }

        migrator.registerMigration("v3: handoff queue, messages, audit log, suggestions") { db in
            try db.create(table: "handoff") { t in
                t.autoIncrementedPrimaryKey("number")
                t.column("id", .text).notNull().unique()
                t.column("conversationId", .text).notNull().indexed()
                t.column("customerId", .text)
                t.column("reason", .text).notNull()
                t.column("queue", .text).notNull()
                t.column("priority", .integer).notNull()
                t.column("status", .text).notNull()
                    .check { ["queued", "claimed", "resolved", "returned"].contains($0) }
                t.column("summary", .text).notNull()
                t.column("sentiment", .text).notNull()
                t.column("slots", .jsonText).notNull()
                t.column("profile", .jsonText)
                t.column("transcript", .jsonText).notNull()
                t.column("suggestedArticles", .jsonText).notNull()
                t.column("createdAt", .double).notNull()
                t.column("dueAt", .double).notNull()
                t.column("claimedBy", .text)
                t.column("claimedAt", .double)
                t.column("leaseUntil", .double)
                t.column("firstResponseAt", .double)
                t.column("resolvedAt", .double)
                t.column("resolution", .text)
                t.column("promise", .text)
            }
            // Lists by status and queue; the next handoff to claim; leases to expire. The claim
            // statements spell `status = 'queued'` / `'claimed'` literally so the partial indexes apply.
            try db.create(index: "handoff_byStatus", on: "handoff", columns: ["status", "queue", "priority", "createdAt"])
            try db.create(
                index: "handoff_waiting", on: "handoff", columns: ["priority", "createdAt", "id"],
                condition: Column("status") == "queued")
            try db.create(
                index: "handoff_leased", on: "handoff", columns: ["leaseUntil"], condition: Column("status") == "claimed")

            try db.create(table: "handoffMessage") { t in
                t.column("handoffId", .text).notNull().references("handoff", column: "id", onDelete: .cascade)
                t.column("sequence", .integer).notNull()
                t.column("at", .double).notNull()
                t.column("sender", .text).notNull()
                t.column("author", .text).notNull()
                t.column("text", .text).notNull()
                t.primaryKey(["handoffId", "sequence"])
            }

            try db.create(table: "handoffEvent") { t in
                t.column("handoffId", .text).notNull().references("handoff", column: "id", onDelete: .cascade)
                t.column("sequence", .integer).notNull()
                t.column("at", .double).notNull()
                t.column("kind", .text).notNull()
                t.column("actor", .text).notNull()
                t.column("detail", .text).notNull()
                t.primaryKey(["handoffId", "sequence"])
            }

            try db.create(table: "suggestion") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("handoffId", .text).notNull().indexed().references("handoff", column: "id", onDelete: .cascade)
                t.column("text", .text).notNull()
                t.column("target", .text).notNull()
                t.column("agent", .text).notNull()
                t.column("createdAt", .double).notNull()
            }
        }
        migrator.registerMigration("v4: failed identity checks") { db in
            try db.create(table: "failedIdentityCheck") { t in
                t.column("key", .text).notNull()
                t.column("conversationId", .text).notNull()
                t.column("at", .double).notNull()
            }
            try db.create(index: "failedIdentityCheck_byKey", on: "failedIdentityCheck", columns: ["at", "key"])
        }
        migrator.registerMigration("v5: satisfaction") { db in
            // One row per conversation asked "how did we do?"; score NULL while unanswered. No foreign
            // key to the conversation: purge deletes the rows of conversations it deletes itself.
            try db.create(table: "satisfaction") { t in
                t.primaryKey("conversationId", .text)
                t.column("handoffId", .text)
                t.column("customerId", .text)
                t.column("agent", .text)
                t.column("queue", .text)
                t.column("intent", .text)
                t.column("askedAt", .double).notNull()
                t.column("score", .integer).check { $0 >= 1 && $0 <= 5 }
                t.column("comment", .text)
                t.column("answeredAt", .double)
            }
            // Reports read conversations by when they started.
            try db.create(index: "conversation_byStart", on: "conversation", columns: ["startedAt"])
        }
        migrator.registerMigration("v6: agents") { db in
            // Who may act on the queue: a name, its queues (JSON array; NULL for every queue) and the
            // salted SHA-256 of its secret, never the secret itself.
            try db.create(table: "agent") { t in
                t.primaryKey("name", .text)
                t.column("queues", .jsonText)
                t.column("salt", .text).notNull()
                t.column("secretHash", .text).notNull()
                t.column("createdAt", .double).notNull()
                t.column("updatedAt", .double).notNull()
            }
        }
        migrator.registerMigration("v7: maintenance") { db in
            // When each periodic task (the retention sweep) last ran, so only one process runs it.
            try db.create(table: "maintenance") { t in
                t.primaryKey("task", .text)
                t.column("lastRunAt", .double).notNull()
            }
        }
        return migrator
    }()
}
