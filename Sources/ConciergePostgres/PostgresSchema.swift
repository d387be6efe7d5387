// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
/// The store's tables, made and upgraded by numbered migrations. A migration, once shipped, never
/// changes: a new version of the schema is a new migration at the end of ``migrations``.
///
/// `schema_version` holds one row per applied migration. ``PostgresStore/migrate()`` applies the
/// missing ones in one transaction that first takes a transaction-level advisory lock, so two
/// processes starting at once on an empty database take turns: the second waits, then finds
/// everything applied.
///
/// The tables mirror the SQLite store's, with PostgreSQL types: dates are `timestamptz` (to the
/// microsecond), nested values `jsonb`, names snake_case. `handoff.message_count` and `event_count`
/// number each handoff's messages and audit entries: incrementing them locks the handoff's row, so
/// two processes posting to one handoff at once never pick the same sequence number.
enum PostgresSchema {
    /// One step of the schema: statements run in order, in the migration transaction.
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// The key of the advisory lock migrations hold (any number Concierge alone uses: "Cncg").
    static let lockKey: Int64 = 0x436E_6367

    /// Every migration, in order.
    static let migrations: [Migration] = [
        Migration(
            version: 1, name: "conversations, turns, customers, handoff queue, messages, audit log, suggestions",
            statements: [
                """
                CREATE TABLE conversation (
                    id text PRIMARY KEY,
                    customer_id text,
                    started_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL,
                    state jsonb NOT NULL
                )
                """,
                "CREATE INDEX conversation_by_customer ON conversation (customer_id, updated_at DESC, id DESC)",
                """
                CREATE TABLE turn (
                    id bigserial PRIMARY KEY,
                    conversation_id text NOT NULL REFERENCES conversation (id) ON DELETE CASCADE,
                    number integer NOT NULL,
                    at timestamptz NOT NULL,
                    customer text NOT NULL,
                    reply text NOT NULL,
                    action text NOT NULL,
                    intent text,
                    confidence double precision,
                    articles jsonb NOT NULL,
                    asked text,
                    slots jsonb NOT NULL,
                    handoff_id text
                )
                """,
                "CREATE INDEX turn_by_conversation ON turn (conversation_id, id)",
                """
                CREATE TABLE customer (
                    id text PRIMARY KEY,
                    name text,
                    fields jsonb NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """,
                """
                CREATE TABLE handoff (
                    number bigserial PRIMARY KEY,
                    id text NOT NULL UNIQUE,
                    conversation_id text NOT NULL,
                    customer_id text,
                    reason text NOT NULL,
                    queue text NOT NULL,
                    priority integer NOT NULL,
                    status text NOT NULL CHECK (status IN ('queued', 'claimed', 'resolved', 'returned')),
                    summary text NOT NULL,
                    sentiment text NOT NULL,
                    slots jsonb NOT NULL,
                    profile jsonb,
                    transcript jsonb NOT NULL,
                    suggested_articles jsonb NOT NULL,
                    created_at timestamptz NOT NULL,
                    due_at timestamptz NOT NULL,
                    claimed_by text,
                    claimed_at timestamptz,
                    lease_until timestamptz,
                    first_response_at timestamptz,
                    resolved_at timestamptz,
                    resolution text,
                    promise text,
                    message_count integer NOT NULL DEFAULT 0,
                    event_count integer NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX handoff_by_conversation ON handoff (conversation_id)",
                "CREATE INDEX handoff_by_status ON handoff (status, queue, priority, created_at)",
                // The next handoff to claim, and the leases to expire: the claim statements spell
                // status = 'queued' / 'claimed' literally so these partial indexes apply.
                "CREATE INDEX handoff_waiting ON handoff (priority, created_at, id) WHERE status = 'queued'",
                "CREATE INDEX handoff_leased ON handoff (lease_until) WHERE status = 'claimed'",
                """
                CREATE TABLE handoff_message (
                    handoff_id text NOT NULL REFERENCES handoff (id) ON DELETE CASCADE,
                    sequence integer NOT NULL,
                    at timestamptz NOT NULL,
                    sender text NOT NULL,
                    author text NOT NULL,
                    text text NOT NULL,
                    PRIMARY KEY (handoff_id, sequence)
                )
                """,
                """
                CREATE TABLE handoff_event (
                    handoff_id text NOT NULL REFERENCES handoff (id) ON DELETE CASCADE,
                    sequence integer NOT NULL,
                    at timestamptz NOT NULL,
                    kind text NOT NULL,
                    actor text NOT NULL,
                    detail text NOT NULL,
                    PRIMARY KEY (handoff_id, sequence)
                )
                """,
                """
                CREATE TABLE suggestion (
                    id bigserial PRIMARY KEY,
                    handoff_id text NOT NULL REFERENCES handoff (id) ON DELETE CASCADE,
                    text text NOT NULL,
                    target text NOT NULL,
                    agent text NOT NULL,
                    created_at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX suggestion_by_handoff ON suggestion (handoff_id)",
            ]),
        Migration(
            version: 2, name: "failed identity checks",
            statements: [
                """
                CREATE TABLE failed_identity_check (
                    key text NOT NULL,
                    conversation_id text NOT NULL,
                    at timestamptz NOT NULL
                )
                """,
                "CREATE INDEX failed_identity_check_by_key ON failed_identity_check (at, key)",
            ]),
        Migration(
            version: 3, name: "satisfaction",
            statements: [
                // One row per conversation asked "how did we do?"; score NULL while unanswered.
                """
                CREATE TABLE satisfaction (
                    conversation_id text PRIMARY KEY,
                    handoff_id text,
                    customer_id text,
                    agent text,
                    queue text,
                    intent text,
                    asked_at timestamptz NOT NULL,
                    score integer CHECK (score BETWEEN 1 AND 5),
                    comment text,
                    answered_at timestamptz
                )
                """,
                // Reports read conversations by when they started.
                "CREATE INDEX conversation_by_start ON conversation (started_at)",
            ]),
        Migration(
            version: 4, name: "agents",
            statements: [
                // Who may act on the queue: a name, its queues (NULL for every queue) and the salted
                // SHA-256 of its secret, never the secret itself. Agents are not database roles.
                """
                CREATE TABLE agent (
                    name text PRIMARY KEY,
                    queues jsonb,
                    salt text NOT NULL,
                    secret_hash text NOT NULL,
                    created_at timestamptz NOT NULL,
                    updated_at timestamptz NOT NULL
                )
                """
            ]),
        Migration(
            version: 5, name: "maintenance",
            statements: [
                // When each periodic task (the retention sweep) last ran, so only one process runs it.
                "CREATE TABLE maintenance (task text PRIMARY KEY, last_run_at timestamptz NOT NULL)"
            ]),
    ]

    /// The version this code writes: the last migration's.
    static var currentVersion: Int { migrations.last?.version ?? 0 }
}
#endif
