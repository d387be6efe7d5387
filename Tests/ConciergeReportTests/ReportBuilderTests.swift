import ConciergeEngine
import ConciergeReport
import ConciergeStore
import Foundation
import Testing

/// The report's definitions on rows made by hand: each figure as README defines it.
@Suite("ReportBuilder")
struct ReportBuilderTests {
    static let start = Date(timeIntervalSince1970: 1_795_014_000)  // 2026-11-18 15:00 UTC
    static func at(_ seconds: Double) -> Date { start.addingTimeInterval(seconds) }

    static func turn(_ conversation: String, _ number: Int, _ customer: String, _ action: Action, intent: String? = nil, confidence: Double? = nil,
        reply: String = "…", articles: [String] = [], handoff: String? = nil) -> ReportRows.Turn {
        ReportRows.Turn(
            conversationID: conversation, number: number, at: at(Double(number) * 20), customer: customer, reply: reply, action: action,
            intent: intent, confidence: confidence, articles: articles, handoffID: handoff)
    }

    static func handoff(_ id: String, _ conversation: String, reason: HandoffReason, status: HandoffStatus, reply: Double?, resolved: Double?) -> ReportRows.Handoff {
        ReportRows.Handoff(
            id: id, conversationID: conversation, reason: reason, queue: "returns", status: status, createdAt: at(0), dueAt: at(900),
            claimedBy: reply == nil ? nil : "ana", firstResponseAt: reply.map(at), resolvedAt: resolved.map(at))
    }

    static var rows: ReportRows {
        var rows = ReportRows()
        rows.conversations = ["a", "b", "c", "d"].map { ReportRows.Conversation(id: $0, startedAt: at(0), updatedAt: at(100)) }
        rows.turns = [
            // a: answered, "that didn't help" (intent not_helpful), then a handoff.
            turn("a", 1, "how do I return a sofa", .answer, intent: "furniture_return", confidence: 0.9, articles: ["furniture-returns"]),
            turn("a", 2, "that didn't help", .answer, intent: "not_helpful", confidence: 0.95, reply: "Sorry that didn't help. Maybe this is closer: …"),
            turn("a", 3, "person please", .handoff, intent: "human_request", confidence: 1, handoff: "H-1"),
            turn("a", 4, "hello? anyone", .handoff, handoff: "H-1"),
            // b: two fallbacks, the same question asked two ways.
            turn("b", 1, "do you ship to mars", .fallback),
            turn("b", 2, "can you ship to mars?", .fallback),
            // c: two clarifications in a row, then a low-confidence answer.
            turn("c", 1, "refund or return", .clarify),
            turn("c", 2, "both really", .clarify),
            turn("c", 3, "money back for the lamp", .answer, intent: "refund_status", confidence: 0.4),
            // d: contained, answered well.
            turn("d", 1, "opening hours", .answer, intent: "store_hours", confidence: 0.97),
        ]
        rows.handoffs = [handoff("H-1", "a", reason: .repeatedFailure, status: .resolved, reply: 600, resolved: 1_800)]
        rows.events = [
            .init(handoffID: "H-1", at: at(60), kind: .created, actor: "system"), .init(handoffID: "H-1", at: at(500), kind: .claimed, actor: "ana"),
            .init(handoffID: "H-1", at: at(600), kind: .replied, actor: "ana"), .init(handoffID: "H-1", at: at(1_800), kind: .resolved, actor: "ana"),
        ]
        rows.satisfaction = [
            SatisfactionRecord(conversationID: "a", handoffID: "H-1", agent: "ana", queue: "returns", intent: "furniture_return", askedAt: at(1_800), score: 2, comment: "slow", answeredAt: at(1_820))
        ]
        return rows
    }

    static let builder: ReportBuilder = {
        var configuration = ReportBuilder.Configuration(settings: Settings())
        configuration.topicIntents = ["furniture_return", "refund_status", "store_hours"]
        return ReportBuilder(configuration: configuration)
    }()

    @Test func containmentHandoffsAndTheAgentsSide() {
        let report = Self.builder.build(Self.rows, range: ReportRange(), now: Self.at(3_600))
        #expect(report.conversations == 4)
        #expect(report.turns == 10)
        #expect(report.containment.contained == 3)
        #expect(report.containment.handedOff == 1)
        #expect(report.containment.rate == 0.75)
        #expect(report.containment.byDay.map(\.day) == ["2026-11-18"], "the team's zone, America/Chicago")
        #expect(report.handoffs.byReason.map { "\($0.name) \($0.count)" } == ["repeated_failure 1"])
        #expect(report.handoffs.byIntent.map { "\($0.name) \($0.count)" } == ["furniture_return 1"], "the topic the customer was on")
        #expect(report.agents.firstReply.p50Seconds == 600)
        #expect(report.agents.resolution.p90Seconds == 1_800)
        #expect(report.agents.sla.first?.met == 1)
        #expect(report.agents.sla.first?.targetMinutes == 10, "the default target")
        #expect(report.agents.byAgent.first?.agent == "ana" && report.agents.byAgent.first?.claims == 1)
        #expect(report.satisfaction.average == 2)
        #expect(report.satisfaction.distribution == [0, 1, 0, 0, 0])
        #expect(report.satisfaction.comments.first?.comment == "slow")
    }

    @Test func gapsAreTheMessagesTheBotCouldNotAnswerInClusters() {
        let report = Self.builder.build(Self.rows, range: ReportRange(), now: Self.at(3_600))
        let kinds = Dictionary(uniqueKeysWithValues: report.gaps.byKind.map { ($0.name, $0.count) })
        #expect(kinds == ["fallback": 2, "not_helpful": 1, "repeated_clarification": 1, "low_confidence": 1])
        #expect(report.gaps.messages == 5)
        let mars = report.gaps.clusters.first
        #expect(mars?.count == 2)
        #expect(mars?.examples == ["can you ship to mars?", "do you ship to mars"])
        #expect(report.gaps.clusters.flatMap(\.examples).contains("how do I return a sofa"), "the question whose answer did not help")
        #expect(!report.gaps.clusters.flatMap(\.examples).contains("hello? anyone"), "a message to the agent is no gap")
        let sofa = report.unhelpfulAnswers.first { $0.id == "furniture_return" }
        #expect(sofa?.answers == 1 && sofa?.notHelpful == 1 && sofa?.rate == 1)
        let hours = report.unhelpfulAnswers.first { $0.id == "store_hours" }
        #expect(hours?.rate == 0)
    }

    @Test func percentilesAreNearestRank() {
        let p = ReportBuilder.percentiles([5, 1, 4, 2, 3, 10, 9, 8, 7, 6])
        #expect(p.count == 10 && p.p50Seconds == 5 && p.p90Seconds == 9)
        #expect(ReportBuilder.percentiles([]).p50Seconds == nil)
    }

    @Test func theJSONHasStableSnakeCaseNamesAndNulls() {
        var rows = ReportRows()
        rows.conversations = [ReportRows.Conversation(id: "x", startedAt: Self.at(0), updatedAt: Self.at(0))]
        let json = Self.builder.build(rows, range: ReportRange(), now: Self.at(0)).json()
        for name in ["\"containment\"", "\"handed_off\"", "\"by_day\"", "\"waiting_now\"", "\"first_reply\"", "\"p50_seconds\" : null", "\"unhelpful_answers\"", "\"average\" : null", "\"since\" : null"] {
            #expect(json.contains(name), "\(name)")
        }
        #expect(json == Self.builder.build(rows, range: ReportRange(), now: Self.at(0)).json())
    }
}
