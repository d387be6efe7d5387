import ConciergeEngine
import ConciergeTranscripts
import Foundation
import Testing

/// What every transcript test shares: the package's folders and one engine on the bundled
/// knowledge, built once.
enum Fixtures {
    /// The package's root folder (where knowledge/ and transcripts/ are).
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("cannot find the package root above \(#filePath)")
    }()

    static let knowledge = packageRoot.appendingPathComponent("knowledge")
    static let transcripts = packageRoot.appendingPathComponent("transcripts")

    /// The engine on the bundled knowledge.
    static let engine: Engine = {
        switch KnowledgeSource(directory: knowledge).load() {
        case .success(let engine): return engine
        case .failure(let failure): fatalError("the bundled knowledge does not load: \(failure)")
        }
    }()

    /// A fresh temporary folder.
    static func temporaryFolder(_ name: String = #function) throws -> URL {
        let cleaned = name.filter { $0.isLetter || $0.isNumber }
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-transcripts-\(cleaned)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Parses `text`, failing the test with the problems when it is malformed.
func parsed(_ text: String, file: String = "test.transcript", sourceLocation: Testing.SourceLocation = #_sourceLocation) throws -> Transcript {
    do {
        return try TranscriptParser.parse(text, file: file)
    } catch {
        Issue.record("the transcript is malformed:\n\(error)", sourceLocation: sourceLocation)
        throw error
    }
}

/// Expects `text` to be malformed with exactly these problems: each as `line: words it contains`.
func assertMalformed(
    _ text: String, _ expected: [(line: Int, contains: String)], file: String = "bad.transcript",
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
    do {
        _ = try TranscriptParser.parse(text, file: file)
        Issue.record("expected the transcript to be malformed", sourceLocation: sourceLocation)
    } catch {
        #expect(error.problems.map(\.line) == expected.map(\.line), "\(error)", sourceLocation: sourceLocation)
        for (problem, wanted) in zip(error.problems, expected) {
            #expect(problem.description.hasPrefix("\(file):\(wanted.line): error: "), "\(problem)", sourceLocation: sourceLocation)
            #expect(problem.description.contains(wanted.contains), "\(problem) should say \(wanted.contains)", sourceLocation: sourceLocation)
        }
    }
}

/// Replays `text` on the bundled knowledge and returns the result.
func replay(_ text: String, file: String = "test.transcript", engine: Engine = Fixtures.engine) async throws -> TranscriptRun {
    let transcript = try parsed(text, file: file)
    return await TranscriptRunner(engine: engine).run(transcript)
}

/// Records `script` (a transcript's messages and agent steps) on the bundled knowledge.
func record(_ script: String, file: String = "test.transcript") async throws -> String {
    await TranscriptRecorder(engine: Fixtures.engine).record(try parsed(script, file: file)).text
}

/// Writes `files` (name → text) into a new temporary folder.
func folder(_ files: [String: String], name: String = #function) throws -> URL {
    let url = try Fixtures.temporaryFolder(name)
    for (path, text) in files {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: file)
    }
    return url
}
