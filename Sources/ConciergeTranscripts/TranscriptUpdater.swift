/// Rewrites the expectations of a transcript that changed, in place: exact replies, `?` checks and
/// messages from the agent take what the replay gave; comments, blank lines and the author's
/// looser checks (`<~`, `</`) stay exactly as written.
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

        /// True when the text changed.
        public var changed: Bool { !rewritten.isEmpty }
    }

    /// `text` with every mismatch that has a replacement rewritten.
    public static func update(_ text: String, mismatches: [Mismatch]) -> Update {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let crlf = lines.first?.hasSuffix("\r") ?? false
        var rewritten: [Mismatch] = []
        var kept: [Mismatch] = []
        var taken: [ClosedRange<Int>] = []
        // From the bottom up, so earlier line numbers stay valid.
        for mismatch in mismatches.sorted(by: { $0.line > $1.line }) {
            let range = mismatch.line...max(mismatch.line, mismatch.endLine)
            guard let replacement = mismatch.replacement, range.lowerBound >= 1, range.upperBound <= lines.count,
                !taken.contains(where: { $0.overlaps(range) })
            else {
                kept.append(mismatch)
                continue
            }
            let original = lines[range.lowerBound - 1]
            let indent = String(original.prefix { $0 == " " || $0 == "\t" })
            lines.replaceSubrange((range.lowerBound - 1)...(range.upperBound - 1), with: replacement.map { indent + $0 + (crlf ? "\r" : "") })
            taken.append(range)
            rewritten.append(mismatch)
        }
        return Update(text: lines.joined(separator: "\n"), rewritten: rewritten.reversed(), kept: kept.reversed())
    }
}
