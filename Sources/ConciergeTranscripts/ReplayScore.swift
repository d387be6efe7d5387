import Foundation

/// How well the bot did on a suite of unscripted conversations: the share of customer turns whose
/// every check passed, and the share of conversations right from start to finish, per folder.
///
/// Scored conversations (under a `conversations/` folder) are written the way customers type, with
/// loose checks (`? intent`, `? action`, `<~`), and measure the bot rather than gate a change:
/// `concierge replay --score` prints the figures, and `--min-turns` / `--min-conversations` turn a
/// drop below a floor into a failure.
///
/// ```swift
/// let score = ReplayScore(outcome)
/// for folder in score.folders { print(folder.name, folder.turnsRight, "/", folder.turns) }
/// ```
public struct ReplayScore: Sendable, Hashable {
    /// One folder's figures.
    public struct Folder: Sendable, Hashable {
        /// The folder, as the transcripts' paths name it.
        public var name: String
        /// Customer turns replayed, and those whose checks all passed.
        public var turns = 0
        public var turnsRight = 0
        /// Conversations replayed, and those with no difference at all.
        public var conversations = 0
        public var conversationsRight = 0

        /// `turnsRight / turns`, 0 when there are none.
        public var turnRate: Double { turns == 0 ? 0 : Double(turnsRight) / Double(turns) }
        /// `conversationsRight / conversations`, 0 when there are none.
        public var conversationRate: Double { conversations == 0 ? 0 : Double(conversationsRight) / Double(conversations) }
    }

    /// Per folder, in name order.
    public var folders: [Folder]
    /// Every folder together.
    public var total: Folder

    /// Scores a replay. A turn is right when no check on it failed; a transcript that could not run
    /// counts every turn it has as wrong.
    public init(_ outcome: ReplayOutcome) {
        var byFolder: [String: Folder] = [:]
        var total = Folder(name: "all")
        for replayed in outcome.transcripts {
            let name = Self.folder(of: replayed.file.name)
            var folder = byFolder[name] ?? Folder(name: name)
            let result = replayed.result
            let turns = replayed.transcript?.customerTurnCount ?? result.customerTurns
            let wrong = result.isBroken ? turns : Set(result.mismatches.compactMap(\.turn)).count
            folder.turns += turns
            folder.turnsRight += max(0, turns - wrong)
            folder.conversations += 1
            folder.conversationsRight += result.passed ? 1 : 0
            total.turns += turns
            total.turnsRight += max(0, turns - wrong)
            total.conversations += 1
            total.conversationsRight += result.passed ? 1 : 0
            byFolder[name] = folder
        }
        self.folders = byFolder.values.sorted { $0.name < $1.name }
        self.total = total
    }

    /// The folder part of a transcript's path ("transcripts/conversations/tune/a.transcript" →
    /// "transcripts/conversations/tune"); "." for a file given on its own.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return String(path[..<slash])
    }

    /// The report: a line per folder, then the total when there is more than one folder.
    ///
    ///     transcripts/conversations/check  turns 412/480 (85.8%)  conversations 52/80 (65.0%)
    public func text() -> String {
        let rows = folders.count > 1 ? folders + [total] : folders
        let width = rows.map(\.name.count).max() ?? 0
        return rows.map { folder in
            let name = folder.name.padding(toLength: width, withPad: " ", startingAt: 0)
            return "\(name)  turns \(folder.turnsRight)/\(folder.turns) (\(Self.percent(folder.turnRate)))"
                + "  conversations \(folder.conversationsRight)/\(folder.conversations) (\(Self.percent(folder.conversationRate)))"
        }.joined(separator: "\n") + "\n"
    }

    /// "85.8%": a share as a percentage with one decimal.
    public static func percent(_ rate: Double) -> String {
        let tenths = (rate * 1000).rounded() / 10
        return String(format: "%.1f%%", tenths)
    }
}
