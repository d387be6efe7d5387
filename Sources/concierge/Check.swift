import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import Foundation

extension Concierge {
    /// `concierge check`: validates the knowledge base like a compiler.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate the knowledge base; every problem is reported as file:line with a fix.",
            discussion: "Exits 0 when there are no errors (warnings are printed but allowed), 1 when there are errors.")

        @OptionGroup var options: KnowledgeOptions

        @Flag(name: .long, help: "Print only errors, not warnings.")
        var errorsOnly = false

        func run() throws {
            let result = KnowledgeLoader.load(
                directory: URL(fileURLWithPath: options.knowledge), settingsFile: options.config.map { URL(fileURLWithPath: $0) })
            let shown = result.problems.filter { !errorsOnly || $0.severity == .error }
            for problem in shown { Output.line(options.prefixed(problem)) }
            let errors = result.problems.filter { $0.severity == .error }.count
            let warnings = result.problems.count - errors
            let k = result.knowledge
            let summary =
                "\(k.intents.count) intents (\(k.intents.reduce(0) { $0 + $1.examples.count }) examples), \(k.articles.count) articles, "
                + "\(k.entities.count) entities, \(k.synonyms.count) synonyms, \(k.tables.count) tables: "
                + "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            Output.line(summary)
            if errors > 0 { throw ExitCode(1) }
            // Sound knowledge is compiled now (or found compiled), so the next chat or replay starts at once.
            _ = options.engine(for: result.knowledge)
        }
    }
}
