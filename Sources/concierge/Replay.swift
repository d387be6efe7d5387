import ArgumentParser
import ConciergeTranscripts
import Foundation

extension Concierge {
    /// `concierge replay`: the transcripts as regression tests of the knowledge base.
    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replay transcripts against the current knowledge and show exactly what changed.",
            discussion: """
                Runs every transcript (folders are searched recursively for *.transcript) in parallel, each in a \
                fresh in-memory store on a frozen clock, so replays are exact. Each difference is shown as a diff \
                with its file and line and a class: wording only, different answer, or different action or handoff. \
                The last line is always `N passed, N failed`. Exit status: 0 all passed, 1 some failed, 2 a path \
                cannot be read. The format is described in transcripts/README.md.
                """)

        @Argument(
            help: ArgumentHelp(
                "Transcript files or folders (default: transcripts/, without its scored conversations/; with --score, transcripts/conversations/).",
                valueName: "path"))
        var paths: [String] = []

        @Option(help: ArgumentHelp("Also write the results as JUnit XML to FILE, for CI systems.", valueName: "file"))
        var junit: String?

        @Flag(
            help: """
                Rewrite the expectations that changed, after showing them; comments and your own looser checks (<~, </) stay as \
                written. Messages written with no expectations get them filled in.
                """)
        var update = false

        @Option(help: ArgumentHelp("Only replay transcripts whose path contains SUBSTRING (ignoring case).", valueName: "substring"))
        var filter: String?

        @Flag(help: "Also report the intents, articles, slots and handoff reasons no transcript exercises.")
        var coverage = false

        @Flag(name: .customLong("no-color"), help: "Plain text, no colours (also when NO_COLOR is set or the output is not a terminal).")
        var noColor = false

        @Option(
            help: ArgumentHelp(
                "The knowledge folder for transcripts without @knowledge (default: the knowledge/ folder next to them).", valueName: "dir"))
        var knowledge: String?

        @Flag(
            help: """
                Score instead of gate: print, per folder, the customer turns whose checks all passed and the conversations right \
                from start to finish. Exits 0 unless a floor below is missed.
                """)
        var score = false

        @Option(
            name: .customLong("min-turns"),
            help: ArgumentHelp("With --score: fail (exit 1) when the share of turns right in any folder is below RATE (0...1).", valueName: "rate"))
        var minTurns: Double?

        @Option(
            name: .customLong("min-conversations"),
            help: ArgumentHelp(
                "With --score: fail (exit 1) when the share of conversations fully right in any folder is below RATE (0...1).", valueName: "rate"))
        var minConversations: Double?

        @Option(
            help: ArgumentHelp(
                "Where compiled knowledge is kept (default .concierge/cache, or CONCIERGE_CACHE); `off` builds it for every replay.",
                valueName: "dir"))
        var cache: String?

        func validate() throws {
            if !score, minTurns != nil || minConversations != nil {
                throw ValidationError("--min-turns and --min-conversations go with --score, for example: replay --score --min-turns 0.8")
            }
            for (name, value) in [("--min-turns", minTurns), ("--min-conversations", minConversations)] {
                if let value, !(0...1).contains(value) { throw ValidationError("\(name) takes a share between 0 and 1, for example 0.85") }
            }
            if let filter, filter.isEmpty { throw ValidationError("--filter needs some text, for example --filter returns") }
        }

        func run() throws {
            let scoredDefault = "transcripts/" + ReplaySuite.scoredFolder
            let given = paths.isEmpty ? [score ? scoredDefault : "transcripts"] : paths
            var files: [ReplaySuite.File]
            do {
                files = try ReplaySuite.discover(given)
                // The gate's default leaves the scored conversations to --score.
                if paths.isEmpty && !score { files.removeAll(where: ReplaySuite.isScored) }
            } catch {
                if paths.isEmpty {
                    Output.error(
                        "concierge: there is no transcripts/ folder here; run replay from the project folder or pass transcript files or folders")
                } else {
                    Output.error("concierge: \(error.errorDescription ?? "cannot read \(error.path)")")
                }
                throw ExitCode(2)
            }
            guard !files.isEmpty else {
                Output.error("concierge: no *.transcript files in \(given.joined(separator: ", ")); record one with `concierge chat --record FILE`")
                throw ExitCode(2)
            }
            var configured = ReplaySuite(defaultKnowledge: knowledge.map { URL(fileURLWithPath: $0) }, filter: filter)
            configured.cache = KnowledgeOptions.compiledCache(named: cache)
            let suite = configured
            if let filter, !files.contains(where: { $0.name.range(of: filter, options: .caseInsensitive) != nil }) {
                Output.error("concierge: no transcript path contains \"\(filter)\"; leave out --filter to replay them all")
                throw ExitCode(2)
            }
            let selected = files
            let outcome = try blocking { await suite.run(selected) }
            if score {
                try report(ReplayScore(outcome), outcome: outcome)
                return
            }

            var updated: [String: TranscriptUpdater.Update] = [:]
            if update {
                for replayed in outcome.transcripts {
                    guard let text = replayed.text, let transcript = replayed.transcript, let run = replayed.run else { continue }
                    let insertions = TranscriptUpdater.fills(transcript, observation: run.observation)
                    guard !replayed.result.mismatches.isEmpty || !insertions.isEmpty else { continue }
                    let rewrite = TranscriptUpdater.update(text, mismatches: replayed.result.mismatches, insertions: insertions)
                    guard rewrite.changed else {
                        updated[replayed.file.name] = rewrite
                        continue
                    }
                    do {
                        try Data(rewrite.text.utf8).write(to: replayed.file.url, options: .atomic)
                        updated[replayed.file.name] = rewrite
                    } catch {
                        Output.error("concierge: cannot write \(replayed.file.name) (\(error.localizedDescription)); check its permissions")
                    }
                }
            }

            let colors = !noColor && Output.stdoutIsTerminal && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
            let coverageReport = coverage ? ReplayCoverage.compute(outcome) : []
            let report = ReplayReport.text(outcome, colors: colors, coverage: coverageReport, updated: updated)
            for line in report.split(separator: "\n", omittingEmptySubsequences: false).dropLast() { Output.line(String(line)) }

            if let junit {
                do {
                    try Data(ReplayReport.junit(outcome).utf8).write(to: URL(fileURLWithPath: junit), options: .atomic)
                } catch {
                    Output.error(
                        "concierge: cannot write the JUnit report to \(junit) (\(error.localizedDescription)); pass a writable path with --junit FILE"
                    )
                    throw ExitCode(2)
                }
            }
            if outcome.hasUnreadable { throw ExitCode(2) }
            if ReplayReport.tally(outcome, updated: updated).failed > 0 { throw ExitCode(1) }
        }

        /// `--score`: each folder's figures, the floors checked, and unreadable transcripts named.
        func report(_ score: ReplayScore, outcome: ReplayOutcome) throws {
            for replayed in outcome.transcripts where replayed.result.isBroken {
                Output.error("concierge: \(replayed.file.name) could not run: \(replayed.result.problems.map(\.message).joined(separator: "; "))")
            }
            for line in score.text().split(separator: "\n") { Output.line(String(line)) }
            var missed: [String] = []
            for folder in score.folders {
                if let minTurns, folder.turnRate < minTurns {
                    missed.append("\(folder.name): turns right \(ReplayScore.percent(folder.turnRate)) < \(ReplayScore.percent(minTurns))")
                }
                if let minConversations, folder.conversationRate < minConversations {
                    missed.append(
                        "\(folder.name): conversations right \(ReplayScore.percent(folder.conversationRate)) < \(ReplayScore.percent(minConversations))")
                }
            }
            for line in missed { Output.error("concierge: below the floor: \(line)") }
            if outcome.hasUnreadable { throw ExitCode(2) }
            if !missed.isEmpty { throw ExitCode(1) }
        }
    }
}
