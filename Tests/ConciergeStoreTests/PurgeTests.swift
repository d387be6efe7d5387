import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

extension SupportStoreBehaviour {
    @Test("purge deletes what is older than the cutoff, keeps what a person still has, and rewrites profiles", arguments: StoreFactory.all)
    func purgeKeepsOnlyWhatIsWithinRetention(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        // An old conversation, a recent one, and an old one still waiting for a person.
        try await store.record(turn: Fixture.turn("old", 1), conversation: Fixture.conversation("old", updated: 10))
        try await store.record(turn: Fixture.turn("new", 1), conversation: Fixture.conversation("new", updated: 900))
        let waiting = try await store.create(Fixture.handoff(created: 20, conversation: "waiting"))
        // A handoff closed long ago, with a message.
        let closed = try await store.create(Fixture.handoff(created: 30, conversation: "closed"))
        _ = try await store.take(closed.id, agent: "ana", at: 40)
        _ = try await store.post(HandoffMessage(handoffID: closed.id, at: Fixture.at(45), sender: .agent, author: "ana", text: "Done."))
        try await store.resolve(id: closed.id, agent: "ana", note: "done", now: Fixture.at(50))
        try await store.recordFailedIdentityCheck(key: "A10234", conversationID: "old", at: Fixture.at(60))
        try await store.recordFailedIdentityCheck(key: "A10234", conversationID: "new", at: Fixture.at(950))
        try await store.save(customer: Fixture.profile)

        let report = try await store.purge(before: Fixture.at(500)) { profile in
            var kept = profile
            kept.fields = profile.fields.filter { $0.key == "email" }
            return profile.id == "gone" ? nil : kept
        }
        #expect(try await store.conversation(id: "old") == nil)
        #expect(try await store.turns(conversationID: "old").isEmpty)
        #expect(try await store.conversation(id: "new") != nil)
        #expect(try await store.conversation(id: "waiting") != nil, "a person still has to answer it")
        #expect(try await store.handoff(id: waiting.id) != nil)
        #expect(try await store.handoff(id: closed.id) == nil)
        #expect(try await store.messages(handoffID: closed.id, after: 0).isEmpty)
        #expect(try await store.lockedIdentityKeys(since: Fixture.at(0), limit: 1) == ["A10234"], "the recent check stays")
        #expect(try await store.lockedIdentityKeys(since: Fixture.at(0), limit: 2).isEmpty)
        #expect(try await store.customer(id: "cust-1")?.fields.keys.sorted() == ["email"])
        #expect(report.handoffs == 1)
        #expect(report.identityChecks == 1)
        #expect(report.profileFields == 1)
        #expect(report.conversations >= 2, "old and closed")
    }
}

extension SupportStoreBehaviour {
    @Test("a periodic task is claimed once a period, whoever asks", arguments: StoreFactory.all)
    func maintenanceIsClaimedOncePerPeriod(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let day: TimeInterval = 86_400
        #expect(try await store.claimMaintenance("sweep", now: Fixture.at(1_000), every: day), "never run: due")
        #expect(try await !store.claimMaintenance("sweep", now: Fixture.at(1_000 + day - 1), every: day), "ran within the period")
        #expect(try await store.claimMaintenance("other", now: Fixture.at(1_000 + day - 1), every: day), "each task has its own period")
        #expect(try await store.claimMaintenance("sweep", now: Fixture.at(1_000 + day + 1), every: day), "the period is over")
        #expect(try await !store.claimMaintenance("sweep", now: Fixture.at(1_000 + day + 2), every: day), "the last claim counts from its own time")
    }

    @Test("of processes claiming one task at once, exactly one wins", arguments: StoreFactory.all)
    func maintenanceHasOneWinner(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { try await store.claimMaintenance("sweep", now: Fixture.at(5_000), every: 3_600) } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(wins == 1)
    }
}
