import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

extension SupportStoreBehaviour {
    @Test("satisfaction answers are stored once per conversation, read back in report rows by range, erased by forget and purged", arguments: StoreFactory.all)
    func satisfactionAndReportRows(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        try await store.save(customer: Fixture.profile)
        try await store.record(turn: Fixture.turn("conv-1", 1, customer: "my email is maya.chen@example.com"), conversation: Fixture.conversation("conv-1"))
        try await store.record(turn: Fixture.turn("conv-1", 2), conversation: Fixture.conversation("conv-1"))
        try await store.record(turn: Fixture.turn("late", 1), conversation: {
            var late = Fixture.conversation("late", updated: 900)
            late.startedAt = Fixture.at(600)
            return late
        }())
        let handoff = try await store.create(Fixture.handoff())
        _ = try await store.take(handoff.id, agent: "ana", at: 40)
        try await store.resolve(id: handoff.id, agent: "ana", note: "done", now: Fixture.at(50))
        var record = SatisfactionRecord(
            conversationID: "conv-1", handoffID: handoff.id, customerID: "cust-1", agent: "ana", queue: "orders", intent: "order_status",
            askedAt: Fixture.at(60))
        try await store.save(satisfaction: record)
        record.score = 4
        record.comment = "thanks, Maya Chen here"
        record.answeredAt = Fixture.at(70)
        try await store.save(satisfaction: record)
        #expect(try await store.satisfaction(conversationID: "conv-1") == record)
        #expect(try await store.satisfaction(conversationID: "late") == nil)

        let all = try await store.reportRows(in: ReportRange()) { _ in }
        #expect(all.conversations.map(\.id) == ["conv-1", "late"])
        #expect(all.turns.map(\.conversationID) == ["conv-1", "conv-1", "late"])
        #expect(all.turns.map(\.number) == [1, 2, 1])
        #expect(all.handoffs.map(\.id) == [handoff.id])
        #expect(all.handoffs.first?.status == .resolved)
        #expect(all.handoffs.first?.claimedBy == "ana")
        #expect(all.events.map(\.kind) == [.created, .claimed, .resolved])
        #expect(all.satisfaction == [record])
        let late = try await store.reportRows(in: ReportRange(since: Fixture.at(300))) { _ in }
        #expect(late.conversations.map(\.id) == ["late"])
        #expect(late.turns.count == 1 && late.handoffs.isEmpty && late.satisfaction.isEmpty)
        let early = try await store.reportRows(in: ReportRange(until: Fixture.at(300))) { _ in }
        #expect(early.conversations.map(\.id) == ["conv-1"])

        _ = try await store.erase(Erasure(email: "maya.chen@example.com"))
        let erased = try #require(try await store.satisfaction(conversationID: "conv-1"))
        #expect(erased.customerID == nil)
        #expect(erased.comment == "thanks, [erased] here")
        #expect(erased.score == 4, "the answer stays, for the counts")

        let report = try await store.purge(before: Fixture.at(5_000)) { $0 }
        #expect(report.satisfaction == 1)
        #expect(try await store.satisfaction(conversationID: "conv-1") == nil)
    }
}
