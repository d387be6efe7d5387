public import ConciergeStore
import Foundation
import GRDB

/// The embedded store: conversations, customers and the handoff queue in one SQLite file.
///
/// ```swift
/// let store = try SQLiteStore(path: ".concierge/concierge.sqlite")
/// try await store.record(turn: turn, conversation: conversation)
/// if case .claimed(let handoff) = try await store.claim(id: nil, agent: "ana", queues: ["orders"], now: .now, lease: 300) {
///     print(handoff.summary)
/// }
/// ```
///
/// It behaves as `MemoryStore` does (the behavioural tests in `ConciergeStoreTests` run against
/// both), except that foreign keys make it refuse a turn of a conversation that was never saved and
/// a suggestion for a handoff that does not exist. It adds what a file gives:
///
/// - **Several processes on one file.** The database is in WAL mode: readers never wait, one writer
///   at a time, and a writer that finds the file locked waits up to 10 seconds before failing. Every
///   operation that writes more than one row runs in one `BEGIN IMMEDIATE` transaction, and a claim
///   is one conditional `UPDATE … WHERE status = 'queued' RETURNING *`: two agents (or two
///   `concierge` processes) claiming at once never get the same handoff.
/// - **Durability.** `PRAGMA synchronous = NORMAL` in WAL mode: a killed or crashed process loses
///   nothing it committed; only a power cut or an OS crash can lose the last transactions before a
///   checkpoint, and never corrupts the file.
/// - **Upgrades.** The schema is made by named migrations applied in order at open; a file written
///   by a newer Concierge, or one that is not a Concierge database, is refused with
///   `StoreError.corrupt` instead of being changed.
///
/// - **Read-only files.** A file this user may read but not write (mode 0400, or a read-only
///   folder) is opened for reading only: the queue can be listed and shown, nothing is migrated or
///   chmod-ed, and a write fails saying the file cannot be written (``isReadOnly``).
/// - **Damage.** A damaged file is refused on open, before anything writes to it (``checkIntegrity(path:)``).
///
/// Failures of SQLite itself (a locked, read-only or full disk...) are thrown as
/// `StoreError.unavailable`, with a message naming the file and what to do; messages never
/// include customer data.
public final class SQLiteStore: SupportStore {
    /// The file, or a description of the in-memory database, for messages.
    let location: String
    let writer: any DatabaseWriter
    /// The file's identity when it was opened (nil in memory): a write is confirmed only while the
    /// path still names that file, so a store deleted or replaced under a running chat is reported,
    /// not written into a file nobody will read.
    private let identity: FileIdentity?
    /// True when this user may read the file but not write it: the store was opened for reading
    /// only, and every write fails.
    public let isReadOnly: Bool

    /// Opens the store in the SQLite file at `path`, creating the file and its folders if needed, and
    /// brings its schema up to date.
    ///
    /// ```swift
    /// let store = try SQLiteStore(path: ".concierge/concierge.sqlite")
    /// ```
    ///
    /// Any number of stores, in this process or others, may open the same file at once.
    ///
    /// - Parameter path: The database file. Its folder is created when missing.
    /// - Throws: `StoreError.unavailable` when the folder or file cannot be created or opened;
    ///   `StoreError.corrupt` when the file is not a Concierge database, is damaged (see
    ///   ``checkIntegrity(path:)``), or was written by a newer version of Concierge.
    public convenience init(path: String) throws {
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            // Personal data at rest: a folder only its owner can enter, files only its owner can read.
            if !FileManager.default.fileExists(atPath: folder.path) {
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } else if folder.lastPathComponent == ".concierge" {
                // Our own folder, made open by an earlier version: close it to others (never someone
                // else's folder, and never give the owner a permission they took away).
                var status = stat()
                if stat(folder.path, &status) == 0, status.st_mode & 0o077 != 0 { chmod(folder.path, status.st_mode & 0o700) }
            }
        } catch {
            throw StoreError.unavailable(
                "cannot create the folder \(folder.path) for the store \(path); check the permissions, or give another path")
        }
        if FileManager.default.fileExists(atPath: path), access(path, W_OK) != 0 || access(folder.path, W_OK) != 0 {
            try self.init(readOnlyAt: path)
            return
        }
        let writer: any DatabaseWriter
        do {
            let previous = umask(0o077)
            defer { umask(previous) }
            try Self.checkIntegrity(path: path)
            writer = try DatabasePool(path: path, configuration: Self.configuration())
        } catch {
            throw Self.storeError(error, location: path, doing: "open the store")
        }
        for file in [path, path + "-wal", path + "-shm"] { chmod(file, 0o600) }
        try self.init(writer: writer, location: path, identity: FileIdentity(path: path), isReadOnly: false)
    }

    /// Opens a store this user may read but not write (the file is 0400, or its folder read-only),
    /// for reading only: nothing is migrated or changed (not even a file mode), and every write fails
    /// with `StoreError.unavailable` saying the file cannot be written. A folder where SQLite cannot
    /// make its `-shm` file is read as an immutable file.
    ///
    /// - Throws: `StoreError.unavailable` when the store needs a migration, which only a writable
    ///   file can take; as ``init(path:)`` otherwise.
    private convenience init(readOnlyAt path: String) throws {
        var configuration = Self.configuration()
        configuration.readonly = true
        let writer: DatabaseQueue
        do {
            try Self.checkIntegrity(path: path)
            do {
                let reader = try DatabaseQueue(path: path, configuration: configuration)
                _ = try reader.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") }
                writer = reader
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CANTOPEN || error.resultCode == .SQLITE_READONLY {
                let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
                writer = try DatabaseQueue(path: "file:\(encoded)?immutable=1", configuration: configuration)
            }
        } catch {
            throw Self.storeError(error, location: path, doing: "open the store")
        }
        try self.init(writer: writer, location: path, identity: FileIdentity(path: path), isReadOnly: true)
    }

    /// A store in memory, empty, for tests: the same schema and SQL as a file store, without WAL.
    ///
    /// ```swift
    /// let store = try SQLiteStore.inMemory()
    /// ```
    public static func inMemory() throws -> SQLiteStore {
        let location = "the in-memory database"
        do {
            return try SQLiteStore(writer: DatabaseQueue(configuration: configuration()), location: location, identity: nil, isReadOnly: false)
        } catch {
            throw storeError(error, location: location, doing: "open the store")
        }
    }

    private init(writer: any DatabaseWriter, location: String, identity: FileIdentity?, isReadOnly: Bool) throws {
        self.writer = writer
        self.location = location
        self.identity = identity
        self.isReadOnly = isReadOnly
        do {
            try Self.prepare(writer, location: location, readOnly: isReadOnly)
        } catch {
            throw Self.storeError(error, location: location, doing: "open the store")
        }
    }

    /// Every connection: wait up to 10 s for a lock held by another connection or process, enforce
    /// foreign keys, and `synchronous = NORMAL` (in WAL mode a killed process loses nothing committed).
    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "ConciergeSQLite"
        configuration.busyMode = .timeout(10)
        configuration.foreignKeysEnabled = true
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        return configuration
    }

    /// Checks that the database is empty or a Concierge database no newer than this code, then
    /// applies the migrations it lacks.
    private static func prepare(_ writer: any DatabaseWriter, location: String, readOnly: Bool) throws {
        let (applicationID, tables, applied) = try writer.read { db in
            let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            let applied = try tables.contains("grdb_migrations") ? Schema.migrator.appliedIdentifiers(db) : []
            return (applicationID, tables, applied)
        }
        if applicationID != Schema.applicationID && !(applicationID == 0 && tables.isEmpty) {
            throw StoreError.corrupt(
                "\(location) is not a Concierge database (it is another program's SQLite file); give another path")
        }
        // Newer only when a migration this code does not know has a higher version than its last.
        let unknown = Set(applied).subtracting(Schema.migrator.migrations)
        if !unknown.isEmpty {
            let known = Schema.migrator.migrations.compactMap(Schema.version).max() ?? 0
            if let newest = unknown.compactMap(Schema.version).max(), newest > known {
                throw StoreError.corrupt(
                    "\(location) was written by a newer version of Concierge (schema v\(newest), this one knows v\(known)); upgrade concierge to use it")
            }
            throw StoreError.corrupt(
                "\(location) has schema changes this Concierge never made (\(unknown.sorted().joined(separator: ", "))); restore a backup, or give another path")
        }
        if readOnly {
            guard !applied.isEmpty else {
                throw StoreError.unavailable(
                    "\(location) looks empty to this user, who may not write it: its -wal or -shm file may be someone else's; open it as its owner")
            }
            guard try writer.read(Schema.migrator.hasCompletedMigrations) else {
                throw StoreError.unavailable(
                    "\(location) is read-only here and was written by an older Concierge; open it once with write access so this version can upgrade it")
            }
            return
        }
        // Another process may be migrating the same new file: then our migration fails (its tables
        // exist) and the next attempt finds it applied.
        for attempt in 1...3 {
            do {
                try Schema.migrator.migrate(writer)
                return
            } catch is DatabaseError where attempt < 3 {
                if try writer.read(Schema.migrator.hasCompletedMigrations) { return }
            }
        }
    }

    // MARK: - Running statements

    /// Runs `body` in one `BEGIN IMMEDIATE` transaction, mapping failures to ``StoreError``.
    func write<T: Sendable>(_ action: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        let result: T
        do {
            result = try await writer.write(body)
        } catch {
            throw Self.storeError(error, location: location, doing: action)
        }
        if let identity, FileIdentity(path: location) != identity {
            throw StoreError.unavailable(
                "the store file \(location) was removed or replaced while Concierge was running, so nothing more can be saved in it; restart with the store in place")
        }
        return result
    }

    /// Runs `body` on a snapshot of the database, mapping failures to ``StoreError``.
    func read<T: Sendable>(_ action: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw Self.storeError(error, location: location, doing: action)
        }
    }
}

/// Which file a path names (device and inode), to notice a file deleted or replaced under us.
struct FileIdentity: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64

    /// The identity of the file at `path`, or nil when there is none.
    init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
    }
}
