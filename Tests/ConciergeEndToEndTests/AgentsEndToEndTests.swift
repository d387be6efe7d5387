import Foundation
import Testing

/// Issue 13 (5), "agents are whoever they say", through the real binary: on a shared store an agent
/// acts only with their secret and only in their queues; on a store only its owner can open, the
/// README's two-terminal demo needs no extra step.
@Suite(.serialized) struct AgentsEndToEndTests {
    /// True when the tests may give a file to another user (they run as root, as CI does).
    static let canMakeSharedStores = geteuid() == 0

    /// A store holding one queued handoff (H-000001, queue general) that belongs to another user
    /// (`nobody`), as an operator's store the agents can open: a shared store.
    static func sharedStore() throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-shared-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        let store = folder.appendingPathComponent("store.sqlite").path
        #expect(try run(["chat"], store: store, input: "agent\n").status == 0)
        for file in [store, store + "-wal", store + "-shm"] { chown(file, 65534, 65534) }
        return store
    }

    /// `concierge ARGUMENTS` on `store`, with `secret` in CONCIERGE_AGENT_SECRET when given.
    static func run(_ arguments: [String], store: String, secret: String? = nil, input: String = "") throws -> ConciergeProcess.Result {
        var environment = ["CONCIERGE_STORE": store]
        if let secret { environment["CONCIERGE_AGENT_SECRET"] = secret }
        return try ConciergeProcess.run(arguments, input: input, environment: environment)
    }

    /// `agents add NAME --queues QUEUES --json`'s secret.
    static func add(_ name: String, queues: String, store: String) throws -> String {
        let added = try run(["agents", "add", name, "--queues", queues, "--json"], store: store)
        #expect(added.status == 0, "agents add: \(added.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])
        #expect(object["queues"] as? [String] == queues.split(separator: ",").map(String.init).sorted())
        return try #require(object["secret"] as? String)
    }

    /// The handoff's status, holder and audit log as (kind, actor) pairs.
    static func state(_ id: String, store: String) throws -> (status: String?, holder: String?, events: [String]) {
        let shown = try run(["queue", "show", id, "--json"], store: store)
        let packet = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        let events = (packet["events"] as? [[String: Any]] ?? []).map { "\($0["kind"] ?? "") \($0["actor"] ?? "")" }
        return (packet["status"] as? String, packet["claimedBy"] as? String, events)
    }

    /// The one line a refused command printed on standard error.
    static func expectOneLine(_ result: ConciergeProcess.Result, status: Int32, saying words: String..., sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == status, "exit status; stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(result.stderr)", sourceLocation: sourceLocation)
        for word in words { #expect(result.stderr.contains(word), "says \(word): \(result.stderr)", sourceLocation: sourceLocation) }
    }

    @Test(.enabled(if: canMakeSharedStores, "run as root to make a store another user owns"))
    func onASharedStoreAnAgentNeedsTheirSecretAndActsOnlyInTheirQueues() throws {
        let store = try Self.sharedStore()
        let untouched = try Self.state("H-000001", store: store)
        #expect(untouched.status == "queued")

        // Nobody is an agent until an operator adds them.
        let stranger = try Self.run(["queue", "claim", "H-000001", "--agent", "ana"], store: store)
        Self.expectOneLine(stranger, status: 2, saying: "no agent ana", "concierge agents add ana")
        let anaSecret = try Self.add("ana", queues: "general,orders", store: store)
        let benSecret = try Self.add("ben", queues: "returns", store: store)
        #expect(anaSecret != benSecret)

        let missing = try Self.run(["queue", "claim", "H-000001", "--agent", "ana"], store: store)
        Self.expectOneLine(missing, status: 2, saying: "CONCIERGE_AGENT_SECRET")
        let wrong = try Self.run(["queue", "claim", "H-000001", "--agent", "ana"], store: store, secret: benSecret)
        Self.expectOneLine(wrong, status: 2, saying: "not agent ana's secret")
        let otherQueue = try Self.run(["queue", "claim", "H-000001", "--agent", "ben"], store: store, secret: benSecret)
        Self.expectOneLine(otherQueue, status: 1, saying: "general queue", "ben works returns")
        let console = try Self.run(["agent", "--name", "ana", "--secret", "nope"], store: store, input: "take\nquit\n")
        Self.expectOneLine(console, status: 2, saying: "not agent ana's secret")
        #expect(!console.stdout.contains("You have"))
        #expect(try Self.state("H-000001", store: store) == untouched, "no refused command changed anything")

        let claimed = try Self.run(["queue", "claim", "H-000001", "--agent", "ana"], store: store, secret: anaSecret)
        #expect(claimed.status == 0, "\(claimed.stderr)")
        // Ben cannot resolve it, neither as himself (he does not hold it) nor as ana with his secret.
        #expect(try Self.run(["queue", "resolve", "H-000001", "--agent", "ben"], store: store, secret: benSecret).status == 1)
        Self.expectOneLine(
            try Self.run(["queue", "resolve", "H-000001", "--agent", "ana"], store: store, secret: benSecret), status: 2, saying: "not agent ana's secret")
        let resolved = try Self.run(["queue", "resolve", "H-000001", "--agent", "ana", "--secret", anaSecret, "--note", "Done"], store: store)
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let after = try Self.state("H-000001", store: store)
        #expect(after.status == "resolved")
        #expect(after.events == ["created system", "claimed ana", "resolved ana"], "the audit log names the agent who proved who they are")

        // The list shows names and queues, never a secret or its hash; no keyring was made.
        let listed = try Self.run(["agents", "list", "--json"], store: store)
        let agents = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(agents.map { $0["name"] as? String } == ["ana", "ben"])
        #expect(agents.map { $0["queues"] as? [String] } == [["general", "orders"], ["returns"]])
        #expect(!listed.stdout.contains(anaSecret) && !listed.stdout.contains("salt") && !listed.stdout.contains("ash"))
        #expect(!FileManager.default.fileExists(atPath: store + "-agents"))
    }

    @Test(.enabled(if: canMakeSharedStores, "run as root to make a store another user owns"))
    func resettingASecretEndsTheOldOneAndRemovingAnAgentEndsThem() throws {
        let store = try Self.sharedStore()
        let old = try Self.add("ana", queues: "general", store: store)
        let reset = try Self.run(["agents", "reset", "ana", "--json"], store: store)
        let new = try #require((try JSONSerialization.jsonObject(with: Data(reset.stdout.utf8)) as? [String: Any])?["secret"] as? String)
        #expect(new != old)
        Self.expectOneLine(try Self.run(["queue", "claim", "--agent", "ana"], store: store, secret: old), status: 2, saying: "not agent ana's secret")
        #expect(try Self.run(["agents", "remove", "ana"], store: store).status == 0)
        Self.expectOneLine(try Self.run(["queue", "claim", "--agent", "ana"], store: store, secret: new), status: 2, saying: "no agent ana")
        #expect(try Self.state("H-000001", store: store).status == "queued")
        Self.expectOneLine(try Self.run(["agents", "remove", "ana"], store: store), status: 1, saying: "no agent ana")
        Self.expectOneLine(try Self.run(["agents", "add", "ben"], store: store), status: 2, saying: "--queues")
    }

    @Test func onAStoreOnlyYouCanOpenTheFirstConsoleEnrolsTheAgentAndLaterOnesNeedNoSecret() throws {
        // The README's demo: chat and agent console in one folder, no flags, the default store.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let knowledge = ConciergeProcess.packageRoot.appendingPathComponent("knowledge").path
        let local = ["CONCIERGE_STORE": ".concierge/concierge.sqlite"]
        func run(_ arguments: [String], input: String = "", environment: [String: String] = [:]) throws -> ConciergeProcess.Result {
            try ConciergeProcess.run(arguments, input: input, directory: folder, environment: local.merging(environment) { $1 })
        }
        #expect(try run(["chat", "--knowledge", knowledge], input: "I want to talk to a person\n").status == 0)

        let first = try run(["agent", "--name", "ana"], input: "take\nresolve Done\nquit\n")
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("You have H-000001."), "\(first.stdout)")
        #expect(first.stdout.contains("H-000001 resolved."))
        #expect(first.stderr.contains("enrolled agent ana for every queue"))
        let keyring = folder.appendingPathComponent(".concierge/concierge.sqlite-agents").path
        let mode = try #require(try FileManager.default.attributesOfItem(atPath: keyring)[.posixPermissions] as? Int)
        #expect(mode == 0o600)

        let again = try run(["agent", "--name", "ana"], input: "quit\n")
        #expect(again.status == 0, "\(again.stderr)")
        #expect(!again.stderr.contains("enrolled"))
        let listed = try run(["agents", "list"])
        #expect(listed.stdout.contains("ana") && listed.stdout.contains("every queue"))
        let kept = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: keyring))) as? [String: String])
        let secret = try #require(kept["ana"])
        #expect(!listed.stdout.contains(secret))
        // The kept secret is ana's: given explicitly, it works too.
        #expect(try run(["queue", "list"], environment: ["CONCIERGE_AGENT_SECRET": secret]).status == 0)
        #expect(try run(["agent", "--name", "ana"], input: "quit\n", environment: ["CONCIERGE_AGENT_SECRET": secret]).status == 0)
        // A secret given still has to be ana's.
        let wrong = try run(["agent", "--name", "ana"], input: "quit\n", environment: ["CONCIERGE_AGENT_SECRET": "nope"])
        Self.expectOneLine(wrong, status: 2, saying: "not agent ana's secret")
    }

    @Test(.enabled(if: canMakeSharedStores, "run as root to make a file another user owns"))
    func aKeyringFileSomeoneElseMadeFirstIsRefusedNeverWritten() throws {
        // A store of ours in a folder everyone may write, as /tmp, where another user made the keyring's name first.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-sticky-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        chmod(folder.path, 0o1777)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("store.sqlite").path
        #expect(try Self.run(["chat"], store: store, input: "agent\n").status == 0)
        #expect(FileManager.default.createFile(atPath: store + "-agents", contents: Data(), attributes: [.posixPermissions: 0o666]))
        chown(store + "-agents", 65534, 65534)
        let claim = try Self.run(["queue", "claim", "--agent", "ana"], store: store)
        Self.expectOneLine(claim, status: 2, saying: "is not a file only you can read")
        #expect(try Data(contentsOf: URL(fileURLWithPath: store + "-agents")).isEmpty, "nothing was written to it")
        #expect(try Self.state("H-000001", store: store).status == "queued")
        #expect(try Self.run(["agents", "list", "--json"], store: store).stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "[]", "no agent was enrolled")
    }
}

/// On PostgreSQL every store is shared: nobody is enrolled by name, and every agent needs their
/// secret (runs where PGHOST names a server).
@Suite("Agents on PostgreSQL", .enabled(if: TestPostgres.isAvailable, "set PGHOST and build with --traits PostgreSQL to run"))
struct AgentsPostgresEndToEndTests {
    @Test func onPostgreSQLNoNameIsEnrolledAndTheSecretIsChecked() throws {
        let url = TestPostgres.url + "?schema=agents_\(UUID().uuidString.prefix(8).lowercased())"
        #expect(try AgentsEndToEndTests.run(["chat"], store: url, input: "agent\n").status == 0)
        let console = try AgentsEndToEndTests.run(["agent", "--name", "ana"], store: url, input: "take\nquit\n")
        AgentsEndToEndTests.expectOneLine(console, status: 2, saying: "no agent ana", "concierge agents add ana")
        #expect(!console.stdout.contains("You have"))

        let secret = try AgentsEndToEndTests.add("ana", queues: "general", store: url)
        AgentsEndToEndTests.expectOneLine(
            try AgentsEndToEndTests.run(["agent", "--name", "ana"], store: url, input: "take\nquit\n"), status: 2, saying: "CONCIERGE_AGENT_SECRET")
        #expect(try AgentsEndToEndTests.state("H-000001", store: url).status == "queued", "nothing changed")
        let working = try AgentsEndToEndTests.run(["agent", "--name", "ana"], store: url, secret: secret, input: "take\nresolve Done\nquit\n")
        #expect(working.status == 0, "\(working.stderr)")
        #expect(working.stdout.contains("You have H-000001."))
        let after = try AgentsEndToEndTests.state("H-000001", store: url)
        #expect(after.status == "resolved")
        #expect(after.events == ["created system", "claimed ana", "resolved ana"])
    }
}
