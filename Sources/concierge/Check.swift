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
            var problems = result.problems
            if !problems.hasErrors {
                // Sound knowledge is compiled now (or found compiled), so the next chat or replay starts
                // at once; its examples are then read held out, for intents the matcher confuses.
                let engine = options.engine(for: result.knowledge)
                problems += Self.overlapWarnings(engine.exampleOverlaps(), in: result.knowledge)
            }
            for problem in problems where !errorsOnly || problem.severity == .error { Output.line(options.prefixed(problem)) }
            let errors = problems.filter { $0.severity == .error }.count
            let warnings = problems.count - errors
            let k = result.knowledge
            let summary =
                "\(k.intents.count) intents (\(k.intents.reduce(0) { $0 + $1.examples.count }) examples), \(k.articles.count) articles, "
                + "\(k.entities.count) entities, \(k.synonyms.count) synonyms, \(k.tables.count) tables: "
                + "\(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")"
            Output.line(summary)
            if errors > 0 { throw ExitCode(1) }
        }

        /// A warning at each intent whose held-out examples read as another intent, naming a few of them.
        static func overlapWarnings(_ overlaps: [ExampleOverlap], in knowledge: KnowledgeBase) -> [KnowledgeProblem] {
            overlaps.compactMap { overlap -> KnowledgeProblem? in
                guard let intent = knowledge.intents.first(where: { $0.name == overlap.intent }) else { return nil }
                let shown = overlap.examples.prefix(3).map { "“\($0)”" }.joined(separator: ", ") + (overlap.examples.count > 3 ? ", …" : "")
                return KnowledgeProblem(
                    .warning, intent.location,
                    "intent `\(overlap.intent)` overlaps `\(overlap.other)`: \(overlap.examples.count) of its \(overlap.total) examples read as "
                        + "`\(overlap.other)` when held out of training (\(shown))",
                    fix: "reword them with what sets `\(overlap.intent)` apart, move them to `\(overlap.other)`, or merge the two intents")
            }
        }
    }
}
