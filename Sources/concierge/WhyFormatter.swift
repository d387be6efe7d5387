import ConciergeEngine
import Foundation

/// Renders a turn's explanation for people (`/why`).
enum WhyFormatter {
    static func describe(_ turn: Turn) -> String {
        let why = turn.explanation
        var lines: [String] = []
        lines.append("Decision: \(why.decision)")
        if !why.acts.isEmpty {
            lines.append("Read as:")
            for act in why.acts { lines.append("  " + (act.won ? "▸ " : "  ") + act.description.replacingOccurrences(of: "  ← acted on", with: "")) }
        }
        lines.append("Action: \(turn.action.rawValue)" + (turn.intent.map { ", intent \($0.name) (confidence \(number($0.confidence)))" } ?? ""))
        if let matchedBy = why.matchedBy {
            lines.append("Matched by: " + (matchedBy == "pattern" ? "the pattern “\(why.pattern ?? "")”" : "the classifier trained on the examples"))
        }
        lines.append("Words read: " + (why.stems.isEmpty ? "(none)" : why.stems.joined(separator: " ")))
        if !why.corrections.isEmpty {
            lines.append("Spelling: " + why.corrections.map { "\($0.typed) → \($0.corrected)" }.joined(separator: ", "))
        }
        if !why.entities.isEmpty {
            lines.append("Entities: " + why.entities.map { "\($0.entity) = \($0.value)" }.joined(separator: ", "))
        }
        if !why.intents.isEmpty {
            lines.append("Intents:")
            for (i, candidate) in why.intents.prefix(3).enumerated() {
                lines.append("  \(i == 0 ? "best     " : i == 1 ? "runner-up" : "next     ") \(candidate.name)  confidence \(number(candidate.confidence))  score \(number(candidate.score))")
            }
        }
        if !why.articles.isEmpty {
            lines.append("Articles:")
            for candidate in why.articles.prefix(3) {
                lines.append("  \(candidate.name)  confidence \(number(candidate.confidence))  BM25F \(number(candidate.score))")
            }
        }
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String { String(format: "%.3f", value) }
}
