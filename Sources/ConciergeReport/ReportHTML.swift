import Foundation

/// A report as one self-contained HTML page: inline CSS and SVG charts, no scripts, no fonts or
/// images from anywhere. Charts where people would rather look than read (containment over time,
/// handoff reasons, waiting times, the gap clusters), tables for the rest. Every text from a
/// customer or an agent is HTML-escaped.
public enum ReportHTML {
    /// The page.
    public static func page(_ report: Report, title: String = "Concierge report") -> String {
        var html = """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(escape(title))</title>
            <style>
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:64rem;color:#1d2330;padding:0 1rem}
            h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #dde2ea;padding-bottom:.3rem}
            .range{color:#5b6474;margin-top:0}
            .figures{display:flex;flex-wrap:wrap;gap:1rem;margin:1.2rem 0}
            .figure{background:#f3f6fa;border-radius:8px;padding:.7rem 1rem;min-width:8.5rem}
            .figure .value{font-size:1.5rem;font-weight:600}.figure .name{color:#5b6474;font-size:.85rem}
            table{border-collapse:collapse;width:100%;margin:.6rem 0;font-size:.92rem}
            th,td{text-align:left;padding:.35rem .5rem;border-bottom:1px solid #e6e9ef;vertical-align:top}
            td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
            svg text{font-family:inherit;font-size:12px;fill:#1d2330}svg .muted{fill:#5b6474}
            .examples{margin:0;padding-left:1.1rem;color:#323a48}
            .empty{color:#5b6474;font-style:italic}
            </style></head><body>
            <h1>\(escape(title))</h1>
            <p class="range">\(escape(rangeText(report)))</p>

            """
        html += "<section id=\"summary\"><div class=\"figures\">"
        html += figure("Conversations", number(report.conversations))
        html += figure("Messages", number(report.turns))
        html += figure("Containment", percent(report.containment.rate))
        html += figure("Handoffs", number(report.handoffs.total))
        html += figure("Waiting now", number(report.agents.waitingNow))
        html += figure("First reply p50", duration(report.agents.firstReply.p50Seconds))
        html += figure("Satisfaction", report.satisfaction.average.map { String(format: "%.2f / 5", $0) } ?? "–")
        html += "</div></section>\n"

        html += "<section id=\"containment\"><h2>Containment over time</h2>"
        html += "<p>\(number(report.containment.contained)) of \(number(report.conversations)) conversations ended without a person (\(percent(report.containment.rate))).</p>"
        html += containmentChart(report.containment.byDay)
        html += "</section>\n"

        html += "<section id=\"handoffs\"><h2>Handoff reasons</h2>"
        html += barChart(report.handoffs.byReason.map { ($0.name, Double($0.count), number($0.count)) }, id: "reasons")
        html += "<table><tr><th>Queue</th><th class=\"n\">Handoffs</th></tr>"
        for entry in report.handoffs.byQueue { html += "<tr><td>\(escape(entry.name))</td><td class=\"n\">\(entry.count)</td></tr>" }
        html += "</table><table><tr><th>Intent the customer was on</th><th class=\"n\">Handoffs</th></tr>"
        for entry in report.handoffs.byIntent.prefix(15) { html += "<tr><td>\(escape(entry.name))</td><td class=\"n\">\(entry.count)</td></tr>" }
        html += "</table></section>\n"

        let agents = report.agents
        html += "<section id=\"waiting\"><h2>Waiting times</h2>"
        html += "<p>First agent reply: p50 \(duration(agents.firstReply.p50Seconds)), p90 \(duration(agents.firstReply.p90Seconds)) over \(agents.firstReply.count) handoffs. "
        html += "Resolution: p50 \(duration(agents.resolution.p50Seconds)), p90 \(duration(agents.resolution.p90Seconds)) over \(agents.resolution.count). "
        html += "Waiting now: \(agents.waitingNow); with an agent now: \(agents.claimedNow). Handbacks \(agents.handbacks), transfers \(agents.transfers), releases \(agents.releases), lapsed claims \(agents.leaseExpiries).</p>"
        html += waitingChart(agents.sla)
        html += "<table><tr><th>Queue</th><th class=\"n\">Target</th><th class=\"n\">Handoffs</th><th class=\"n\">Met</th><th class=\"n\">Breached</th><th class=\"n\">Pending</th><th class=\"n\">Closed without reply</th><th class=\"n\">First reply p50</th><th class=\"n\">p90</th></tr>"
        for queue in agents.sla {
            html += "<tr><td>\(escape(queue.queue))</td><td class=\"n\">\(queue.targetMinutes.map { "\(trim($0)) min" } ?? "–")</td><td class=\"n\">\(queue.handoffs)</td>"
            html += "<td class=\"n\">\(queue.met)</td><td class=\"n\">\(queue.breached)</td><td class=\"n\">\(queue.pending)</td><td class=\"n\">\(queue.closedWithoutReply)</td>"
            html += "<td class=\"n\">\(duration(queue.firstReply.p50Seconds))</td><td class=\"n\">\(duration(queue.firstReply.p90Seconds))</td></tr>"
        }
        html += "</table>"
        if !agents.byAgent.isEmpty {
            html += "<table><tr><th>Agent</th><th class=\"n\">Claims</th><th class=\"n\">Replies</th><th class=\"n\">Resolved</th><th class=\"n\">Handbacks</th><th class=\"n\">Transfers</th><th class=\"n\">Releases</th></tr>"
            for agent in agents.byAgent {
                html += "<tr><td>\(escape(agent.agent))</td><td class=\"n\">\(agent.claims)</td><td class=\"n\">\(agent.replies)</td><td class=\"n\">\(agent.resolved)</td><td class=\"n\">\(agent.handbacks)</td><td class=\"n\">\(agent.transfers)</td><td class=\"n\">\(agent.releases)</td></tr>"
            }
            html += "</table>"
        }
        html += "</section>\n"

        let gaps = report.gaps
        html += "<section id=\"gaps\"><h2>Knowledge gaps</h2>"
        html += "<p>\(number(gaps.messages)) messages the bot could not answer well, in \(number(gaps.clustersTotal)) clusters"
        html += gaps.byKind.isEmpty ? "." : " (" + gaps.byKind.map { "\(escape($0.name.replacingOccurrences(of: "_", with: " "))) \($0.count)" }.joined(separator: ", ") + ")."
        html += "</p>"
        html += barChart(gaps.clusters.prefix(12).map { (String($0.label.prefix(48)), Double($0.count), number($0.count)) }, id: "clusters")
        html += "<table><tr><th class=\"n\">Messages</th><th>Examples</th><th>Closest intent or article</th></tr>"
        for cluster in gaps.clusters {
            html += "<tr class=\"cluster\"><td class=\"n\">\(cluster.count)</td><td><ul class=\"examples\">"
            for example in cluster.examples { html += "<li>\(escape(example))</li>" }
            html += "</ul></td><td>\(cluster.nearest.map { "\(escape($0.kind)) <b>\(escape($0.id))</b> (\(escape($0.label)), \(String(format: "%.2f", $0.confidence)))" } ?? "–")</td></tr>"
        }
        html += "</table>"
        if gaps.otherMessages > 0 { html += "<p class=\"empty\">\(gaps.otherMessages) more messages in smaller clusters.</p>" }
        let unhelpful = report.unhelpfulAnswers.filter { $0.notHelpful + $0.handoffs > 0 }.prefix(15)
        html += "<h2>Answers that did not help</h2><table><tr><th>Intent or article</th><th class=\"n\">Answers</th><th class=\"n\">“Didn't help”</th><th class=\"n\">Handoff next</th><th class=\"n\">Rate</th></tr>"
        for entry in unhelpful {
            html += "<tr><td>\(escape(entry.kind)) \(escape(entry.id))</td><td class=\"n\">\(entry.answers)</td><td class=\"n\">\(entry.notHelpful)</td><td class=\"n\">\(entry.handoffs)</td><td class=\"n\">\(percent(entry.rate))</td></tr>"
        }
        if unhelpful.isEmpty { html += "<tr><td colspan=\"5\" class=\"empty\">No answer was followed by “that didn't help” or a handoff.</td></tr>" }
        html += "</table></section>\n"

        let satisfaction = report.satisfaction
        html += "<section id=\"satisfaction\"><h2>Satisfaction</h2>"
        html += "<p>\(satisfaction.answered) of \(satisfaction.asked) customers asked answered; average \(satisfaction.average.map { String(format: "%.2f", $0) } ?? "–") of 5.</p>"
        html += barChart((1...5).map { ("\($0)", Double(satisfaction.distribution[$0 - 1]), "\(satisfaction.distribution[$0 - 1])") }, id: "scores")
        for (name, groups) in [("Queue", satisfaction.byQueue), ("Agent", satisfaction.byAgent), ("Intent", satisfaction.byIntent)] {
            html += "<table><tr><th>\(name)</th><th class=\"n\">Answers</th><th class=\"n\">Average</th></tr>"
            for group in groups { html += "<tr><td>\(escape(group.name))</td><td class=\"n\">\(group.answered)</td><td class=\"n\">\(String(format: "%.2f", group.average))</td></tr>" }
            html += "</table>"
        }
        if !satisfaction.comments.isEmpty {
            html += "<h3>Latest comments</h3><ul>"
            for comment in satisfaction.comments { html += "<li>\(comment.score)/5 (\(escape(comment.queue))): \(escape(comment.comment))</li>" }
            html += "</ul>"
        }
        html += "</section>\n</body></html>\n"
        return html
    }

    // MARK: - Charts

    /// Horizontal bars, one per entry, labelled with its name and value.
    static func barChart(_ entries: [(name: String, value: Double, text: String)], id: String) -> String {
        guard !entries.isEmpty else { return "<p class=\"empty\">Nothing to show.</p>" }
        let rowHeight = 24.0, labelWidth = 300.0, width = 760.0
        let maximum = max(entries.map(\.value).max() ?? 1, 1)
        var svg = "<svg id=\"chart-\(id)\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(rowHeight * Double(entries.count) + 8))\" viewBox=\"0 0 \(Int(width)) \(Int(rowHeight * Double(entries.count) + 8))\">"
        for (index, entry) in entries.enumerated() {
            let y = Double(index) * rowHeight + 4
            let length = (width - labelWidth - 70) * entry.value / maximum
            svg += "<text x=\"\(Int(labelWidth - 8))\" y=\"\(Int(y + 16))\" text-anchor=\"end\">\(escape(entry.name))</text>"
            svg += "<rect class=\"bar\" x=\"\(Int(labelWidth))\" y=\"\(Int(y + 3))\" width=\"\(String(format: "%.1f", length))\" height=\"\(Int(rowHeight - 6))\" fill=\"#3b6fd8\" rx=\"3\"></rect>"
            svg += "<text class=\"value\" x=\"\(String(format: "%.1f", labelWidth + length + 6))\" y=\"\(Int(y + 16))\">\(escape(entry.text))</text>"
        }
        return svg + "</svg>"
    }

    /// One column per day: its height the share contained, its label the day.
    static func containmentChart(_ days: [Report.Containment.Day]) -> String {
        guard !days.isEmpty else { return "<p class=\"empty\">No conversations in this range.</p>" }
        let width = 760.0, height = 220.0, left = 44.0, bottom = 40.0, top = 12.0
        let step = (width - left - 10) / Double(days.count)
        var svg = "<svg id=\"chart-containment\" role=\"img\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">"
        for tick in [0.0, 0.5, 1.0] {
            let y = top + (height - top - bottom) * (1 - tick)
            svg += "<line x1=\"\(Int(left))\" x2=\"\(Int(width - 10))\" y1=\"\(Int(y))\" y2=\"\(Int(y))\" stroke=\"#dde2ea\"></line>"
            svg += "<text class=\"muted\" x=\"\(Int(left - 6))\" y=\"\(Int(y + 4))\" text-anchor=\"end\">\(Int(tick * 100))%</text>"
        }
        let labelEvery = max(1, days.count / 10)
        for (index, day) in days.enumerated() {
            let barHeight = (height - top - bottom) * day.rate
            let x = left + Double(index) * step
            svg += "<rect class=\"day\" x=\"\(String(format: "%.1f", x + step * 0.15))\" y=\"\(String(format: "%.1f", height - bottom - barHeight))\" width=\"\(String(format: "%.1f", step * 0.7))\" height=\"\(String(format: "%.1f", barHeight))\" fill=\"#2f9e6e\"><title>\(day.day): \(day.contained) of \(day.conversations) contained (\(percent(day.rate)))</title></rect>"
            if index % labelEvery == 0 {
                svg += "<text class=\"muted\" x=\"\(String(format: "%.1f", x + step / 2))\" y=\"\(Int(height - bottom + 16))\" text-anchor=\"middle\">\(day.day.dropFirst(5))</text>"
            }
        }
        return svg + "</svg>"
    }

    /// First-reply p50 and p90 per queue, in minutes.
    static func waitingChart(_ queues: [Report.Agents.Queue]) -> String {
        let measured = queues.filter { $0.firstReply.count > 0 }
        guard !measured.isEmpty else { return "<p class=\"empty\">No agent has replied yet.</p>" }
        var entries: [(String, Double, String)] = []
        for queue in measured {
            for (name, value) in [("p50", queue.firstReply.p50Seconds ?? 0), ("p90", queue.firstReply.p90Seconds ?? 0)] {
                entries.append(("\(queue.queue) \(name)", value / 60, duration(value)))
            }
        }
        return barChart(entries, id: "waiting")
    }

    // MARK: - Text

    /// `text` safe inside HTML text and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default:
                // Control characters would be invisible; show them as their code.
                if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" || (0x7F...0x9F).contains(scalar.value) {
                    out += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    static func figure(_ name: String, _ value: String) -> String {
        "<div class=\"figure\"><div class=\"value\">\(escape(value))</div><div class=\"name\">\(escape(name))</div></div>"
    }

    /// "62.5%".
    public static func percent(_ rate: Double) -> String {
        let value = (rate * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : String(format: "%.1f%%", value)
    }

    /// "1,234".
    public static func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { out += "," }
            out.append(character)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// "4m 05s", "2h 10m", "–" for none.
    public static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "–" }
        let total = Int(seconds.rounded())
        if total < 3600 { return String(format: "%dm %02ds", total / 60, total % 60) }
        if total < 86_400 { return String(format: "%dh %02dm", total / 3600, total % 3600 / 60) }
        return String(format: "%dd %02dh", total / 86_400, total % 86_400 / 3600)
    }

    static func trim(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }

    /// "Conversations started 2026-11-01 – 2026-12-01" (or "all conversations").
    public static func rangeText(_ report: Report) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        switch (report.range.since, report.range.until) {
        case (nil, nil): return "All conversations in the store."
        case (let since?, nil): return "Conversations started from \(formatter.string(from: since))."
        case (nil, let until?): return "Conversations started before \(formatter.string(from: until))."
        case (let since?, let until?): return "Conversations started from \(formatter.string(from: since)) to before \(formatter.string(from: until))."
        }
    }
}
