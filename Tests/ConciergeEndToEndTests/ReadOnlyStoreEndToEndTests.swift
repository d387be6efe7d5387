import ConciergeSQLite
import Foundation
import Testing

/// Issue 13 (9c): a store this user may read but not write still lists its queue, and is left as it
/// was. Runs the binary as `nobody` when the tests run as root (root may write any file).
@Suite(.serialized) struct ReadOnlyStoreEndToEndTests {
    /// Runs `concierge ARGUMENTS` as the owner of `store`'s folder: `nobody` under root, else this user.
    static func runAsOwner(_ arguments: [String], store: String) throws -> ConciergeProcess.Result {
        guard geteuid() == 0 else { return try ConciergeProcess.run(arguments, environment: ["CONCIERGE_STORE": store]) }
        return try ConciergeProcess.run(
            ["--reuid=65534", "--regid=65534", "--clear-groups", ConciergeProcess.binary.path] + arguments,
            directory: URL(fileURLWithPath: "/"), environment: ["CONCIERGE_STORE": store, "HOME": "/"],
            executable: URL(fileURLWithPath: "/usr/bin/setpriv"))
    }

    /// A store holding one queued handoff, in a folder of its own owned by the user `runAsOwner` runs
    /// as; with `checkpointed`, its write-ahead log folded into the file and gone, as a clean close leaves it.
    static func storeWithAHandoff(checkpointed: Bool) throws -> (folder: String, store: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-readonly-\(UUID().uuidString)").path
        let store = folder + "/store.sqlite"
        #expect(try ConciergeProcess.run(["chat"], input: "agent\n", environment: ["CONCIERGE_STORE": store]).status == 0)
        if checkpointed {
            // The last connection to close folds the log into the file and deletes it.
            _ = try SQLiteStore(path: store)
            #expect(!FileManager.default.fileExists(atPath: store + "-wal"))
        }
        if geteuid() == 0 {
            for path in [folder, store, store + "-wal", store + "-shm"] { chown(path, 65534, 65534) }
        }
        return (folder, store)
    }

    @Test(arguments: ["file 0400", "folder 0500", "folder 0500, no -wal"])
    func aReadOnlyStoreStillListsItsQueue(_ how: String) throws {
        let (folder, store) = try Self.storeWithAHandoff(checkpointed: how.hasSuffix("no -wal"))
        defer {
            chmod(folder, 0o700)
            try? FileManager.default.removeItem(atPath: folder)
        }
        if how == "file 0400" { chmod(store, 0o400) } else { chmod(folder, 0o500) }
        let before = try Data(contentsOf: URL(fileURLWithPath: store))
        let modes = try (FileManager.default.attributesOfItem(atPath: store)[.posixPermissions] as? Int, FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int)

        let listed = try Self.runAsOwner(["queue", "list", "--json"], store: store)
        #expect(listed.status == 0, "\(how): \(listed.stderr)")
        let list = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(list.map { $0["id"] as? String } == ["H-000001"])
        let shown = try Self.runAsOwner(["queue", "show", "H-000001"], store: store)
        #expect(shown.status == 0, "\(how): \(shown.stderr)")

        // A write is refused with a clear message, and nothing about the file changes.
        let claim = try Self.runAsOwner(["queue", "claim", "H-000001", "--agent", "ana"], store: store)
        #expect(claim.status != 0)
        #expect(claim.stderr.contains("store.sqlite"), "\(claim.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store)) == before)
        let after = try (FileManager.default.attributesOfItem(atPath: store)[.posixPermissions] as? Int, FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int)
        #expect(after == modes, "the file's and folder's modes are left as they were")
    }
}
