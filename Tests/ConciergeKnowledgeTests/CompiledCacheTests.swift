import ConciergeEngine
import ConciergeKnowledge
import Foundation
import Testing

/// Compiled knowledge: the same replies, bit for bit, with and without it; and a file that is
/// stale, damaged or truncated is rebuilt, never used.
@Suite struct CompiledCacheTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let bundled: KnowledgeBase = KnowledgeLoader.load(directory: packageRoot.appendingPathComponent("knowledge")).knowledge
    static let built = Engine(knowledge: bundled)
    /// A weekday afternoon, when the team is open.
    static let now = Date(timeIntervalSince1970: 1_795_014_000)

    func temporaryFolder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("concierge-cache-\(UUID().uuidString)")
    }

    /// Every transcript's customer lines, each transcript as one conversation.
    static func conversations() throws -> [[String]] {
        let root = packageRoot.appendingPathComponent("transcripts")
        let enumerator = try #require(FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil))
        var conversations: [[String]] = []
        for case let url as URL in enumerator where url.pathExtension == "transcript" {
            let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            let messages = lines.filter { $0.hasPrefix("> ") }.map { String($0.dropFirst(2)) }
            if !messages.isEmpty { conversations.append(messages) }
        }
        return conversations.sorted { $0.joined() < $1.joined() }
    }

    /// Runs every conversation through both engines and expects the same turns (reply, action,
    /// intents and confidences, articles and scores, slots, handoff, explanation), exactly.
    func expectSameTurns(_ a: Engine, _ b: Engine, _ conversations: [[String]]) {
        var turns = 0
        for (n, messages) in conversations.enumerated() {
            var first = ConversationState(id: "c\(n)"), second = ConversationState(id: "c\(n)")
            for message in messages {
                let x = a.respond(to: message, in: &first, now: Self.now)
                let y = b.respond(to: message, in: &second, now: Self.now)
                #expect(x == y, "conversation \(n), \"\(message)\"")
                turns += 1
            }
        }
        #expect(turns > 300)
    }

    @Test func aCompiledEngineRepliesBitForBitAsTheBuiltOne() throws {
        let bytes = Self.built.compiled()
        let read = try Engine(knowledge: Self.bundled, compiled: ByteStorage(copying: bytes))
        expectSameTurns(Self.built, read, try Self.conversations())
        // Compiling what was read gives the same bytes: nothing was lost on the way.
        #expect(read.compiled() == bytes)
        // The understanding itself, confidences included, for single messages.
        for message in ["where is my order", "wheres my pakage", "refund to gift card", "asdkjh qwe", "how do i wash linen"] {
            let x = Self.built.understand(message), y = read.understand(message)
            #expect(x.candidates == y.candidates, "\(message)")
            #expect(x.intents == y.intents, "\(message)")
        }
    }

    @Test func theCacheBuildsOnceThenReadsTheSameEngine() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = CompiledCache(directory: folder)
        let (first, built) = cache.engine(for: Self.bundled)
        #expect(built == .built)
        let (second, hit) = cache.engine(for: Self.bundled)
        #expect(hit == .hit)
        expectSameTurns(first, second, try Self.conversations())
        let attributes = try FileManager.default.attributesOfItem(atPath: cache.url(for: Self.bundled).path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test func changedKnowledgeIsCompiledAgainUnderAnotherName() throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = CompiledCache(directory: folder)
        _ = cache.engine(for: Self.bundled)
        var changed = Self.bundled
        changed.intents[0].examples.append("a brand new way to say it")
        #expect(cache.url(for: changed) != cache.url(for: Self.bundled))
        let (engine, outcome) = cache.engine(for: changed)
        #expect(outcome == .built)
        #expect(engine.compiled() == Engine(knowledge: changed).compiled())
        var settings = Self.bundled
        settings.settings.wordVectorWeight = 0.5
        #expect(cache.url(for: settings) != cache.url(for: Self.bundled), "the settings compiling reads are in the key")
    }

    @Test(arguments: ["flip", "truncate", "empty", "garbage", "other knowledge", "other format"])
    func aDamagedOrStaleFileIsRebuiltNeverUsed(damage: String) throws {
        let folder = temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let cache = CompiledCache(directory: folder)
        _ = cache.engine(for: Self.bundled)
        let file = cache.url(for: Self.bundled)
        var bytes = [UInt8](try Data(contentsOf: file))
        switch damage {
        case "flip": bytes[bytes.count / 2] ^= 0x40
        case "truncate": bytes.removeLast(bytes.count / 3)
        case "empty": bytes = []
        case "garbage": bytes = (0..<5_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        case "other knowledge":
            // A sound file, but compiled from other knowledge, under this knowledge's name.
            var other = Self.bundled
            other.intents[0].examples.append("something else")
            let otherCache = CompiledCache(directory: folder.appendingPathComponent("other"))
            _ = otherCache.engine(for: other)
            bytes = [UInt8](try Data(contentsOf: otherCache.url(for: other)))
        default: bytes[8] &+= 1  // the format version
        }
        try Data(bytes).write(to: file)
        let (engine, outcome) = cache.engine(for: Self.bundled)
        guard case .rebuilt(let reason) = outcome else {
            Issue.record("expected a rebuild, got \(outcome)")
            return
        }
        #expect(!reason.isEmpty)
        #expect(engine.compiled() == Self.built.compiled())
        // The rebuilt file is sound again.
        #expect(cache.engine(for: Self.bundled).1 == .hit)
    }

    @Test func damagedBytesAreATypedErrorNotACrash() throws {
        let bytes = Self.built.compiled()
        var random = SystemRandomNumberGenerator()
        for cut in [0, 3, 8, 16, 100, bytes.count / 2, bytes.count - 1] {
            #expect(throws: CompiledFormatError.self) { try Engine(knowledge: Self.bundled, compiled: ByteStorage(copying: bytes.prefix(cut))) }
        }
        // Flipped bytes past the header either are caught or change nothing the reader checks;
        // they never crash it (the file's checksum catches the rest before the engine reads it).
        for _ in 0..<50 {
            var damaged = bytes
            damaged[Int.random(in: 0..<20, using: &random)] ^= 0xFF
            #expect(throws: CompiledFormatError.self) { try Engine(knowledge: Self.bundled, compiled: ByteStorage(copying: damaged)) }
        }
    }

    @Test func anUnwritableCacheStillGivesAnEngine() throws {
        let folder = temporaryFolder()
        try FileManager.default.createDirectory(at: folder.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data("a file, not a folder".utf8).write(to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (engine, outcome) = CompiledCache(directory: folder).engine(for: Self.bundled)
        guard case .notWritten = outcome else {
            Issue.record("expected notWritten, got \(outcome)")
            return
        }
        #expect(engine.compiled() == Self.built.compiled())
    }
}
