import ConciergeEngine
import Foundation

/// Rewrites the expectations of a transcript that changed, in place: exact replies, `?` checks and
/// messages from the agent take what the replay gave; comments, blank lines and the author's
/// looser checks (`<~`, `</`) stay exactly as written. Customer messages written with no
/// expectations at all get the recorder's (the reply and its checks), so a transcript can be
/// written as messages only and filled in.
///
/// ```swift
/// let update = TranscriptUpdater.update(text, mismatches: run.result.mismatches)
/// try update.text.write(to: url, atomically: true, encoding: .utf8)
/// for kept in update.kept { print("\(kept.file):\(kept.line): edit this check by hand") }
/// ```
public enum TranscriptUpdater {
    /// A rewritten transcript.
    public struct Update: Sendable {
        /// The new text of the file.
        public var text: String
        /// The expectations rewritten.
        public var rewritten: [Mismatch]
        /// The expectations left as written (looser checks, failed agent steps): they still fail.
        public var kept: [Mismatch]

        /// Lines of expectations added where a message or agent step had none.
        public var filled: Int = 0

        /// True when the text changed.
        public var changed: Bool { !rewritten.isEmpty || filled > 0 }
    }

    /// Expectations to add: lines to insert after a line of the file.
    public struct Insertion: Sendable, Hashable {
        /// The line they go after (0: at the top).
        public var after: Int
        /// The lines.
        public var lines: [String]
        /// True to keep a blank line between them and a line that follows directly.
        public var separate: Bool = false
    }

    /// The expectations the recorder would write for the customer messages and agent steps of
    /// `transcript` that have none, and for a welcome nobody wrote down.
    public static func fills(_ transcript: Transcript, observation: Observation) -> [Insertion] {
        var insertions: [Insertion] = []
        if transcript.welcome.isEmpty, let welcome = observation.welcome, let first = transcript.items.first {
            insertions.append(Insertion(after: first.line - 1, lines: TranscriptWriter.exactReplyLines(welcome) + [""]))
        }
        for (item, observed) in zip(transcript.items, observation.items) {
            switch item {
            case .customer(let turn) where turn.replies.isEmpty && turn.checks.isEmpty:
                guard let reply = observed.turn else { continue }
                let lines =
                    TranscriptWriter.exactReplyLines(reply.reply) + TranscriptWriter.defaultChecks(reply, relayed: observed.relayed).map(\.text)
                insertions.append(Insertion(after: turn.line, lines: lines, separate: true))
            case .agent(let step) where step.messages.isEmpty && !observed.shown.isEmpty && observed.failure == nil:
                insertions.append(Insertion(after: step.line, lines: TranscriptWriter.agentMessageLines(observed.shown)))
            default:
                continue
            }
        }
        return insertions
    }

    /// `text` with every mismatch that has a replacement rewritten, and `insertions` added.
    public static func update(_ text: String, mismatches: [Mismatch], insertions: [Insertion] = []) -> Update {
        let crlf = text.unicodeScalars.contains("\r")
        var lines = TranscriptParser.lines(of: text)
        let endsWithNewline = text.unicodeScalars.last == "\n"
        var rewritten: [Mismatch] = []
        var kept: [Mismatch] = []
        var taken: [ClosedRange<Int>] = []
        var filled = 0
        // From the bottom up, so earlier line numbers stay valid; an insertion after line L goes in
        // before any rewrite at or above L.
        var pending = insertions.sorted { $0.after > $1.after }[...]
        func insert(downTo line: Int) {
            while let next = pending.first, next.after >= line {
                pending.removeFirst()
                guard next.after <= lines.count else { continue }
                var added = next.lines
                if next.separate, next.after < lines.count, !lines[next.after].trimmingCharacters(in: .whitespaces).isEmpty { added.append("") }
                lines.insert(contentsOf: added, at: next.after)
                filled += next.lines.count
            }
        }
        for mismatch in mismatches.sorted(by: { $0.line > $1.line }) {
            insert(downTo: mismatch.line)
            let range = mismatch.line...max(mismatch.line, mismatch.endLine)
            guard let replacement = mismatch.replacement, range.lowerBound >= 1, range.upperBound <= lines.count,
                !taken.contains(where: { $0.overlaps(range) })
            else {
                kept.append(mismatch)
                continue
            }
            let original = lines[range.lowerBound - 1]
            let indent = String(original.prefix { $0 == " " || $0 == "\t" })
            lines.replaceSubrange((range.lowerBound - 1)...(range.upperBound - 1), with: replacement.map { indent + $0 })
            taken.append(range)
            rewritten.append(mismatch)
        }
        insert(downTo: 0)
        let separator = crlf ? "\r\n" : "\n"
        let joined = lines.joined(separator: separator) + (endsWithNewline ? separator : "")
        return Update(text: joined, rewritten: rewritten.reversed(), kept: kept.reversed(), filled: filled)
    }
}
