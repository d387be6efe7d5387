import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import ConciergeReport
import ConciergeStore
import ConciergeTranscripts
import Foundation

extension Concierge {
    /// `concierge report`: what the support lead sees.
    struct ReportCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "report",
            abstract: "Containment, handoffs, agents' response times and SLA, knowledge gaps and satisfaction, from the store.",
            discussion: """
                Covers the conversations started in the range (all by default) and everything that belongs to them. \
                The same figures as text (the default), as one JSON object (--json; the fields are documented in README, \
                "Reports") or as a self-contained HTML page with charts (--html FILE). Messages shown are the stored ones: \
                masked as every stored message is, and erased by `concierge forget`.
                """)

        @OptionGroup var knowledgeOptions: KnowledgeOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: ArgumentHelp("Only conversations started at or after DATE (2026-11-01, midnight UTC, or an ISO 8601 time).", valueName: "date"))
        var since: String?

        @Option(name: .long, help: ArgumentHelp("Only conversations started before DATE (2026-12-01, or an ISO 8601 time).", valueName: "date"))
        var until: String?

        @Flag(name: .long, help: "Print the report as one JSON object (stable field names, sorted keys).")
        var json = false

        @Option(name: .long, help: ArgumentHelp("Also write the report as one self-contained HTML page with charts to FILE.", valueName: "file"))
        var html: String?

        @Flag(name: .long, help: "Replace the --html file if it exists (never a device, a link or a folder).")
        var force = false

        @Option(name: .long, help: ArgumentHelp("Judge \"waiting now\" and open SLA targets at TIME (ISO 8601) instead of now.", valueName: "time"))
        var now: String?

        @Option(name: .long, help: ArgumentHelp("How many gap clusters to list (the rest are counted).", valueName: "n"))
        var clusters = 25

        func validate() throws {
            for (option, value) in [("--since", since), ("--until", until)] {
                if let value, TranscriptParser.date(value) == nil {
                    throw ValidationError("\(option) takes a date such as \(option) 2026-11-01 or an ISO 8601 time such as 2026-11-01T09:00:00Z")
                }
            }
            if let now, TranscriptParser.date(now) == nil {
                throw ValidationError("--now takes an ISO 8601 time, for example --now 2026-11-18T15:00:00Z")
            }
            if let since = since.flatMap(TranscriptParser.date), let until = until.flatMap(TranscriptParser.date), since >= until {
                throw ValidationError("--since must be before --until, for example --since 2026-11-01 --until 2026-12-01")
            }
            if clusters < 1 { throw ValidationError("--clusters takes a number of clusters, 1 or more, for example --clusters 25") }
            if let html { try SafeFile.check(html, replacing: force, option: "--html") }
        }

        func run() throws {
            let started = Date()
            let knowledge = try knowledgeOptions.load().knowledge
            let clusters = clusters
            // Trained while the store is read: it reads the gaps and finds their nearest intent or article.
            let builder = BackgroundValue { ReportBuilder(engine: Engine(knowledge: knowledge), maximumClusters: clusters) }
            let store = try storeOptions.open()
            let range = ReportRange(since: since.flatMap(TranscriptParser.date), until: until.flatMap(TranscriptParser.date))
            let instant = now.flatMap(TranscriptParser.date) ?? Date()
            let progress = ProgressLine(enabled: isatty(STDERR_FILENO) == 1)
            let opened = Date()
            let rows = try blocking { try await store.reportRows(in: range) { progress.show($0) } }
            let read = Date()
            progress.show("computing the report")
            let ready = builder.value
            let trained = Date()
            let report = ready.build(rows, range: range, now: instant)
            let built = Date()
            progress.clear()
            if let html {
                do {
                    try SafeFile.write(ReportHTML.page(report), to: html, replacing: force, confinedToCurrentFolder: false)
                } catch {
                    Output.error("concierge: the report page was not written: \(error)")
                    throw ExitCode(2)
                }
            }
            if json {
                Output.line(report.json())
            } else {
                Output.line(ReportText.describe(report, color: Output.stdoutIsTerminal))
                if let html { Output.line("Wrote \(html).") }
            }
            if ProcessInfo.processInfo.environment["CONCIERGE_REPORT_TIMING"] != nil {
                Output.error(
                    String(
                        format: "concierge report: %d conversations, %d turns in %.2f s (knowledge and store %.2f s, rows %.2f s, engine ready after %.2f s more, figures %.2f s)",
                        report.conversations, report.turns, Date().timeIntervalSince(started), opened.timeIntervalSince(started),
                        read.timeIntervalSince(opened), trained.timeIntervalSince(read), built.timeIntervalSince(trained)))
            }
        }
    }
}

/// One line on standard error, rewritten in place while the report reads the store (only on a terminal).
final class ProgressLine: Sendable {
    let enabled: Bool
    init(enabled: Bool) { self.enabled = enabled }

    func show(_ progress: ReportProgress) {
        let of = progress.total.map { " of \(ReportHTML.number($0))" } ?? ""
        show("reading \(progress.stage): \(ReportHTML.number(progress.done))\(of)")
    }

    func show(_ text: String) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2Kconcierge report: \(text)…".utf8))
    }

    func clear() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }
}

/// The report as text for a terminal: every stored message passed through `TerminalText`.
enum ReportText {
    static func describe(_ report: ConciergeReport.Report, color: Bool) -> String {
        func heading(_ text: String) -> String { color ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
        let n = ReportHTML.number, percent = ReportHTML.percent, duration = ReportHTML.duration
        var lines: [String] = []
        lines.append(heading("Concierge report") + "  " + ReportHTML.rangeText(report))
        lines.append("")
        lines.append(heading("Conversations"))
        lines.append("  \(n(report.conversations)) conversations, \(n(report.turns)) customer messages")
        lines.append("  contained (no person): \(n(report.containment.contained)) (\(percent(report.containment.rate))); handed off: \(n(report.containment.handedOff))")
        lines.append("")
        lines.append(heading("Handoffs") + "  \(n(report.handoffs.total))")
        func breakdown(_ title: String, _ counts: [ConciergeReport.Report.Count], limit: Int = 10) {
            guard !counts.isEmpty else { return }
            lines.append("  by \(title): " + counts.prefix(limit).map { "\(TerminalText.line($0.name)) \($0.count)" }.joined(separator: ", ")
                + (counts.count > limit ? ", …" : ""))
        }
        breakdown("reason", report.handoffs.byReason)
        breakdown("queue", report.handoffs.byQueue)
        breakdown("intent", report.handoffs.byIntent)
        lines.append("")
        let agents = report.agents
        lines.append(heading("Agents"))
        lines.append("  waiting now: \(agents.waitingNow); with an agent now: \(agents.claimedNow)")
        lines.append("  first reply: p50 \(duration(agents.firstReply.p50Seconds)), p90 \(duration(agents.firstReply.p90Seconds)) (\(agents.firstReply.count) handoffs)")
        lines.append("  resolution:  p50 \(duration(agents.resolution.p50Seconds)), p90 \(duration(agents.resolution.p90Seconds)) (\(agents.resolution.count) resolved)")
        lines.append("  handbacks \(agents.handbacks), transfers \(agents.transfers), releases \(agents.releases), lapsed claims \(agents.leaseExpiries)")
        if !agents.sla.isEmpty {
            lines.append("  QUEUE         TARGET   MET  BREACHED  PENDING  CLOSED-NO-REPLY")
            for queue in agents.sla {
                let target = queue.targetMinutes.map { "\(Int($0))m" } ?? "-"
                lines.append("  " + [pad(TerminalText.line(queue.queue), 12), pad(target, 7, right: true), pad("\(queue.met)", 5, right: true),
                    pad("\(queue.breached)", 9, right: true), pad("\(queue.pending)", 8, right: true), pad("\(queue.closedWithoutReply)", 16, right: true)].joined(separator: " "))
            }
        }
        for agent in agents.byAgent {
            lines.append("  \(TerminalText.line(agent.agent)): \(agent.claims) claims, \(agent.replies) replies, \(agent.resolved) resolved, \(agent.handbacks) handbacks, \(agent.transfers) transfers, \(agent.releases) releases")
        }
        lines.append("")
        let gaps = report.gaps
        lines.append(heading("Knowledge gaps") + "  \(n(gaps.messages)) messages in \(n(gaps.clustersTotal)) clusters")
        breakdown("kind", gaps.byKind)
        for (index, cluster) in gaps.clusters.prefix(10).enumerated() {
            let nearest = cluster.nearest.map { "nearest \($0.kind) \($0.id) (\(String(format: "%.2f", $0.confidence)))" } ?? "nothing near"
            lines.append("  \(index + 1). \(cluster.count) × “\(TerminalText.line(cluster.label))” — \(TerminalText.line(nearest))")
            for example in cluster.examples.dropFirst() { lines.append("       also “\(TerminalText.line(example))”") }
        }
        if gaps.clusters.count > 10 || gaps.otherMessages > 0 {
            lines.append("  … more in --json or --html")
        }
        let unhelpful = report.unhelpfulAnswers.filter { $0.notHelpful + $0.handoffs > 0 }.prefix(5)
        if !unhelpful.isEmpty {
            lines.append("  answers most often followed by “didn't help” or a handoff:")
            for entry in unhelpful {
                lines.append("    \(TerminalText.line(entry.kind)) \(TerminalText.line(entry.id)): \(percent(entry.rate)) of \(entry.answers) (\(entry.notHelpful) didn't help, \(entry.handoffs) handoffs)")
            }
        }
        lines.append("")
        let satisfaction = report.satisfaction
        lines.append(heading("Satisfaction") + "  \(satisfaction.answered) answers of \(satisfaction.asked) asked, average \(satisfaction.average.map { String(format: "%.2f", $0) } ?? "-")")
        if satisfaction.answered > 0 {
            lines.append("  scores 1-5: " + satisfaction.distribution.map(String.init).joined(separator: " / "))
            for (title, groups) in [("queue", satisfaction.byQueue), ("agent", satisfaction.byAgent), ("intent", satisfaction.byIntent)] {
                lines.append("  by \(title): " + groups.prefix(8).map { "\(TerminalText.line($0.name)) \(String(format: "%.2f", $0.average)) (\($0.answered))" }.joined(separator: ", "))
            }
            for comment in satisfaction.comments { lines.append("  \(comment.score)/5: “\(TerminalText.line(comment.comment))”") }
        }
        return lines.joined(separator: "\n")
    }

    static func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }
}
