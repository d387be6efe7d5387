import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import ConciergeService
import ConciergeStore
import ConciergeTranscripts
import Foundation

extension Concierge {
    /// `concierge transcript`: conversations from the store as transcripts.
    struct TranscriptCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "transcript",
            abstract: "Turn stored conversations into transcripts (regression tests for `concierge replay`).",
            subcommands: [Export.self])
    }
}

extension Concierge.TranscriptCommand {
    /// `concierge transcript export ID`.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a handoff's conversation (or any conversation) as a transcript.",
            discussion: """
                The customer's messages and the agents' steps (take, reply, note, transfer, release, resolve, \
                hand back) come from the store; the bot's replies are what the current knowledge says, so the \
                transcript replays green. Where the bot now answers differently than it did, a note on standard \
                error says which turns. Messages are stored with card numbers and passwords masked, and stay so.
                """)

        @Argument(help: ArgumentHelp("A handoff id (H-000042) or a conversation id.", valueName: "id"))
        var id: String

        @OptionGroup var storeOptions: StoreOptions
        @OptionGroup var knowledgeOptions: KnowledgeOptions

        @Option(
            name: [.short, .customLong("output")], help: ArgumentHelp("Write the transcript to FILE instead of standard output.", valueName: "file"))
        var output: String?

        @Flag(name: .long, help: "Replace the --output file if it exists (never a device, a link or a folder).")
        var force = false

        func validate() throws {
            if let output { try SafeFile.check(output, replacing: force, option: "--output") }
        }

        func run() throws {
            let knowledge = try knowledgeOptions.load().knowledge
            let store = try storeOptions.open()
            let engine = Engine(knowledge: knowledge)
            let id = id
            let stored: TranscriptExport.Stored
            do {
                stored = try blocking { try await TranscriptExport.load(id: id, from: store) }
            } catch let error as TranscriptExport.NotFound {
                Output.error("concierge: \(error.errorDescription ?? "no handoff or conversation \(id)")")
                throw ExitCode(2)
            }
            guard !stored.turns.isEmpty else {
                Output.error("concierge: \(id) has no customer messages to export; pick another with `concierge queue list --status resolved`")
                throw ExitCode(2)
            }
            let file = output ?? "\(id).transcript"
            var script = TranscriptExport.script(stored, knowledge: knowledge, file: file)
            RecordingPaths(knowledge: knowledgeOptions.knowledge, config: knowledgeOptions.config).apply(to: &script.header, file: output)
            var comments = ["Exported with `concierge transcript export \(id)`."]
            if let handoff = stored.handoffs.first(where: { $0.handoff.id == id })?.handoff ?? stored.handoffs.first?.handoff {
                comments.append("Handoff \(handoff.id): \(handoff.reason.rawValue), \(handoff.queue) queue, \(handoff.status.rawValue).")
            }
            let recorder = TranscriptRecorder(engine: engine)
            let finalScript = script
            let finalComments = comments
            let recording = try blocking { await recorder.record(finalScript, comments: finalComments) }
            ChatRecorder.reportDivergences(stored, recording: recording)
            if let output {
                do {
                    try SafeFile.write(recording.text, to: output, replacing: force, confinedToCurrentFolder: false)
                } catch {
                    Output.error("concierge: \(error)")
                    throw ExitCode(2)
                }
                Output.error("Wrote \(output): \(recording.script.customerTurnCount) customer messages. Replay it with `concierge replay \(output)`.")
            } else {
                FileHandle.standardOutput.write(Data(recording.text.utf8))
            }
        }
    }
}

/// Where a recorded transcript finds its knowledge: `@knowledge` and `@config` relative to the
/// file, written only when they are not what replay would find by itself.
struct RecordingPaths {
    let knowledge: String
    let config: String?

    func apply(to header: inout Transcript.Header, file: String?) {
        let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let folder = URL(fileURLWithPath: file ?? "transcript", relativeTo: cwd).standardizedFileURL.deletingLastPathComponent()
        let knowledgeURL = URL(fileURLWithPath: knowledge, relativeTo: cwd).standardizedFileURL
        if KnowledgeSource.nearestKnowledge(above: folder)?.standardizedFileURL.path != knowledgeURL.path {
            header.knowledge = Self.relativePath(from: folder, to: knowledgeURL)
        }
        if let config {
            header.config = Self.relativePath(from: folder, to: URL(fileURLWithPath: config, relativeTo: cwd).standardizedFileURL)
        }
    }

    /// `target` as a path relative to `folder` (`../knowledge`).
    static func relativePath(from folder: URL, to target: URL) -> String {
        let from = folder.standardizedFileURL.pathComponents
        let to = target.standardizedFileURL.pathComponents
        var common = 0
        while common < from.count, common < to.count, from[common] == to[common] { common += 1 }
        if common <= 1 { return target.path }
        let parts = Array(repeating: "..", count: from.count - common) + to[common...]
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}

/// Writes a chat as a transcript: `concierge chat --record FILE` and `/save FILE`.
///
/// With `--record` the chat itself runs as replay will (an in-memory store, a clock frozen at the
/// start), so what the customer saw is what the transcript holds. `/save` in an ordinary chat
/// writes what the bot says on a replay of the same messages and agent steps, and notes any turn
/// where that differs from what was shown (a real store's queue, a clock that moved on).
struct ChatRecorder: Sendable {
    var knowledge = "knowledge"
    var config: String?
    var customer: String?

    /// The instant a recorded chat's frozen clock starts at: now, to the minute.
    static func recordingStart() -> Date {
        Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 60).rounded(.down) * 60)
    }

    /// Writes the session's conversation so far to `path`; returns what to tell the user.
    ///
    /// - Parameters:
    ///   - replacing: Replace an existing regular file at `path`.
    ///   - confined: Keep to the current folder (for `/save`, typed in the chat).
    func save(session: CustomerSession, to path: String, replacing: Bool, confined: Bool) throws -> String {
        let customer = customer
        let (stored, engine) = try blocking {
            let id = await session.id
            return (try await TranscriptExport.load(id: id, from: session.store), await session.engine)
        }
        guard !stored.turns.isEmpty else { return "Nothing to save yet: say something first." }
        var script = TranscriptExport.script(stored, knowledge: engine.knowledge, file: path)
        script.header.customer = customer
        RecordingPaths(knowledge: knowledge, config: config).apply(to: &script.header, file: path)
        let finalScript = script
        let recording = try blocking {
            await TranscriptRecorder(engine: engine).record(
                finalScript, comments: ["Recorded with `concierge chat`. Describe what this conversation checks here."])
        }
        try SafeFile.write(recording.text, to: path, replacing: replacing, confinedToCurrentFolder: confined)
        Self.reportDivergences(stored, recording: recording)
        return
            "Saved \(recording.script.customerTurnCount) message\(recording.script.customerTurnCount == 1 ? "" : "s") to \(path); `concierge replay \(path)` replays it."
    }

    /// Says on standard error where the replay's bot differs from what the customer was shown.
    static func reportDivergences(_ stored: TranscriptExport.Stored, recording: TranscriptRecorder.Recording) {
        let changes = TranscriptExport.divergences(stored, observation: recording.observation)
        guard !changes.isEmpty else { return }
        Output.error(
            "note: the transcript holds what the bot says on a replay; \(changes.count) turn\(changes.count == 1 ? "" : "s") differ\(changes.count == 1 ? "s" : "") from the conversation as it happened:"
        )
        for change in changes.prefix(10) { Output.error("  turn \(change.turn): \(change.change)") }
    }

}
