import ConciergeEngine
import ConciergeSQLite
import ConciergeStore
import Foundation
import Testing

/// The behaviour every `SupportStore` shares, checked on each implementation. The tests are
/// extensions of this suite, one file per feature; each takes a `StoreFactory` argument.
@Suite("SupportStore behaviour")
struct SupportStoreBehaviour {
    /// A folder for this test's files, removed when the test ends.
    let scratch = ScratchFolder()
}

/// Makes an empty store of one implementation. Adding an implementation to every behavioural test
/// is one line in `all` (a store that needs a server can be added only when its environment is set).
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    /// An empty store; the folder is this test's own, for stores that keep files.
    let make: @Sendable (ScratchFolder) async throws -> any SupportStore

    var testDescription: String { name }

    static let all: [StoreFactory] = [
        StoreFactory(name: "MemoryStore") { _ in MemoryStore() },
        StoreFactory(name: "SQLiteStore in memory") { _ in try SQLiteStore.inMemory() },
        StoreFactory(name: "SQLiteStore file") { try SQLiteStore(path: $0.path("concierge.sqlite")) },
    ] + StoreFactory.postgres  // Empty unless PGHOST is set: see PostgresStoreTests.swift.
}

/// A temporary folder, created on first use and removed with everything in it when released.
final class ScratchFolder: Sendable {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-store-tests-\(UUID().uuidString)")

    /// A name no other test has, for stores that need one (a database or schema name).
    var uniqueName: String { url.lastPathComponent.replacingOccurrences(of: "-", with: "_").lowercased() }

    /// The path of `name` inside the folder (the folder is created; the file is not).
    func path(_ name: String) -> String {
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.appendingPathComponent(name).path
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}

/// Conversations, turns, profiles and handoffs as the engine would write them, with dates that
/// round-trip exactly (whole eighths of a second after a fixed instant).
enum Fixture {
    /// 2026-01-01 00:00:00.125 UTC.
    static let start: Double = 1_767_225_600.125

    /// `seconds` after `start`.
    static func at(_ seconds: Double) -> Date { Date(timeIntervalSince1970: start + seconds) }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) -> T {
        try! JSONDecoder().decode(type, from: Data(json.utf8))
    }

    /// A conversation state with every kind of value: slots, a pending question, a topic, answers.
    static func state(_ id: String, customer: String?, handoffQueue: String? = nil) -> ConversationState {
        var state = ConversationState(id: id, customerID: customer)
        state.turnCount = 3
        state.slots = ["order_id": "A10234", "email": "maya.chen@example.com", "city": "Zürich"]
        state.pending = .clarification([
            .init(key: "intent:order_status", label: "Où est ma commande ?"),
            .init(key: "article:returns", label: "Returns & refunds 📦"),
        ])
        state.topic = decode(ConversationState.Topic.self, #"{"key":"intent:order_status","intent":"order_status","turn":2}"#)
        state.answered = ["intent:order_status", "article:shipping-times"]
        state.consecutiveFallbacks = 1
        state.clarifications = 2
        state.failures = 1
        if let handoffQueue {
            state.handoff = decode(
                ConversationState.HandoffState.self, #"{"id":"","reason":"customer_request","queue":"\#(handoffQueue)"}"#)
        }
        return state
    }

    static func conversation(_ id: String, customer: String? = "cust-1", updated: Double = 60, handoffQueue: String? = nil)
        -> ConversationRecord
    {
        ConversationRecord(
            id: id, customerID: customer, startedAt: at(0), updatedAt: at(updated),
            state: state(id, customer: customer, handoffQueue: handoffQueue))
    }

    static func turn(_ conversation: String, _ number: Int, customer: String = "where is my order A10234?") -> TurnRecord {
        TurnRecord(
            conversationID: conversation, number: number, at: at(Double(number) * 10), customer: customer,
            reply: "Order A10234 shipped on 3 Nov.\nIt should arrive by Friday.", action: .answer, intent: "order_status",
            confidence: 0.8125, articles: ["shipping-times", "track-order"], asked: nil,
            slots: ["order_id": "A10234"], handoffID: nil)
    }

    static let profile = CustomerProfile(
        id: "cust-1", name: "Maya Chen",
        fields: [
            "email": .init(value: "maya.chen@example.com", learnedAt: at(5)),
            "order:A10234": .init(value: "shipped", learnedAt: at(7.5)),
        ],
        updatedAt: at(8))

    static func handoff(
        queue: String = "orders", priority: Int = 2, created: Double = 0, conversation: String = "conv-1",
        reason: HandoffReason = .customerRequest
    ) -> Handoff {
        Handoff(
            conversationID: conversation, customerID: "cust-1", reason: reason, queue: queue, priority: priority,
            summary: "Wants order A10234; the bot answered twice — « toujours rien ».", sentiment: "frustrated",
            slots: ["order_id": "A10234", "email": "maya.chen@example.com"], profile: profile,
            transcript: [turn(conversation, 1), turn(conversation, 2, customer: "ça n'a pas aidé 😤")],
            suggestedArticles: [.init(id: "track-order", title: "Track your order"), .init(id: "late", title: "Late delivery")],
            createdAt: at(created), dueAt: at(created + 900), promise: queue == "billing" ? "We will reply by email by 17:00." : nil)
    }
}

extension SupportStore {
    /// Creates `handoff` for a conversation waiting on it, as the chat does.
    @discardableResult
    func create(_ handoff: Handoff) async throws -> Handoff {
        try await createHandoff(
            handoff, conversation: Fixture.conversation(handoff.conversationID, handoffQueue: handoff.queue))
    }

    /// Claims the handoff with `id`, expecting to get it.
    @discardableResult
    func take(_ id: String, agent: String, at seconds: Double, lease: TimeInterval = 300) async throws -> Handoff {
        let outcome = try await claim(id: id, agent: agent, queues: nil, now: Fixture.at(seconds), lease: lease)
        guard case .claimed(let handoff) = outcome else {
            Issue.record("\(agent) could not claim \(id): \(outcome)")
            throw StoreError.notHeld(id: id, holder: nil)
        }
        return handoff
    }

    /// The kinds of the handoff's audit entries, in order.
    func eventKinds(_ id: String) async throws -> [HandoffEvent.Kind] {
        try await events(handoffID: id).map(\.kind)
    }
}
