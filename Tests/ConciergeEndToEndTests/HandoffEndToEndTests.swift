import ConciergeEngine
import ConciergeSQLite
import ConciergeStore
import Foundation
import Testing

/// Customers and agents as separate real processes on one store.
@Suite(.serialized) struct HandoffEndToEndTests {
    static func temporaryStore() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("concierge-e2e-\(UUID().uuidString)/store.sqlite").path
    }

    @Test func aCustomerAndAnAgentTalkThroughTheQueue() throws {
        let store = Self.temporaryStore()
        let customer = try LiveProcess(["chat"], store: store)
        customer.send("my order A10234 arrived damaged")
        #expect(customer.waitFor("damage"))
        customer.send("I want to talk to a person")
        let queued = customer.waitFor("in line") || customer.waitFor("reference number")
        #expect(queued, "the customer is told where they stand: \(customer.printed)")

        let agent = try LiveProcess(["agent", "--name", "ana"], store: store)
        agent.send("take")
        #expect(agent.waitFor("You have H-000001."), "agent output: \(agent.printed)")
        // The agent sees the order number the customer gave, without asking.
        #expect(agent.waitFor("order_id = A10234"))
        #expect(agent.printed.contains("Item arrived damaged for order A10234"))
        agent.send("reply Hi, I'm Ana. I'm sorry about the damage; a replacement is on its way.")
        #expect(agent.waitFor("Sent."))
        #expect(customer.waitFor("ana: Hi, I'm Ana. I'm sorry about the damage"), "customer output: \(customer.printed)")
        customer.send("thank you!")
        #expect(agent.waitFor("customer (H-000001): thank you!"), "agent output: \(agent.printed)")
        agent.send("resolve Replacement sent")
        #expect(agent.waitFor("H-000001 resolved."))
        agent.send("quit")
        #expect(agent.finish() == 0)
        #expect(customer.finish() == 0)

        let shown = try ConciergeProcess.run(["queue", "show", "H-000001", "--json"], environment: ["CONCIERGE_STORE": store])
        let packet = try #require(try JSONSerialization.jsonObject(with: Data(shown.stdout.utf8)) as? [String: Any])
        #expect(packet["status"] as? String == "resolved")
        #expect((packet["slots"] as? [String: String])?["order_id"] == "A10234")
        #expect((packet["transcript"] as? [Any])?.count == 2)
        let messages = (packet["messages"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(messages.contains("thank you!"))
    }

    @Test func aSecondClaimIsRefusedAndSaysWhoHoldsIt() throws {
        let store = Self.temporaryStore()
        let chat = try ConciergeProcess.run(["chat"], input: "agent\n", environment: ["CONCIERGE_STORE": store])
        #expect(chat.status == 0)
        let first = try ConciergeProcess.run(["queue", "claim", "H-000001", "--agent", "ana"], environment: ["CONCIERGE_STORE": store])
        #expect(first.status == 0)
        let second = try ConciergeProcess.run(["queue", "claim", "H-000001", "--agent", "ben"], environment: ["CONCIERGE_STORE": store])
        #expect(second.status == 1)
        #expect(second.stderr.contains("already claimed by ana"))
        let listed = try ConciergeProcess.run(["queue", "list", "--json"], environment: ["CONCIERGE_STORE": store])
        let list = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(list.count == 1)
        #expect(list.first?["claimedBy"] as? String == "ana")
    }

    @Test func afterAHandoffThePipedChatKeepsReadingAndExitsZero() throws {
        let store = Self.temporaryStore()
        let result = try ConciergeProcess.run(
            ["chat", "--jsonl"], input: "agent\nare you there?\nhello\n", environment: ["CONCIERGE_STORE": store])
        #expect(result.status == 0)
        let turns = result.turns
        #expect(turns.count == 3)
        #expect(turns.map { $0["action"] as? String } == ["handoff", "handoff", "handoff"])
        let id = (turns[0]["handoff"] as? [String: Any])?["id"] as? String
        #expect(id == "H-000001")
        #expect(turns.allSatisfy { ($0["handoff"] as? [String: Any])?["id"] as? String == id })
        let shown = try ConciergeProcess.run(["queue", "show", "H-000001", "--json"], environment: ["CONCIERGE_STORE": store])
        #expect(shown.stdout.contains("are you there?"))
        #expect(shown.stdout.contains("\"status\":\"queued\""))
    }

    /// Eight agent processes take from one queue of 1,000 handoffs at once: each handoff goes to
    /// exactly one agent, and none is lost.
    @Test func eightAgentsClaimEachHandoffExactlyOnce() async throws {
        let path = Self.temporaryStore()
        let store = try SQLiteStore(path: path)
        let start = Date(timeIntervalSince1970: 1_795_014_000)
        for i in 0..<1_000 {
            let conversation = ConversationRecord(id: "C\(i)", startedAt: start, state: .init(id: "C\(i)"))
            _ = try await store.createHandoff(
                Handoff(
                    conversationID: "C\(i)", customerID: nil, reason: .customerRequest, queue: i % 2 == 0 ? "orders" : "general",
                    priority: 1 + i % 3, summary: "test \(i)", sentiment: "neutral", slots: [:], profile: nil, transcript: [],
                    suggestedArticles: [], createdAt: start.addingTimeInterval(Double(i)), dueAt: start.addingTimeInterval(600)),
                conversation: conversation)
        }
        let began = Date()
        let agents = try (0..<8).map { n in try AgentProcess(name: "agent\(n)", takes: 400, store: path) }
        var claimed: [String] = []
        for agent in agents { claimed += try agent.wait() }
        let seconds = Date().timeIntervalSince(began)
        #expect(claimed.count == 1_000)
        #expect(Set(claimed).count == 1_000, "no handoff was claimed twice")
        let left = try await store.handoffs(statuses: [.queued], queue: nil)
        #expect(left.isEmpty)
        print("8 agents claimed 1,000 handoffs in \(String(format: "%.2f", seconds)) s: \(Int(1_000 / seconds)) claims/s")
    }
}

/// One `concierge agent` process reading `take` commands, far more than it can get: the extra ones
/// find the queue empty.
final class AgentProcess: Sendable {
    let process: LiveProcess

    init(name: String, takes: Int, store: String) throws {
        process = try LiveProcess(["agent", "--name", name, "--lease-minutes", "60"], store: store)
        process.send(Array(repeating: "take", count: takes).joined(separator: "\n"))
        process.send("quit")
    }

    /// The ids this agent claimed.
    func wait() throws -> [String] {
        _ = process.finish()
        return process.printed.split(separator: "\n").compactMap { line in
            guard line.hasPrefix("You have H-") else { return nil }
            return String(line.dropFirst("You have ".count).dropLast())
        }
    }
}

/// Agents teach the bot: a resolved handoff's question becomes a suggestion, and only an author's
/// `accept` puts it into knowledge/.
@Suite struct TeachingEndToEndTests {
    /// A copy of the bundled knowledge, and a store holding one resolved handoff whose agent taught
    /// `question` as an example of warranty_claim.
    static func taught(_ question: String) throws -> (environment: [String: String], knowledge: URL, before: String) {
        let environment = ["CONCIERGE_STORE": HandoffEndToEndTests.temporaryStore()]
        let knowledge = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-kb-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: ConciergeProcess.packageRoot.appendingPathComponent("knowledge"), to: knowledge)
        let before = try String(contentsOf: knowledge.appendingPathComponent("intents/warranty.yaml"), encoding: .utf8)
        _ = try ConciergeProcess.run(["chat"], input: "\(question)\nagent\n", environment: environment)
        #expect(try ConciergeProcess.run(["queue", "claim", "--agent", "ana"], environment: environment).status == 0)
        #expect(try ConciergeProcess.run(["queue", "resolve", "H-000001", "--agent", "ana", "--teach", "warranty_claim"], environment: environment).status == 0)
        return (environment, knowledge, before)
    }

    @Test func aSuggestionReachesKnowledgeOnlyWhenAccepted() throws {
        let (environment, knowledge, before) = try Self.taught("my sofa cushion went flat")
        defer { try? FileManager.default.removeItem(at: knowledge) }
        let listed = try ConciergeProcess.run(["suggestions", "--json"], environment: environment)
        #expect(listed.stdout.contains("my sofa cushion went flat"))
        #expect(try String(contentsOf: knowledge.appendingPathComponent("intents/warranty.yaml"), encoding: .utf8) == before, "nothing changed yet")

        let accepted = try ConciergeProcess.run(["suggestions", "accept", "1", "--knowledge", knowledge.path], environment: environment)
        #expect(accepted.status == 0)
        let after = try String(contentsOf: knowledge.appendingPathComponent("intents/warranty.yaml"), encoding: .utf8)
        #expect(after.contains("- \"my sofa cushion went flat\""))
        let check = try ConciergeProcess.run(["check", "--knowledge", knowledge.path])
        #expect(check.status == 0, "\(check.stdout)")
    }

    @Test func aSuggestionThatWouldBreakTheKnowledgeIsRefusedAndChangesNothing() throws {
        // A question with no words: as an example it would be an error in `check`.
        let (environment, knowledge, before) = try Self.taught("?!?")
        defer { try? FileManager.default.removeItem(at: knowledge) }
        let accepted = try ConciergeProcess.run(["suggestions", "accept", "1", "--knowledge", knowledge.path], environment: environment)
        #expect(accepted.status == 1)
        #expect(accepted.stderr.contains("would break the knowledge"), "\(accepted.stderr)")
        #expect(try String(contentsOf: knowledge.appendingPathComponent("intents/warranty.yaml"), encoding: .utf8) == before)
    }
}
