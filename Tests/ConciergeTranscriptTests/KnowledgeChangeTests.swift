import ConciergeEngine
import ConciergeTranscripts
import Foundation
import Testing

/// A support team's weekly edit, made on purpose to a copy of the knowledge: replay must show it in
/// exactly the conversations it changes, with the right class.
@Suite("A deliberate knowledge change")
struct KnowledgeChangeTests {
    /// The return policy's chat text, before and after the edit.
    static let oldPolicy = "You can return most items within 30 days of delivery"
    static let newPolicy = "You can return most items within 45 days of delivery"

    /// Intents about subjects no bundled conversation touches, as an author adds them.
    static let unrelatedIntents = """
        intents:
          - name: gift_wrapping
            label: Gift wrapping
            examples: [do you gift wrap, can you wrap my order as a present, is gift wrapping available, how much is gift wrap, can i add a gift message, wrap it as a gift please, do you offer gift boxes, can the parcel come gift wrapped, gift wrap option at checkout, can you put a ribbon on it]
            response: We can gift wrap most items for $5 at checkout.
            queue: general
          - name: engraving
            label: Personalised engraving
            examples: [can you engrave a name, do you do engraving, personalise my cutting board, can i get initials engraved, monogram service, how much is engraving, can you add a monogram to towels, engrave a date on it, personalization options, custom text on a board]
            response: We engrave cutting boards and monogram towels for $12.
            queue: product
          - name: careers
            label: Jobs at Larkspur
            examples: [are you hiring, job openings, i want to work for you, careers page, do you have jobs in the denver store, apply for a job, internship, how do i apply to work at the store, retail jobs, warehouse jobs]
            response: Our open roles are on our careers page.
            queue: general
        """

    @Test("adding intents on unrelated subjects changes no bundled conversation's answer or action")
    func unrelatedIntentsLeaveConversationsAlone() async throws {
        let copy = try Fixtures.temporaryFolder().appendingPathComponent("knowledge")
        try FileManager.default.copyItem(at: Fixtures.knowledge, to: copy)
        try Self.unrelatedIntents.write(to: copy.appendingPathComponent("intents/made_up.yaml"), atomically: true, encoding: .utf8)
        let files = try ReplaySuite.discover([Fixtures.transcripts.path]).filter { !ReplaySuite.isScored($0) }
        let outcome = await ReplaySuite(defaultKnowledge: copy).run(files)
        #expect(outcome.transcripts.allSatisfy { $0.run != nil }, "the knowledge with the new intents loads")
        let moved = outcome.transcripts.flatMap(\.result.mismatches).filter { $0.difference != .wording }
        #expect(moved.isEmpty, "\(moved.map { "\($0.file):\($0.line) \($0.subject): \($0.expected) → \($0.actual)" })")
    }

    @Test("an article's text and an intent's examples change exactly the transcripts they affect")
    func knowledgeChange() async throws {
        let copy = try Fixtures.temporaryFolder().appendingPathComponent("knowledge")
        try FileManager.default.copyItem(at: Fixtures.knowledge, to: copy)
        let files = try ReplaySuite.discover([Fixtures.transcripts.path]).filter { !ReplaySuite.isScored($0) }
        let suite = ReplaySuite(defaultKnowledge: copy)

        let baseline = await suite.run(files)
        #expect(baseline.failed == 0, "\(ReplayReport.text(baseline, colors: false))")

        // 1. One article's summary (what the chat says) changes.
        let article = copy.appendingPathComponent("articles/returns/return-policy.md")
        let original = try String(contentsOf: article, encoding: .utf8)
        #expect(original.contains(Self.oldPolicy))
        try original.replacingOccurrences(of: Self.oldPolicy, with: Self.newPolicy).write(to: article, atomically: true, encoding: .utf8)
        let reworded = await suite.run(files)
        let quoting = Set(
            baseline.transcripts.filter { replayed in
                replayed.run?.observation.items.contains { $0.turn?.reply.contains(Self.oldPolicy) == true } == true
            }.map(\.file.name))
        #expect(quoting.count >= 3, "several transcripts quote the return policy")
        #expect(failing(reworded) == quoting, "exactly the transcripts that quote the article")
        #expect(failing(reworded) == changed(from: baseline, to: reworded), "replay reports exactly the conversations that changed")
        let classes = Set(reworded.transcripts.flatMap(\.result.mismatches).map(\.difference))
        #expect(classes == [.wording], "an article's text is wording only")
        for mismatch in reworded.transcripts.flatMap(\.result.mismatches) {
            #expect(mismatch.expected.contains(Self.oldPolicy) && mismatch.actual.contains(Self.newPolicy))
        }
        try original.write(to: article, atomically: true, encoding: .utf8)

        // 2. One intent's examples change: the membership intent gains "how do i earn points", which
        // the points intent answered; retraining moves every conversation near that boundary.
        let intents = copy.appendingPathComponent("intents/membership.yaml")
        let yaml = try String(contentsOf: intents, encoding: .utf8)
        let anchor = "      - what is larkspur circle\n"
        #expect(yaml.contains(anchor))
        try yaml.replacingOccurrences(of: anchor, with: anchor + "      - how do i earn points\n").write(
            to: intents, atomically: true, encoding: .utf8)
        let retrained = await suite.run(files)
        #expect(failing(retrained) == changed(from: baseline, to: retrained), "replay reports exactly the conversations that changed")
        let loyalty = try #require(retrained.transcripts.first { $0.file.name.hasSuffix("answers/loyalty.transcript") })
        let intentMismatch = try #require(loyalty.result.mismatches.first { $0.subject == "intent" })
        #expect(intentMismatch.expected == "loyalty_points" && intentMismatch.actual != "loyalty_points")
        #expect(intentMismatch.difference == .answer)
        // Every difference has the class of what actually changed in its turn.
        for (before, after) in zip(baseline.transcripts, retrained.transcripts) where !after.result.passed {
            let turnsBefore = (before.run?.observation.items ?? []).compactMap { $0.turn }
            let turnsAfter = (after.run?.observation.items ?? []).compactMap { $0.turn }
            for mismatch in after.result.mismatches {
                let turn = try #require(mismatch.turn)
                let expected = Self.difference(turnsBefore[turn - 1], turnsAfter[turn - 1], subject: mismatch.subject)
                #expect(mismatch.difference == expected, "\(mismatch.file):\(mismatch.line) \(mismatch.subject)")
            }
        }
    }

    /// The class a difference in `subject` between two turns should have, from what changed.
    static func difference(_ a: Turn, _ b: Turn, subject: String) -> DifferenceClass {
        switch subject {
        case "action", "handoff", "queue": return .action
        case "intent", "articles", "article", "asked": return .answer
        default:
            if a.action != b.action || a.handoff?.reason != b.handoff?.reason || a.handoff?.queue != b.handoff?.queue { return .action }
            if a.intent?.name != b.intent?.name || a.articles.map(\.id) != b.articles.map(\.id) || a.asked != b.asked { return .answer }
            return .wording
        }
    }

    /// The transcripts a replay reports as failing.
    func failing(_ outcome: ReplayOutcome) -> Set<String> {
        Set(outcome.transcripts.filter { !$0.result.passed }.map(\.file.name))
    }

    /// The transcripts whose conversation went differently in any way a transcript records: reply,
    /// action, intent, articles, question, slots, handoff; what the customer saw from agents.
    func changed(from before: ReplayOutcome, to after: ReplayOutcome) -> Set<String> {
        var names: Set<String> = []
        for (a, b) in zip(before.transcripts, after.transcripts) {
            guard let x = a.run?.observation, let y = b.run?.observation else { continue }
            if x.welcome != y.welcome || x.items.count != y.items.count { names.insert(a.file.name) }
            for (p, q) in zip(x.items, y.items) where !same(p, q) { names.insert(a.file.name) }
        }
        return names
    }

    func same(_ a: ObservedItem, _ b: ObservedItem) -> Bool {
        guard a.shown == b.shown, a.failure == b.failure, a.relayed == b.relayed else { return false }
        guard let x = a.turn, let y = b.turn else { return a.turn == nil && b.turn == nil }
        return x.reply == y.reply && x.action == y.action && x.intent?.name == y.intent?.name && x.articles.map(\.id) == y.articles.map(\.id)
            && x.asked == y.asked && x.slots == y.slots && x.handoff?.reason == y.handoff?.reason && x.handoff?.queue == y.handoff?.queue
            && x.explanation.masked == y.explanation.masked
    }
}
