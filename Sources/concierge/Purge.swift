import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import ConciergeService
import ConciergeStore
import ConciergeTranscripts
import Foundation

extension Concierge {
    /// `concierge purge`: deletes what is past its retention period.
    struct Purge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete what is older than its retention period (settings.yaml, memory.retention_days).",
            discussion: """
                Deletes conversations and their turns, closed handoffs with their messages and audit log, and \
                failed identity checks older than `conversation` days, except conversations a person still has or \
                awaits; and removes each customer-profile field older than its kind's days (a profile left empty \
                goes). `chat` and `agent` also do this on their own once every `memory.sweep_every_hours` \
                (24 unless set; 0 turns that off): run `purge` from a scheduled job when neither runs often, \
                or to purge at once.
                """)

        @OptionGroup var knowledgeOptions: KnowledgeOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: ArgumentHelp("Purge as of TIME (ISO 8601) instead of now.", valueName: "time"))
        var now: String?

        @Flag(name: .long, help: "Print what was deleted as one JSON object.")
        var json = false

        func validate() throws {
            if let now, TranscriptParser.date(now) == nil {
                throw ValidationError("--now takes an ISO 8601 time, for example --now 2026-11-18T15:00:00Z")
            }
        }

        func run() throws {
            let settings = try knowledgeOptions.load().knowledge.settings
            let store = try storeOptions.open()
            let instant = now.flatMap(TranscriptParser.date) ?? Date()
            let days = RetentionSweep.conversationDays(settings)
            let report = try blocking { try await RetentionSweep.purge(store, settings: settings, now: instant) }
            if json {
                Output.line(HandoffFormatter.json(report))
            } else {
                Output.line(
                    "Purged what is older than \(days) days: \(report.conversations) conversations, \(report.handoffs) closed handoffs, "
                        + "\(report.identityChecks) failed identity checks; \(report.profileFields) expired profile fields, \(report.profiles) empty profiles removed.")
            }
        }
    }
}
