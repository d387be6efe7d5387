import ConciergeEngine
import ConciergeStore
import Foundation
import Rainbow

/// Renders handoffs for agents (a queue table, the whole packet) and for scripts (JSON).
enum HandoffFormatter {
    /// One line per handoff: priority, waiting time, due, reason, queue, holder, summary.
    static func table(_ handoffs: [Handoff], now: Date, width: Int = 120) -> String {
        guard !handoffs.isEmpty else { return "The queue is empty." }
        var rows: [[String]] = [["ID", "PRI", "STATUS", "WAITING", "DUE", "REASON", "QUEUE", "AGENT", "SUMMARY"]]
        for handoff in handoffs {
            let due = handoff.breachesTarget(now: now) ? "LATE " + duration(now.timeIntervalSince(handoff.dueAt)) : "in " + duration(handoff.dueAt.timeIntervalSince(now))
            rows.append([
                handoff.id, "P\(handoff.priority)", handoff.status.rawValue, duration(now.timeIntervalSince(handoff.createdAt)), due,
                handoff.reason.rawValue, handoff.queue, handoff.claimedBy ?? "-", handoff.summary,
            ].map(TerminalText.line))
        }
        let columns = rows[0].count
        var widths = [Int](repeating: 0, count: columns)
        for row in rows { for (i, cell) in row.enumerated() where i < columns - 1 { widths[i] = max(widths[i], cell.count) } }
        let used = widths.reduce(0, +) + 2 * (columns - 1)
        let summaryWidth = max(20, width - used)
        return rows.enumerated().map { index, row in
            var cells: [String] = []
            for (i, cell) in row.enumerated() {
                if i == columns - 1 {
                    cells.append(cell.count > summaryWidth ? String(cell.prefix(summaryWidth - 1)) + "…" : cell)
                } else {
                    cells.append(cell.padding(toLength: widths[i], withPad: " ", startingAt: 0))
                }
            }
            let line = cells.joined(separator: "  ")
            if index == 0 { return line.bold }
            return row[4].hasPrefix("LATE") ? line.red : line
        }.joined(separator: "\n")
    }

    /// The whole packet, readable: who, what, what the bot tried, what it suggests, and the conversation.
    static func packet(_ handoff: Handoff, messages: [HandoffMessage], events: [HandoffEvent], now: Date) -> String {
        var lines: [String] = []
        lines.append("\(handoff.id)  \(handoff.status.rawValue.uppercased())  P\(handoff.priority)  queue \(safe(handoff.queue))  reason \(handoff.reason.rawValue)".bold)
        lines.append("Summary: \(safe(handoff.summary))")
        lines.append("Sentiment: \(safe(handoff.sentiment))")
        let waited = duration(now.timeIntervalSince(handoff.createdAt))
        lines.append("Waiting: \(waited); first response due \(timestamp(handoff.dueAt))" + (handoff.breachesTarget(now: now) ? "  (target missed)".red : ""))
        if let promise = handoff.promise { lines.append("Promised the customer: a reply by email by \(safe(promise))") }
        if let agent = handoff.claimedBy { lines.append("Held by: \(safe(agent))") }
        lines.append("")
        lines.append("Customer".bold)
        if let profile = handoff.profile {
            lines.append("  id \(safe(profile.id))" + (profile.name.map { ", \(safe($0))" } ?? ""))
            for (key, value) in profile.fields.sorted(by: { $0.key < $1.key }) { lines.append("  \(safe(key)): \(safe(value.value))") }
        } else {
            lines.append("  " + (handoff.customerID.map { "id \(safe($0))" } ?? "not identified"))
        }
        lines.append("Known (slots)".bold)
        if handoff.slots.isEmpty { lines.append("  nothing yet") }
        for (key, value) in handoff.slots.sorted(by: { $0.key < $1.key }) { lines.append("  \(safe(key)) = \(safe(value))") }
        if !handoff.suggestedArticles.isEmpty {
            lines.append("Suggested articles".bold)
            for article in handoff.suggestedArticles { lines.append("  \(safe(article.id)): \(safe(article.title))") }
        }
        lines.append("Conversation with the bot".bold)
        for turn in handoff.transcript {
            let intent = turn.intent.map { " [\($0) \(String(format: "%.2f", turn.confidence ?? 0))]" } ?? ""
            lines.append("  \(turn.number). customer: \(safe(turn.customer))")
            let articles = turn.articles.isEmpty ? "" : " (articles: \(turn.articles.joined(separator: ", ")))"
            lines.append("     bot \(turn.action.rawValue)\(intent)\(articles): " + safe(turn.reply.replacingOccurrences(of: "\n", with: " / ")))
        }
        if !messages.isEmpty {
            lines.append("Since the handoff".bold)
            for message in messages {
                let who = message.sender == .note ? "note (\(message.author))" : message.sender == .customer ? "customer" : message.author
                lines.append("  \(timestamp(message.at)) \(safe(who)): \(safe(message.text))")
            }
        }
        if !events.isEmpty {
            lines.append("Audit log".bold)
            for event in events {
                lines.append("  \(timestamp(event.at)) \(event.kind.rawValue) by \(safe(event.actor))" + (event.detail.isEmpty ? "" : ": \(safe(event.detail))"))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// A person's text on one line, safe for a terminal.
    static func safe(_ text: String) -> String { TerminalText.line(text) }

    /// "3m 05s", "1h 12m", "2d 4h".
    static func duration(_ seconds: TimeInterval) -> String {
        let s = Int(max(0, seconds))
        if s < 3600 { return "\(s / 60)m \(String(format: "%02d", s % 60))s" }
        if s < 86_400 { return "\(s / 3600)h \(String(format: "%02d", (s % 3600) / 60))m" }
        return "\(s / 86_400)d \((s % 86_400) / 3600)h"
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// JSON for scripts: sorted keys, ISO 8601 dates.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        guard let data = try? encoder.encode(value) else { return "null" }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A handoff with its messages and audit log, for `queue show --json`.
struct HandoffDocument: Encodable {
    let handoff: Handoff
    let messages: [HandoffMessage]
    let events: [HandoffEvent]

    enum Keys: String, CodingKey { case messages, events }

    func encode(to encoder: any Encoder) throws {
        try handoff.encode(to: encoder)
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(messages, forKey: .messages)
        try container.encode(events, forKey: .events)
    }
}
