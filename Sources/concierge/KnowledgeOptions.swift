import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import Foundation

/// Where the knowledge base and settings come from; shared by every command that loads them.
struct KnowledgeOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The knowledge folder (intents/, articles/, entities.yaml...).", valueName: "dir"))
    var knowledge: String = "knowledge"

    @Option(name: .long, help: ArgumentHelp("A settings file to use instead of the knowledge folder's settings.yaml.", valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where compiled knowledge is kept (default .concierge/cache, or CONCIERGE_CACHE); `off` builds it at every start.",
            valueName: "dir"))
    var cache: String?

    /// The compiled-knowledge cache these options name, nil when it is off.
    var compiledCache: CompiledCache? { Self.compiledCache(named: cache) }

    /// The cache in `option` (a folder, or `off`), else in CONCIERGE_CACHE, else the default folder.
    static func compiledCache(named option: String?) -> CompiledCache? {
        let chosen = option ?? ProcessInfo.processInfo.environment[CompiledCache.environmentVariable] ?? CompiledCache.defaultDirectory
        guard chosen != "off", !chosen.isEmpty else { return nil }
        return CompiledCache(directory: URL(fileURLWithPath: chosen))
    }

    /// The engine for loaded knowledge: read from the compiled cache when it holds it, else built (and
    /// written there for the next start). A cache that cannot be written is a warning, never a failure.
    func engine(for knowledge: KnowledgeBase) -> Engine {
        guard let cache = compiledCache else { return Engine(knowledge: knowledge) }
        let (engine, outcome) = cache.engine(for: knowledge)
        if case .notWritten = outcome { Output.error("concierge: \(outcome); use --cache DIR to put it elsewhere, or --cache off") }
        return engine
    }

    /// Loads and validates; prints errors and exits 2 when the knowledge cannot be used.
    func load(quiet: Bool = false) throws -> KnowledgeLoader.Result {
        let result = KnowledgeLoader.load(
            directory: URL(fileURLWithPath: knowledge), settingsFile: config.map { URL(fileURLWithPath: $0) })
        if result.problems.hasErrors {
            let errors = result.problems.filter { $0.severity == .error }
            for problem in errors.prefix(20) { Output.error("\(prefixed(problem))") }
            if errors.count > 20 { Output.error("... and \(errors.count - 20) more") }
            Output.error("concierge: the knowledge in \(knowledge) has \(errors.count) error\(errors.count == 1 ? "" : "s"); fix them (run `concierge check --knowledge \(knowledge)`) and try again")
            throw ExitCode(2)
        }
        return result
    }

    /// The problem with its file shown relative to the current folder.
    func prefixed(_ problem: KnowledgeProblem) -> String {
        var shown = problem
        if !shown.location.file.hasPrefix("/") {
            shown.location.file = (knowledge as NSString).appendingPathComponent(shown.location.file)
        }
        return shown.description
    }
}
