import Foundation
import GRDB
import Testing

/// `concierge report` on a store filled by `concierge simulate conversations`: every figure of
/// `--json` against a count made here from the raw rows (read with GRDB, not through the store),
/// the HTML page in a real browser, and the usage errors.
@Suite("concierge report")
struct ReportEndToEndTests {
    static let now = "2026-11-18T15:00:00Z"

    /// A folder with a store of `count` simulated conversations, made once per test.
    static func filledStore(count: Int = 140) throws -> (folder: URL, store: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let store = folder.appendingPathComponent("store.sqlite").path
        let filled = try ConciergeProcess.run(["simulate", "conversations", "--count", "\(count)", "--store", store])
        #expect(filled.status == 0, "simulate: \(filled.stderr)")
        return (folder, store)
    }

    static func report(_ store: String, _ extra: [String] = []) throws -> [String: Any] {
        let result = try ConciergeProcess.run(["report", "--json", "--store", store, "--now", now] + extra)
        #expect(result.status == 0, "report: \(result.stderr)")
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))) as? [String: Any] ?? [:]
    }

    /// Nearest rank: the value at ⌈p·n⌉ of the sorted values, to the millisecond.
    static func percentile(_ values: [Double], _ p: Double) -> Double? {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = min(sorted.count, max(1, Int((p * Double(sorted.count)).rounded(.up))))
        return (sorted[rank - 1] * 1000).rounded() / 1000
    }

    static func rate(_ a: Int, _ b: Int) -> Double { b == 0 ? 0 : (Double(a) / Double(b) * 10_000).rounded() / 10_000 }

    /// `[{name, count}]` as a dictionary.
    static func counts(_ value: Any?) -> [String: Int] {
        var out: [String: Int] = [:]
        for entry in value as? [[String: Any]] ?? [] { out[entry["name"] as? String ?? ""] = entry["count"] as? Int }
        return out
    }

    @Test("every figure of report --json matches a count made from the raw rows of a simulated store")
    func figuresMatchTheRows() throws {
        let (folder, store) = try Self.filledStore()
        defer { try? FileManager.default.removeItem(at: folder) }
        let report = try Self.report(store)
        let db = try DatabaseQueue(path: store, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let now = ISO8601DateFormatter().date(from: Self.now)!.timeIntervalSince1970
        try db.read { db in
            let conversations = try Int.fetchOne(db, sql: "SELECT count(*) FROM conversation")!
            let handedOff = try Int.fetchOne(db, sql: "SELECT count(DISTINCT conversationId) FROM handoff")!
            #expect(conversations == 140)
            #expect(report["conversations"] as? Int == conversations)
            #expect(report["turns"] as? Int == (try Int.fetchOne(db, sql: "SELECT count(*) FROM turn")!))
            let containment = report["containment"] as? [String: Any] ?? [:]
            #expect(containment["contained"] as? Int == conversations - handedOff)
            #expect(containment["handed_off"] as? Int == handedOff)
            #expect(containment["rate"] as? Double == Self.rate(conversations - handedOff, conversations))
            #expect(handedOff > 0 && handedOff < conversations, "the mix has both")

            // Containment per day, in the team's zone.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "America/Chicago")!
            var days: [String: (Int, Int)] = [:]
            let handedOffIDs = Set(try String.fetchAll(db, sql: "SELECT conversationId FROM handoff"))
            for row in try Row.fetchAll(db, sql: "SELECT id, startedAt FROM conversation") {
                let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: row["startedAt"]))
                let day = String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
                var entry = days[day] ?? (0, 0)
                entry.0 += 1
                if !handedOffIDs.contains(row["id"]) { entry.1 += 1 }
                days[day] = entry
            }
            let byDay = containment["by_day"] as? [[String: Any]] ?? []
            #expect(byDay.map { $0["day"] as? String ?? "" } == days.keys.sorted())
            for entry in byDay {
                let expected = days[entry["day"] as? String ?? ""]
                #expect(entry["conversations"] as? Int == expected?.0)
                #expect(entry["contained"] as? Int == expected?.1)
            }

            // Handoffs by reason and queue.
            let handoffs = report["handoffs"] as? [String: Any] ?? [:]
            #expect(handoffs["total"] as? Int == (try Int.fetchOne(db, sql: "SELECT count(*) FROM handoff")!))
            func grouped(_ sql: String) throws -> [String: Int] {
                Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: sql).map { ($0[0] as String, $0[1] as Int) })
            }
            #expect(Self.counts(handoffs["by_reason"]) == (try grouped("SELECT reason, count(*) FROM handoff GROUP BY reason")))
            #expect(Self.counts(handoffs["by_queue"]) == (try grouped("SELECT queue, count(*) FROM handoff GROUP BY queue")))
            #expect(Self.counts(handoffs["by_intent"]).values.reduce(0, +) == handoffs["total"] as? Int)

            // The agents' side.
            let agents = report["agents"] as? [String: Any] ?? [:]
            #expect(agents["waiting_now"] as? Int == (try Int.fetchOne(db, sql: "SELECT count(*) FROM handoff WHERE status = 'queued'")!))
            #expect(agents["claimed_now"] as? Int == (try Int.fetchOne(db, sql: "SELECT count(*) FROM handoff WHERE status = 'claimed'")!))
            let replies = try Double.fetchAll(db, sql: "SELECT firstResponseAt - createdAt FROM handoff WHERE firstResponseAt IS NOT NULL")
            let resolutions = try Double.fetchAll(db, sql: "SELECT resolvedAt - createdAt FROM handoff WHERE status = 'resolved'")
            let firstReply = agents["first_reply"] as? [String: Any] ?? [:]
            let resolution = agents["resolution"] as? [String: Any] ?? [:]
            #expect(firstReply["count"] as? Int == replies.count)
            #expect(abs((firstReply["p50_seconds"] as? Double ?? -1) - Self.percentile(replies, 0.5)!) < 0.002)
            #expect(abs((firstReply["p90_seconds"] as? Double ?? -1) - Self.percentile(replies, 0.9)!) < 0.002)
            #expect(resolution["count"] as? Int == resolutions.count)
            #expect(abs((resolution["p50_seconds"] as? Double ?? -1) - Self.percentile(resolutions, 0.5)!) < 0.002)
            #expect(abs((resolution["p90_seconds"] as? Double ?? -1) - Self.percentile(resolutions, 0.9)!) < 0.002)
            func events(_ kind: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM handoffEvent WHERE kind = ?", arguments: [kind])! }
            #expect(agents["handbacks"] as? Int == (try events("handed_back")))
            #expect(agents["transfers"] as? Int == (try events("transferred")))
            #expect(agents["releases"] as? Int == (try events("released")))
            #expect(agents["lease_expiries"] as? Int == (try events("lease_expired")))
            #expect((agents["handbacks"] as? Int ?? 0) > 0 && (agents["transfers"] as? Int ?? 0) > 0 && (agents["releases"] as? Int ?? 0) > 0)
            for agent in agents["by_agent"] as? [[String: Any]] ?? [] {
                let name = agent["agent"] as? String ?? ""
                func by(_ kind: String) throws -> Int {
                    try Int.fetchOne(db, sql: "SELECT count(*) FROM handoffEvent WHERE kind = ? AND actor = ?", arguments: [kind, name])!
                }
                #expect(agent["claims"] as? Int == (try by("claimed")), "\(name)")
                #expect(agent["replies"] as? Int == (try by("replied")), "\(name)")
                #expect(agent["resolved"] as? Int == (try by("resolved")), "\(name)")
                #expect(agent["handbacks"] as? Int == (try by("handed_back")), "\(name)")
                #expect(agent["transfers"] as? Int == (try by("transferred")), "\(name)")
                #expect(agent["releases"] as? Int == (try by("released")), "\(name)")
            }
            // Service-level targets per queue: met, breached, pending, closed without a reply.
            let targets = ["general": 10.0, "orders": 10, "shipping": 10, "returns": 15, "billing": 15, "accounts": 15, "product": 20, "stores": 20, "privacy": 60]
            let sla = agents["sla"] as? [[String: Any]] ?? []
            #expect(sla.map { $0["queue"] as? String ?? "" } == (try String.fetchAll(db, sql: "SELECT DISTINCT queue FROM handoff ORDER BY queue")))
            for queue in sla {
                let name = queue["queue"] as? String ?? ""
                let rows = try Row.fetchAll(db, sql: "SELECT status, dueAt, firstResponseAt, createdAt FROM handoff WHERE queue = ?", arguments: [name])
                var met = 0, breached = 0, pending = 0, closed = 0
                for row in rows {
                    let due: Double = row["dueAt"]
                    if let first = row["firstResponseAt"] as Double? {
                        if first <= due { met += 1 } else { breached += 1 }
                    } else if ["queued", "claimed"].contains(row["status"] as String) {
                        if now > due { breached += 1 } else { pending += 1 }
                    } else {
                        closed += 1
                    }
                }
                #expect(queue["handoffs"] as? Int == rows.count, "\(name)")
                #expect(queue["met"] as? Int == met, "\(name)")
                #expect(queue["breached"] as? Int == breached, "\(name)")
                #expect(queue["pending"] as? Int == pending, "\(name)")
                #expect(queue["closed_without_reply"] as? Int == closed, "\(name)")
                #expect(queue["target_minutes"] as? Double == targets[name], "\(name)")
            }
            #expect(sla.contains { ($0["met"] as? Int ?? 0) > 0 } && sla.contains { ($0["breached"] as? Int ?? 0) > 0 }, "some replies late, some on time")

            // Satisfaction, overall and per queue, agent and intent.
            let satisfaction = report["satisfaction"] as? [String: Any] ?? [:]
            #expect(satisfaction["asked"] as? Int == (try Int.fetchOne(db, sql: "SELECT count(*) FROM satisfaction")!))
            let answered = try Int.fetchOne(db, sql: "SELECT count(score) FROM satisfaction")!
            #expect(answered > 0)
            #expect(satisfaction["answered"] as? Int == answered)
            let average = try Double.fetchOne(db, sql: "SELECT avg(score) FROM satisfaction WHERE score IS NOT NULL")!
            #expect(satisfaction["average"] as? Double == (average * 100).rounded() / 100)
            let distribution = try (1...5).map { try Int.fetchOne(db, sql: "SELECT count(*) FROM satisfaction WHERE score = ?", arguments: [$0])! }
            #expect(satisfaction["distribution"] as? [Int] == distribution)
            for (field, column, none) in [("by_queue", "queue", "(bot)"), ("by_agent", "agent", "(bot)"), ("by_intent", "intent", "(none)")] {
                let expected = try Row.fetchAll(
                    db, sql: "SELECT coalesce(\(column), '\(none)') AS name, count(*) AS n, avg(score) AS mean FROM satisfaction WHERE score IS NOT NULL GROUP BY name ORDER BY name")
                let groups = satisfaction[field] as? [[String: Any]] ?? []
                #expect(groups.map { $0["name"] as? String ?? "" } == expected.map { $0["name"] as String }, "\(field)")
                for (group, row) in zip(groups, expected) {
                    #expect(group["answered"] as? Int == row["n"] as Int, "\(field)")
                    #expect(group["average"] as? Double == ((row["mean"] as Double) * 100).rounded() / 100, "\(field)")
                }
            }

            // Knowledge gaps, classed here from the turns as README defines them.
            let turns = try Row.fetchAll(db, sql: "SELECT conversationId, action, intent, confidence, reply, handoffId, customer FROM turn ORDER BY conversationId, number")
            var kinds: [String: Int] = [:]
            var gapMessages = 0
            var answers: [String: (Int, Int, Int)] = [:]
            var index = 0
            while index < turns.count {
                var end = index
                while end < turns.count, turns[end]["conversationId"] as String == turns[index]["conversationId"] as String { end += 1 }
                let conversation = Array(turns[index..<end])
                var seen: Set<String> = []
                let relayed = conversation.map { row -> Bool in
                    guard let id = row["handoffId"] as String? else { return false }
                    return !seen.insert(id).inserted
                }
                var made = Set<Int>()
                var firstTurnOf: Set<String> = []
                for (i, row) in conversation.enumerated() { if let id = row["handoffId"] as String?, firstTurnOf.insert(id).inserted { made.insert(i) } }
                func notHelpful(_ row: Row) -> Bool {
                    (row["intent"] as String?) == "not_helpful" || (row["reply"] as String).hasPrefix("Sorry that didn't help")
                }
                var classed: [Int: String] = [:]
                for (i, row) in conversation.enumerated() where !relayed[i] {
                    let action: String = row["action"]
                    let previous = i > 0 && !relayed[i - 1] ? conversation[i - 1] : nil
                    if notHelpful(row) {
                        if previous?["action"] as String? == "answer" { classed[i - 1] = "not_helpful" }
                    } else if action == "clarify", previous?["action"] as String? == "clarify" {
                        classed[i] = classed[i] ?? "repeated_clarification"
                    } else if action == "answer", let confidence = row["confidence"] as Double?, confidence < 0.55 {
                        classed[i] = classed[i] ?? "low_confidence"
                    } else if made.contains(i), let id = row["handoffId"] as String?,
                        try String.fetchOne(db, sql: "SELECT reason FROM handoff WHERE id = ?", arguments: [id]) == "low_confidence"
                    {
                        classed[i] = classed[i] ?? "low_confidence"
                    } else if action == "fallback" {
                        classed[i] = classed[i] ?? "fallback"
                    }
                    if action == "answer" {
                        let next = i + 1 < conversation.count && !relayed[i + 1] ? conversation[i + 1] : nil
                        let bad = next.map(notHelpful) ?? false
                        let handedOff = !bad && made.contains(i + 1)
                        if let intent = row["intent"] as String? {
                            var entry = answers["intent:" + intent] ?? (0, 0, 0)
                            entry.0 += 1
                            if bad { entry.1 += 1 }
                            if handedOff { entry.2 += 1 }
                            answers["intent:" + intent] = entry
                        }
                    }
                }
                for (i, kind) in classed where !(conversation[i]["customer"] as String).trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    kinds[kind, default: 0] += 1
                    gapMessages += 1
                }
                index = end
            }
            let gaps = report["gaps"] as? [String: Any] ?? [:]
            #expect(gaps["messages"] as? Int == gapMessages)
            #expect(Self.counts(gaps["by_kind"]) == kinds)
            #expect(gapMessages > 0 && kinds.count >= 2, "the mix has gaps of several kinds")
            let clusters = gaps["clusters"] as? [[String: Any]] ?? []
            #expect(clusters.reduce(0) { $0 + ($1["count"] as? Int ?? 0) } + (gaps["other_messages"] as? Int ?? -1) == gapMessages)
            for cluster in clusters {
                let examples = cluster["examples"] as? [String] ?? []
                #expect((1...3).contains(examples.count))
                #expect(Self.counts(cluster["by_kind"]).values.reduce(0, +) == cluster["count"] as? Int)
                for example in examples {
                    #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM turn WHERE customer = ?", arguments: [example])! > 0, "examples are stored messages")
                }
            }
            for entry in report["unhelpful_answers"] as? [[String: Any]] ?? [] where entry["kind"] as? String == "intent" {
                let expected = answers["intent:" + (entry["id"] as? String ?? "")]
                #expect(entry["answers"] as? Int == expected?.0)
                #expect(entry["not_helpful"] as? Int == expected?.1)
                #expect(entry["handoffs"] as? Int == expected?.2)
            }
            #expect((report["unhelpful_answers"] as? [[String: Any]] ?? []).filter { $0["kind"] as? String == "intent" }.count == answers.count)
        }
        // The same rows give the same bytes.
        let again = try ConciergeProcess.run(["report", "--json", "--store", store, "--now", Self.now])
        let first = try ConciergeProcess.run(["report", "--json", "--store", store, "--now", Self.now])
        #expect(again.stdout == first.stdout)
    }

    @Test("--since and --until keep the conversations started in the range")
    func rangeFilters() throws {
        let (folder, store) = try Self.filledStore(count: 40)
        defer { try? FileManager.default.removeItem(at: folder) }
        // Conversations start every 240 s from 2026-11-02T14:00:00Z: the first 15 are before 15:00.
        let early = try Self.report(store, ["--until", "2026-11-02T15:00:00Z"])
        let late = try Self.report(store, ["--since", "2026-11-02T15:00:00Z"])
        #expect(early["conversations"] as? Int == 15)
        #expect(late["conversations"] as? Int == 25)
        #expect((early["range"] as? [String: Any])?["until"] as? String == "2026-11-02T15:00:00Z")
        #expect((early["range"] as? [String: Any])?["since"] is NSNull)
    }

    @Test("a bad date, a range backwards and an existing --html file are usage errors (exit 2) that say what to type")
    func usageErrors() throws {
        let bad = try ConciergeProcess.run(["report", "--since", "2026-13-45"])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("--since takes a date such as --since 2026-11-01"))
        let backwards = try ConciergeProcess.run(["report", "--since", "2026-12-01", "--until", "2026-11-01"])
        #expect(backwards.status == 2)
        #expect(backwards.stderr.contains("--since must be before --until"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("report.html").path
        try "keep me".write(toFile: page, atomically: true, encoding: .utf8)
        let refused = try ConciergeProcess.run(["report", "--html", page])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("add --force to replace it"))
        #expect(try String(contentsOfFile: page, encoding: .utf8) == "keep me")
        let help = try ConciergeProcess.run(["report", "--help"])
        for option in ["--since", "--until", "--store", "--json", "--html", "--force", "--now", "--clusters"] {
            #expect(help.stdout.contains(option), "\(option) has help")
        }
    }

    @Test("a report shows stored messages only: what masking removed never appears, and forget removes the customer")
    func maskedAndForgotten() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = folder.appendingPathComponent("store.sqlite").path
        // Two conversations the bot cannot answer: one with a card number (masked before it is stored), one with an email.
        for message in ["zxqv florp 4111 1111 1111 1111 wibble", "maya.chen@example.com here, the blorp thing zorps again and again, frobnicate it"] {
            let chat = try ConciergeProcess.run(["chat", "--store", store, "--now", Self.now], input: message + "\n")
            #expect(chat.status == 0, "\(chat.stderr)")
        }
        let before = try ConciergeProcess.run(["report", "--json", "--store", store, "--now", Self.now])
        #expect(!before.stdout.contains("4111"), "masked card digits never reach a report")
        #expect(before.stdout.contains("maya.chen@example.com"), "the stored gap message is shown: \(before.stdout)")
        let text = try ConciergeProcess.run(["report", "--store", store, "--now", Self.now])
        #expect(!text.stdout.contains("4111"))
        let forget = try ConciergeProcess.run(["forget", "--email", "maya.chen@example.com", "--store", store])
        #expect(forget.status == 0, "\(forget.stderr)")
        let after = try ConciergeProcess.run(["report", "--json", "--store", store, "--now", Self.now])
        #expect(!after.stdout.localizedCaseInsensitiveContains("maya.chen@example.com"))
        #expect(after.stdout.contains("[erased]"))
        let parsed = try JSONSerialization.jsonObject(with: Data(after.stdout.utf8)) as? [String: Any]
        #expect(parsed?["conversations"] as? Int == 2, "the conversations stays, for the counts")
    }
}
