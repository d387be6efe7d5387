import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import Foundation

extension Concierge {
    /// `concierge compile`: builds the compiled knowledge ahead of time (for a container image or CI).
    struct Compile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compile the knowledge into the cache now, so the next chat, check or replay starts at once.",
            discussion: """
                Trains the intent classifier, fits its calibration, builds the spelling tables and the retrieval index, and \
                writes them to one file in the cache folder (default .concierge/cache), named by a hash of the knowledge, the \
                settings and the engine's format version. Any later start with the same knowledge reads that file; a change to \
                the knowledge names another one. Exit status: 0 written, 1 the file could not be written, 2 the knowledge has errors.
                """)

        @OptionGroup var knowledgeOptions: KnowledgeOptions

        func validate() throws {
            if knowledgeOptions.compiledCache == nil {
                throw ValidationError("compile writes to the cache: give a folder with --cache DIR (not `off`)")
            }
        }

        func run() throws {
            let start = DispatchTime.now().uptimeNanoseconds
            let loaded = try knowledgeOptions.load()
            guard let cache = knowledgeOptions.compiledCache else { throw ExitCode(2) }
            switch cache.compile(loaded.knowledge) {
            case .success(let url):
                let bytes = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? 0
                let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                Output.line("\(url.path): \(bytes / 1024) KiB, compiled in \(Int(milliseconds.rounded())) ms")
            case .failure(let failure):
                Output.error("concierge: the compiled knowledge was not written: \(failure); give a writable folder with --cache DIR")
                throw ExitCode(1)
            }
        }
    }
}
