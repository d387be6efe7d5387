import Foundation
import Testing

/// Where Debian's chromium is, if it is installed (`.ci/run` installs it).
enum Browser {
    static let path: String? = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// The page at `file` as the browser rendered it: its DOM after layout, as HTML.
    static func renderedDOM(_ file: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path!)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        process.arguments = [
            "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--user-data-dir=\(profile.path)", "--dump-dom",
            URL(fileURLWithPath: file).absoluteString,
        ]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

@Suite("concierge report --html", .enabled(if: Browser.path != nil, "install Debian's chromium (`.ci/run` does)"))
struct ReportPageTests {
    @Test("the page renders in a real browser with the figures of --json, its charts, and nothing fetched from anywhere")
    func pageShowsTheFigures() throws {
        let (folder, store) = try ReportEndToEndTests.filledStore(count: 60)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html").path
        let result = try ConciergeProcess.run(["report", "--json", "--html", page, "--store", store, "--now", ReportEndToEndTests.now])
        #expect(result.status == 0, "\(result.stderr)")
        let report = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
        let source = try String(contentsOfFile: page, encoding: .utf8)
        for external in ["<script", "http://", "https://", "<link", "@import", "url("] {
            #expect(!source.contains(external), "self-contained: no \(external)")
        }

        let dom = try Browser.renderedDOM(page)
        #expect(dom.contains("<h1>Concierge report</h1>"), "the browser rendered the page")
        for heading in ["Containment over time", "Handoff reasons", "Waiting times", "Knowledge gaps", "Satisfaction"] {
            #expect(dom.contains("<h2>\(heading)</h2>"), "\(heading)")
        }
        // The headline figures, as --json has them.
        let conversations = report["conversations"] as? Int ?? -1
        let containment = report["containment"] as? [String: Any] ?? [:]
        let rate = containment["rate"] as? Double ?? -1
        let percent = (rate * 1000).rounded() / 10
        let shown = percent == percent.rounded() ? "\(Int(percent))%" : String(format: "%.1f%%", percent)
        #expect(dom.contains("<div class=\"value\">\(conversations)</div><div class=\"name\">Conversations</div>"))
        #expect(dom.contains("<div class=\"value\">\(shown)</div><div class=\"name\">Containment</div>"))
        #expect(dom.contains("\(containment["contained"] as? Int ?? -1) of \(conversations) conversations ended without a person"))

        // One column per day in the containment chart, one bar per handoff reason, per score, per listed cluster.
        let days = (containment["by_day"] as? [[String: Any]] ?? []).count
        #expect(days > 0)
        #expect(Self.count("<rect class=\"day\"", in: Self.section("chart-containment", dom)) == days)
        let reasons = ((report["handoffs"] as? [String: Any])?["by_reason"] as? [[String: Any]]) ?? []
        let reasonChart = Self.section("chart-reasons", dom)
        #expect(Self.count("<rect class=\"bar\"", in: reasonChart) == reasons.count)
        for reason in reasons {
            #expect(reasonChart.contains(">\(reason["name"] as? String ?? "?")</text>"))
            #expect(reasonChart.contains(">\(reason["count"] as? Int ?? -1)</text>"))
        }
        let agents = report["agents"] as? [String: Any] ?? [:]
        let queues = (agents["sla"] as? [[String: Any]] ?? []).filter { (($0["first_reply"] as? [String: Any])?["count"] as? Int ?? 0) > 0 }
        #expect(Self.count("<rect class=\"bar\"", in: Self.section("chart-waiting", dom)) == queues.count * 2, "p50 and p90 per queue")
        let gaps = report["gaps"] as? [String: Any] ?? [:]
        let clusters = gaps["clusters"] as? [[String: Any]] ?? []
        #expect(!clusters.isEmpty)
        #expect(Self.count("<rect class=\"bar\"", in: Self.section("chart-clusters", dom)) == min(12, clusters.count))
        #expect(Self.count("<tr class=\"cluster\">", in: dom) == clusters.count)
        for example in clusters.flatMap({ $0["examples"] as? [String] ?? [] }) {
            let escaped = example.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            #expect(dom.contains("<li>\(escaped)</li>"), "example \(example)")
        }
        let satisfaction = report["satisfaction"] as? [String: Any] ?? [:]
        #expect(dom.contains("\(satisfaction["answered"] as? Int ?? -1) of \(satisfaction["asked"] as? Int ?? -1) customers asked answered"))
        #expect(Self.count("<rect class=\"bar\"", in: Self.section("chart-scores", dom)) == 5)
    }

    /// The `<svg id="…">` element's markup.
    static func section(_ id: String, _ dom: String) -> String {
        guard let start = dom.range(of: "<svg id=\"\(id)\""), let end = dom.range(of: "</svg>", range: start.upperBound..<dom.endIndex) else { return "" }
        return String(dom[start.lowerBound..<end.upperBound])
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}
