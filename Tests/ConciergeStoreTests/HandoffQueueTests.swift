import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

extension SupportStoreBehaviour {
    @Test("createHandoff assigns H-000001, H-000002… and points the conversation at it", arguments: StoreFactory.all)
    func createHandoffAssignsIDs(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let packet = Fixture.handoff(queue: "billing", conversation: "conv-1", reason: .frustration)
        let first = try await store.createHandoff(
            packet, conversation: Fixture.conversation("conv-1", handoffQueue: "billing"))
        var expected = packet
        expected.id = "H-000001"
        #expect(first == expected)
        #expect(try await store.handoff(id: "H-000001") == expected)
        #expect(try await store.conversation(id: "conv-1")?.state.handoff?.id == "H-000001")
        #expect(try await store.conversation(id: "conv-1")?.state.handoff?.queue == "billing")
        #expect(
            try await store.events(handoffID: "H-000001") == [
                HandoffEvent(handoffID: "H-000001", sequence: 1, at: packet.createdAt, kind: .created, actor: "system", detail: "frustration")
            ])

        let second = try await store.create(Fixture.handoff(created: 5, conversation: "conv-2"))
        #expect(second.id == "H-000002")
        #expect(try await store.conversation(id: "conv-2")?.state.handoff?.id == "H-000002")
        #expect(try await store.handoff(id: "H-000003") == nil)
        #expect(try await store.events(handoffID: "H-000003").isEmpty)
    }

    @Test("A retried write stores nothing twice: the same handoff, turn or message again is the one already there", arguments: StoreFactory.all)
    func retriedWritesAreIdempotent(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let first = try await store.create(Fixture.handoff(created: 3, conversation: "conv-1"))
        let again = try await store.create(Fixture.handoff(created: 3, conversation: "conv-1"))
        #expect(again.id == first.id)
        #expect(try await store.handoffs(statuses: [.queued], queue: nil).map(\.id) == [first.id])
        #expect(try await store.events(handoffID: first.id).count == 1)
        // The same conversation's next handoff, later, is a new one.
        #expect(try await store.create(Fixture.handoff(created: 9, conversation: "conv-1")).id != first.id)

        let turn = Fixture.turn("conv-2", 1)
        try await store.record(turn: turn, conversation: Fixture.conversation("conv-2"))
        try await store.record(turn: turn, conversation: Fixture.conversation("conv-2"))
        #expect(try await store.turns(conversationID: "conv-2") == [turn])

        let message = HandoffMessage(handoffID: first.id, at: Fixture.at(20), sender: .customer, author: "cust-1", text: "still there?")
        let posted = try await store.post(message)
        let repeated = try await store.post(message)
        #expect(repeated.sequence == posted.sequence)
        #expect(try await store.messages(handoffID: first.id, after: 0).count == 1)
    }

    @Test("Handoffs are listed most urgent first, then longest waiting, filtered by status and queue", arguments: StoreFactory.all)
    func handoffOrder(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let a = try await store.create(Fixture.handoff(queue: "orders", priority: 3, created: 0))
        let b = try await store.create(Fixture.handoff(queue: "orders", priority: 1, created: 20))
        let c = try await store.create(Fixture.handoff(queue: "billing", priority: 2, created: 5))
        let d = try await store.create(Fixture.handoff(queue: "orders", priority: 1, created: 10))
        let e = try await store.create(Fixture.handoff(queue: "billing", priority: 3, created: 1))

        #expect(try await store.handoffs(statuses: [.queued], queue: nil).map(\.id) == [d.id, b.id, c.id, a.id, e.id])
        #expect(try await store.handoffs(statuses: [.queued], queue: "orders").map(\.id) == [d.id, b.id, a.id])
        #expect(try await store.handoffs(statuses: [.queued], queue: "returns").isEmpty)

        try await store.take(b.id, agent: "ana", at: 30)
        try await store.take(e.id, agent: "ben", at: 30)
        try await store.resolve(id: e.id, agent: "ben", note: "refunded", now: Fixture.at(40))
        #expect(try await store.handoffs(statuses: [.queued], queue: nil).map(\.id) == [d.id, c.id, a.id])
        #expect(try await store.handoffs(statuses: [.claimed], queue: nil).map(\.id) == [b.id])
        #expect(try await store.handoffs(statuses: [.queued, .claimed], queue: "orders").map(\.id) == [d.id, b.id, a.id])
        #expect(try await store.handoffs(statuses: [.resolved, .returned], queue: nil).map(\.id) == [e.id])
        #expect(try await store.handoffs(statuses: Set(HandoffStatus.allCases), queue: "billing").map(\.id) == [c.id, e.id])
        #expect(try await store.handoffs(statuses: [], queue: nil).isEmpty)
    }

    @Test("queuePosition counts from 1 among the handoffs waiting in the same queue", arguments: StoreFactory.all)
    func queuePosition(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let a = try await store.create(Fixture.handoff(queue: "orders", priority: 2, created: 0))
        let b = try await store.create(Fixture.handoff(queue: "orders", priority: 1, created: 5))
        let c = try await store.create(Fixture.handoff(queue: "billing", priority: 4, created: 1))
        let d = try await store.create(Fixture.handoff(queue: "orders", priority: 2, created: 3))
        #expect(try await store.queuePosition(of: b.id) == 1)
        #expect(try await store.queuePosition(of: a.id) == 2)
        #expect(try await store.queuePosition(of: d.id) == 3)
        #expect(try await store.queuePosition(of: c.id) == 1)
        #expect(try await store.queuePosition(of: "H-000099") == nil)

        try await store.take(b.id, agent: "ana", at: 10)
        #expect(try await store.queuePosition(of: b.id) == nil)
        #expect(try await store.queuePosition(of: a.id) == 1)
        #expect(try await store.queuePosition(of: d.id) == 2)
    }

    @Test("Claiming by id: the first agent gets it, the second is told who has it", arguments: StoreFactory.all)
    func claimByID(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let created = try await store.create(Fixture.handoff())

        let outcome = try await store.claim(id: created.id, agent: "ana", queues: nil, now: Fixture.at(60), lease: 300)
        var expected = created
        expected.status = .claimed
        expected.claimedBy = "ana"
        expected.claimedAt = Fixture.at(60)
        expected.leaseUntil = Fixture.at(360)
        #expect(outcome == .claimed(expected))
        #expect(try await store.handoff(id: created.id) == expected)

        #expect(try await store.claim(id: created.id, agent: "ben", queues: nil, now: Fixture.at(61), lease: 300) == .heldBy("ana"))
        #expect(try await store.claim(id: created.id, agent: "ana", queues: nil, now: Fixture.at(62), lease: 300) == .heldBy("ana"))
        #expect(try await store.claim(id: "H-000042", agent: "ben", queues: nil, now: Fixture.at(62), lease: 300) == .notFound)
        #expect(try await store.handoff(id: created.id)?.claimedBy == "ana")
        #expect(
            try await store.events(handoffID: created.id).last
                == HandoffEvent(handoffID: created.id, sequence: 2, at: Fixture.at(60), kind: .claimed, actor: "ana"))
    }

    @Test("Claiming the next handoff takes the most urgent in the agent's queues", arguments: StoreFactory.all)
    func claimNext(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        #expect(try await store.claim(id: nil, agent: "ana", queues: nil, now: Fixture.at(0), lease: 300) == .queueEmpty)

        let orders = try await store.create(Fixture.handoff(queue: "orders", priority: 1, created: 10))
        let billingLate = try await store.create(Fixture.handoff(queue: "billing", priority: 2, created: 5))
        let billingUrgent = try await store.create(Fixture.handoff(queue: "billing", priority: 1, created: 20))
        let returns = try await store.create(Fixture.handoff(queue: "returns", priority: 4, created: 0))

        func next(_ agent: String, _ queues: [String]?) async throws -> String? {
            switch try await store.claim(id: nil, agent: agent, queues: queues, now: Fixture.at(30), lease: 300) {
            case .claimed(let handoff):
                #expect(handoff.status == .claimed && handoff.claimedBy == agent)
                return handoff.id
            case .queueEmpty: return nil
            case let other:
                Issue.record("unexpected \(other)")
                return nil
            }
        }
        #expect(try await next("ana", ["billing"]) == billingUrgent.id)
        #expect(try await next("ana", []) == nil)
        #expect(try await next("ana", ["returns", "billing"]) == billingLate.id)
        #expect(try await next("ana", ["billing"]) == nil)
        #expect(try await next("ben", nil) == orders.id)
        #expect(try await next("ben", ["nowhere"]) == nil)
        #expect(try await next("ben", nil) == returns.id)
        #expect(try await next("ben", nil) == nil)
        #expect(try await store.handoff(id: billingLate.id)?.claimedBy == "ana")
        #expect(try await store.eventKinds(returns.id) == [.created, .claimed])
    }

    @Test("A resolved or returned handoff cannot be claimed", arguments: StoreFactory.all)
    func claimClosed(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let resolved = try await store.create(Fixture.handoff(created: 0))
        let returned = try await store.create(Fixture.handoff(created: 1))
        try await store.take(resolved.id, agent: "ana", at: 10)
        try await store.resolve(id: resolved.id, agent: "ana", note: "done", now: Fixture.at(20))
        try await store.take(returned.id, agent: "ana", at: 10)
        try await store.handBack(id: returned.id, agent: "ana", note: "bot can finish", now: Fixture.at(20))

        #expect(try await store.claim(id: resolved.id, agent: "ben", queues: nil, now: Fixture.at(30), lease: 60) == .closed(.resolved))
        #expect(try await store.claim(id: returned.id, agent: "ben", queues: nil, now: Fixture.at(30), lease: 60) == .closed(.returned))
        #expect(try await store.claim(id: nil, agent: "ben", queues: nil, now: Fixture.at(30), lease: 60) == .queueEmpty)
    }

    @Test("An expired lease returns the handoff to the queue, logged as lease_expired", arguments: StoreFactory.all)
    func leaseExpiry(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let created = try await store.create(Fixture.handoff())
        try await store.take(created.id, agent: "ana", at: 0, lease: 60)

        #expect(try await store.claim(id: created.id, agent: "ben", queues: nil, now: Fixture.at(30), lease: 60) == .heldBy("ana"))
        // A lease that ends exactly now still holds.
        #expect(try await store.claim(id: created.id, agent: "ben", queues: nil, now: Fixture.at(60), lease: 60) == .heldBy("ana"))
        let taken = try await store.take(created.id, agent: "ben", at: 61, lease: 60)
        #expect(taken.claimedBy == "ben" && taken.leaseUntil == Fixture.at(121))
        #expect(
            try await store.events(handoffID: created.id) == [
                HandoffEvent(handoffID: created.id, sequence: 1, at: created.createdAt, kind: .created, actor: "system", detail: "customer_request"),
                HandoffEvent(handoffID: created.id, sequence: 2, at: Fixture.at(0), kind: .claimed, actor: "ana"),
                HandoffEvent(handoffID: created.id, sequence: 3, at: Fixture.at(61), kind: .leaseExpired, actor: "system", detail: "ana"),
                HandoffEvent(handoffID: created.id, sequence: 4, at: Fixture.at(61), kind: .claimed, actor: "ben"),
            ])

        // expireLeases on its own, and before a claim of another handoff.
        let other = try await store.create(Fixture.handoff(created: 1))
        try await store.take(other.id, agent: "cy", at: 100, lease: 60)
        #expect(try await store.expireLeases(now: Fixture.at(120)).isEmpty)
        #expect(try await store.expireLeases(now: Fixture.at(200)) == [created.id, other.id])
        #expect(try await store.expireLeases(now: Fixture.at(200)).isEmpty)
        let back = try #require(try await store.handoff(id: other.id))
        #expect(back.status == .queued && back.claimedBy == nil && back.leaseUntil == nil)
        #expect(try await store.events(handoffID: other.id).last?.detail == "cy")
        #expect(try await store.handoffs(statuses: [.queued], queue: nil).map(\.id) == [created.id, other.id])
    }

    @Test("renewLease extends only the holder's lease", arguments: StoreFactory.all)
    func renewLease(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let created = try await store.create(Fixture.handoff())
        #expect(try await store.renewLease(id: created.id, agent: "ana", now: Fixture.at(0), lease: 60) == false)
        try await store.take(created.id, agent: "ana", at: 0, lease: 60)

        #expect(try await store.renewLease(id: created.id, agent: "ana", now: Fixture.at(50), lease: 60))
        #expect(try await store.handoff(id: created.id)?.leaseUntil == Fixture.at(110))
        #expect(try await store.renewLease(id: created.id, agent: "ben", now: Fixture.at(50), lease: 600) == false)
        #expect(try await store.renewLease(id: "H-000099", agent: "ana", now: Fixture.at(50), lease: 60) == false)
        #expect(try await store.claim(id: created.id, agent: "ben", queues: nil, now: Fixture.at(100), lease: 60) == .heldBy("ana"))
        try await store.take(created.id, agent: "ben", at: 111)
        #expect(try await store.renewLease(id: created.id, agent: "ana", now: Fixture.at(112), lease: 60) == false)
        #expect(try await store.eventKinds(created.id) == [.created, .claimed, .leaseExpired, .claimed])
    }

    @Test("release returns the holder's handoff to its queue", arguments: StoreFactory.all)
    func release(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let created = try await store.create(Fixture.handoff())
        try await store.take(created.id, agent: "ana", at: 10)

        await #expect(throws: StoreError.notHeld(id: created.id, holder: "ana")) {
            try await store.release(id: created.id, agent: "ben", now: Fixture.at(20))
        }
        try await store.release(id: created.id, agent: "ana", now: Fixture.at(20))
        let released = try #require(try await store.handoff(id: created.id))
        #expect(released.status == .queued && released.claimedBy == nil && released.leaseUntil == nil)
        #expect(
            try await store.events(handoffID: created.id).last
                == HandoffEvent(handoffID: created.id, sequence: 3, at: Fixture.at(20), kind: .released, actor: "ana"))

        await #expect(throws: StoreError.notHeld(id: created.id, holder: nil)) {
            try await store.release(id: created.id, agent: "ana", now: Fixture.at(30))
        }
        await #expect(throws: StoreError.handoffNotFound("H-000099")) {
            try await store.release(id: "H-000099", agent: "ana", now: Fixture.at(30))
        }
        #expect(try await store.queuePosition(of: created.id) == 1)
    }

    @Test("transfer moves a handoff to another queue, unclaimed, whoever asks", arguments: StoreFactory.all)
    func transfer(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let waiting = try await store.create(Fixture.handoff(queue: "orders", created: 0))
        let held = try await store.create(Fixture.handoff(queue: "orders", created: 1))
        try await store.take(held.id, agent: "ana", at: 10)

        try await store.transfer(id: waiting.id, to: "billing", agent: "ben", now: Fixture.at(20))
        try await store.transfer(id: held.id, to: "billing", agent: "ben", now: Fixture.at(21))
        for id in [waiting.id, held.id] {
            let moved = try #require(try await store.handoff(id: id))
            #expect(moved.queue == "billing" && moved.status == .queued && moved.claimedBy == nil && moved.leaseUntil == nil)
        }
        #expect(try await store.handoffs(statuses: [.queued], queue: "billing").map(\.id) == [waiting.id, held.id])
        #expect(try await store.handoffs(statuses: [.queued], queue: "orders").isEmpty)
        #expect(
            try await store.events(handoffID: held.id).last
                == HandoffEvent(handoffID: held.id, sequence: 3, at: Fixture.at(21), kind: .transferred, actor: "ben", detail: "billing"))

        try await store.take(held.id, agent: "cy", at: 30)
        try await store.resolve(id: held.id, agent: "cy", note: "sorted", now: Fixture.at(40))
        await #expect(throws: StoreError.closed(id: held.id, status: .resolved)) {
            try await store.transfer(id: held.id, to: "orders", agent: "cy", now: Fixture.at(50))
        }
        await #expect(throws: StoreError.handoffNotFound("H-000099")) {
            try await store.transfer(id: "H-000099", to: "orders", agent: "cy", now: Fixture.at(50))
        }
    }

    @Test("resolve and handBack close the holder's handoff with a note", arguments: StoreFactory.all)
    func resolveAndHandBack(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        let first = try await store.create(Fixture.handoff(created: 0))
        let second = try await store.create(Fixture.handoff(created: 1))

        await #expect(throws: StoreError.notHeld(id: first.id, holder: nil)) {
            try await store.resolve(id: first.id, agent: "ana", note: "x", now: Fixture.at(5))
        }
        try await store.take(first.id, agent: "ana", at: 10)
        await #expect(throws: StoreError.notHeld(id: first.id, holder: "ana")) {
            try await store.resolve(id: first.id, agent: "ben", note: "x", now: Fixture.at(15))
        }
        try await store.resolve(id: first.id, agent: "ana", note: "Refund issued — 12,50 €", now: Fixture.at(20))
        let resolved = try #require(try await store.handoff(id: first.id))
        #expect(resolved.status == .resolved && resolved.resolvedAt == Fixture.at(20) && resolved.leaseUntil == nil)
        #expect(resolved.resolution == "Refund issued — 12,50 €" && resolved.claimedBy == "ana")
        await #expect(throws: StoreError.closed(id: first.id, status: .resolved)) {
            try await store.resolve(id: first.id, agent: "ana", note: "again", now: Fixture.at(25))
        }
        await #expect(throws: StoreError.closed(id: first.id, status: .resolved)) {
            try await store.release(id: first.id, agent: "ana", now: Fixture.at(25))
        }

        try await store.take(second.id, agent: "ben", at: 10)
        try await store.handBack(id: second.id, agent: "ben", note: "the bot can take the address change", now: Fixture.at(30))
        let returned = try #require(try await store.handoff(id: second.id))
        #expect(returned.status == .returned && returned.resolvedAt == Fixture.at(30) && returned.leaseUntil == nil)
        #expect(returned.resolution == "the bot can take the address change")
        await #expect(throws: StoreError.closed(id: second.id, status: .returned)) {
            try await store.handBack(id: second.id, agent: "ben", note: "again", now: Fixture.at(35))
        }
        await #expect(throws: StoreError.handoffNotFound("H-000099")) {
            try await store.resolve(id: "H-000099", agent: "ben", note: "x", now: Fixture.at(35))
        }
        #expect(try await store.events(handoffID: second.id).last?.detail == "the bot can take the address change")
        #expect(try await store.eventKinds(second.id) == [.created, .claimed, .handedBack])
        #expect(try await store.eventKinds(first.id) == [.created, .claimed, .resolved])
    }
}
