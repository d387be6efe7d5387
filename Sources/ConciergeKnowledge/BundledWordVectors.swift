public import ConciergeEngine
public import Foundation

/// The word-vector table that comes with Concierge (`Resources/wordvectors.bin`, made by
/// `Scripts/wordvectors/make_table.py`), read once and memory-mapped, so only the pages a lookup
/// touches are read. `KnowledgeLoader` hands it to every knowledge base it loads.
///
/// `CONCIERGE_WORD_VECTORS` in the environment replaces it: a path to another table, or `off` for none
/// (to measure what the table adds).
public enum BundledWordVectors {
    /// The environment variable that replaces the bundled table.
    public static let environmentVariable = "CONCIERGE_WORD_VECTORS"

    /// The table, or why there is none.
    public static let loaded: Result<WordVectors?, LoadFailure> = load(environment: ProcessInfo.processInfo.environment)

    /// The table; nil when it is turned off or cannot be read.
    public static var table: WordVectors? { (try? loaded.get()) ?? nil }

    /// Why the table could not be read.
    public struct LoadFailure: Error, CustomStringConvertible {
        public var path: String
        public var reason: String
        public var description: String { "\(path): \(reason)" }
    }

    /// The bundled file's location: in the resource bundle SwiftPM puts beside the executable, else
    /// in the source tree this was built from; nil when neither has it (never a crash, unlike
    /// `Bundle.module`, which stops the process when its bundle is missing).
    public static var bundledURL: URL? {
        let beside = Bundle.main.bundleURL
        for name in ["Concierge_ConciergeKnowledge.resources", "Concierge_ConciergeKnowledge.bundle"] {
            if let bundle = Bundle(path: beside.appendingPathComponent(name).path),
                let url = bundle.url(forResource: "wordvectors", withExtension: "bin")
            {
                return url
            }
        }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Resources/wordvectors.bin")
        return FileManager.default.fileExists(atPath: source.path) ? source : nil
    }

    /// Reads the table a given environment asks for (the bundled one by default).
    public static func load(environment: [String: String]) -> Result<WordVectors?, LoadFailure> {
        let url: URL
        if let value = environment[environmentVariable], !value.isEmpty {
            if value == "off" { return .success(nil) }
            url = URL(fileURLWithPath: value)
        } else if let bundled = bundledURL {
            url = bundled
        } else {
            return .failure(LoadFailure(path: "wordvectors.bin", reason: "the resource is missing from this build"))
        }
        return read(url)
    }

    /// Reads a table file.
    public static func read(_ url: URL) -> Result<WordVectors?, LoadFailure> {
        do {
            let data = try Data(contentsOf: url, options: .alwaysMapped)
            return .success(try WordVectors(bytes: data))
        } catch let error as WordVectors.LoadError {
            return .failure(LoadFailure(path: url.path, reason: error.description))
        } catch {
            return .failure(LoadFailure(path: url.path, reason: "cannot be read (\(error.localizedDescription))"))
        }
    }
}
