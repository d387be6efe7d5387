import ConciergeKnowledge
import ConciergeTranscripts
import Foundation
import Testing

@Suite("Replaying through compiled knowledge")
struct CompiledReplayTests {
    /// The bundled suite replays the same through the compiled cache (written on the first run, read on
    /// the second) as built from the files: every transcript passes, with the same turns counted.
    @Test("the transcripts/ suite replays the same with and without the cache")
    func sameWithAndWithoutCache() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-replay-cache-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try ReplaySuite.discover([Fixtures.transcripts.path]).filter { !ReplaySuite.isScored($0) }
        let plain = await ReplaySuite().run(files)
        var cached = ReplaySuite()
        cached.cache = CompiledCache(directory: folder)
        let writing = await cached.run(files)
        let reading = await cached.run(files)
        let compiledFiles = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".ckc") }
        #expect(!compiledFiles.isEmpty, "the first run writes the compiled knowledge")
        for outcome in [writing, reading] {
            #expect(outcome.results.map(\.passed) == plain.results.map(\.passed))
            #expect(outcome.customerTurns == plain.customerTurns)
            #expect(ReplayReport.text(outcome, colors: false).split(separator: "\n").last == ReplayReport.text(plain, colors: false).split(separator: "\n").last)
        }
    }
}
