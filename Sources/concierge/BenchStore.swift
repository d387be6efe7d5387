import ArgumentParser
import ConciergeEngine
import ConciergeSQLite
import ConciergeStore
import Foundation

extension Concierge {
    /// `concierge bench-store`: how fast the SQLite store saves turns and runs the handoff queue.
    struct BenchStore: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bench-store",
            abstract: "Measure the SQLite store: saving turns, creating handoffs and claiming them.",
            discussion: """
                Works on a real file in WAL mode, as chat does: saves --turns turns one transaction at a time \
                (conversations of 10 turns, each with its full dialogue state), reads conversations back, \
                creates one handoff per 10 turns with its whole packet, then claims them all with "claim next" \
                until the queue is empty. Build with -c release for meaningful numbers.
                """)

        @Option(
            help: ArgumentHelp(
                "The SQLite file to create and keep (it must not exist yet); by default a temporary file, removed afterwards.",
                valueName: "path"))
        var store: String?

        @Option(help: "Turns to save, one transaction each.")
        var turns = 5000

        @Flag(help: "Print one JSON object instead of a table.")
        var json = false

        func validate() throws {
            guard turns >= 10 else { throw ValidationError("--turns must be at least 10") }
            if let store, FileManager.default.fileExists(atPath: store) {
                throw ValidationError(
                    "\(store) already exists; give --store a new file (the benchmark writes thousands of rows), or leave it out to use a temporary file")
            }
        }

        func run() throws {
            let temporary = store == nil ? FileManager.default.temporaryDirectory.appendingPathComponent("concierge-bench-\(UUID().uuidString)") : nil
            defer { if let temporary { try? FileManager.default.removeItem(at: temporary) } }
            let path = store ?? temporary!.appendingPathComponent("concierge.sqlite").path

            let sqlite = try SQLiteStore(path: path)
            let turns = self.turns
            let result = try blocking { try await StoreBenchmark(store: sqlite, turns: turns).run() }
            let fileBytes = ["", "-wal"].compactMap { suffix in
                (try? FileManager.default.attributesOfItem(atPath: path + suffix))?[.size] as? Int
            }.reduce(0, +)

            Report.print(
                [
                    ("store", store ?? "temporary file"), ("turns", result.turnMicros.count),
                    ("median_us", Statistics.percentile(result.turnMicros, 50)), ("p99_us", Statistics.percentile(result.turnMicros, 99)),
                    ("turns_per_second", Double(result.turnMicros.count) / result.turnSeconds),
                    ("read_conversation_median_us", Statistics.percentile(result.readMicros, 50)),
                    ("handoffs", result.handoffMicros.count),
                    ("handoff_median_us", Statistics.percentile(result.handoffMicros, 50)),
                    ("handoff_p99_us", Statistics.percentile(result.handoffMicros, 99)),
                    ("claims", result.claimMicros.count),
                    ("claim_median_us", Statistics.percentile(result.claimMicros, 50)),
                    ("claim_p99_us", Statistics.percentile(result.claimMicros, 99)),
                    ("claims_per_second", Double(result.claimMicros.count) / result.claimSeconds),
                    ("file_mb", Double(fileBytes) / 1_048_576),
                ], json: json)
        }
    }
}

/// The measurements of `concierge bench-store`, in microseconds per operation.
private struct StoreBenchmark {
    let store: SQLiteStore
    let turns: Int

    struct Measurements: Sendable {
        var turnMicros: [Double] = []
        var turnSeconds = 0.0
        var readMicros: [Double] = []
        var handoffMicros: [Double] = []
        var claimMicros: [Double] = []
        var claimSeconds = 0.0
    }

    /// Turns per conversation.
    static let conversationLength = 10
    static let start = Date(timeIntervalSince1970: 1_767_225_600)

    func run() async throws -> Measurements {
        var result = Measurements()
        let messages = BenchMessages.builtIn

        // Warm up (statement cache, page cache) on a conversation of its own.
        var warm = Self.conversation("warm-up")
        for number in 1...50 {
            try await store.record(turn: Self.turn(in: &warm, number: number, message: "warm up"), conversation: warm)
        }

        // Turns, one transaction each, in conversations of ten.
        result.turnMicros.reserveCapacity(turns)
        var conversation = Self.conversation("bench-0")
        var transcripts: [String: [TurnRecord]] = [:]
        let wall = DispatchTime.now().uptimeNanoseconds
        for index in 0..<turns {
            let number = index % Self.conversationLength + 1
            if number == 1 { conversation = Self.conversation("bench-\(index / Self.conversationLength)") }
            let turn = Self.turn(in: &conversation, number: number, message: messages[index % messages.count])
            let t0 = DispatchTime.now().uptimeNanoseconds
            try await store.record(turn: turn, conversation: conversation)
            result.turnMicros.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
            transcripts[conversation.id, default: []].append(turn)
        }
        result.turnSeconds = Double(DispatchTime.now().uptimeNanoseconds - wall) / 1e9

        // Resuming a conversation: its state and turns.
        let conversations = turns / Self.conversationLength
        for index in 0..<min(conversations, 1_000) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try await store.conversation(id: "bench-\(index)")
            _ = try await store.turns(conversationID: "bench-\(index)")
            result.readMicros.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
        }

        // One handoff per conversation, with its packet.
        let queues = ["orders", "billing", "returns", "account"]
        for index in 0..<conversations {
            let id = "bench-\(index)"
            var state = Self.conversation(id)
            state.state.handoff = try JSONDecoder().decode(
                ConversationState.HandoffState.self, from: Data(#"{"id":"","reason":"frustration","queue":"orders"}"#.utf8))
            let handoff = Handoff(
                conversationID: id, customerID: "cust-\(index)", reason: .frustration, queue: queues[index % queues.count],
                priority: 1 + index % 4, summary: "Customer asks where order A\(10_000 + index) is; the bot answered twice and they are frustrated.",
                sentiment: "frustrated", slots: ["order_id": "A\(10_000 + index)", "email": "customer\(index)@example.com"],
                profile: CustomerProfile(
                    id: "cust-\(index)", name: "Customer \(index)",
                    fields: ["email": .init(value: "customer\(index)@example.com", learnedAt: Self.start)], updatedAt: Self.start),
                transcript: transcripts[id] ?? [], suggestedArticles: [.init(id: "track-order", title: "Track your order")],
                createdAt: Self.start.addingTimeInterval(Double(index)), dueAt: Self.start.addingTimeInterval(Double(index) + 900))
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try await store.createHandoff(handoff, conversation: state)
            result.handoffMicros.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
        }

        // Claim next until the queue is empty.
        let now = Self.start.addingTimeInterval(Double(conversations) + 1)
        let claimWall = DispatchTime.now().uptimeNanoseconds
        while true {
            let t0 = DispatchTime.now().uptimeNanoseconds
            guard case .claimed = try await store.claim(id: nil, agent: "ana", queues: nil, now: now, lease: 3_600) else { break }
            result.claimMicros.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
        }
        result.claimSeconds = Double(DispatchTime.now().uptimeNanoseconds - claimWall) / 1e9
        return result
    }

    /// A new conversation with the state a few turns of chat leave behind.
    static func conversation(_ id: String) -> ConversationRecord {
        var state = ConversationState(id: id, customerID: "cust-\(id)")
        state.slots = ["order_id": "A10234", "email": "maya.chen@example.com"]
        state.pending = .clarification([
            .init(key: "intent:order_status", label: "Where is my order?"), .init(key: "article:returns", label: "Returns and refunds"),
        ])
        state.answered = ["intent:order_status", "article:shipping-times"]
        return ConversationRecord(id: id, customerID: "cust-\(id)", startedAt: start, state: state)
    }

    /// The next turn of `conversation`, which it updates as the engine would.
    static func turn(in conversation: inout ConversationRecord, number: Int, message: String) -> TurnRecord {
        let at = start.addingTimeInterval(Double(number) * 7)
        conversation.updatedAt = at
        conversation.state.turnCount = number
        conversation.state.slots["turn_\(number % 3)"] = "value \(number)"
        return TurnRecord(
            conversationID: conversation.id, number: number, at: at, customer: message,
            reply: "Your order A10234 shipped on Monday with UPS and should arrive within 3–5 business days. "
                + "You can follow it with the tracking link in your confirmation email.",
            action: .answer, intent: "order_status", confidence: 0.87, articles: ["shipping-times", "track-order"],
            slots: conversation.state.slots)
    }
}

/// Runs `body` on the concurrency pool and waits for it on this thread (the command's `run()` is
/// synchronous and runs on the main thread, which `body` never needs).
private func blocking<T>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingResult<T>()
    let done = DispatchSemaphore(value: 0)
    Task {
        do { box.result = .success(try await body()) } catch { box.result = .failure(error) }
        done.signal()
    }
    done.wait()
    return try box.result!.get()
}

/// Where `blocking` leaves its result: written once by the task before `signal()`, read after `wait()`.
private final class BlockingResult<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
