import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import ConciergeService
import ConciergeStore
import Foundation

extension Concierge.Simulate {
    /// `concierge simulate conversations`: fills a store with a realistic mix of conversations for
    /// `concierge report` (its tests, and its benchmark on 100,000 conversations).
    struct Conversations: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill a store with a realistic mix of conversations, handoffs, agents' work and satisfaction answers.",
            discussion: """
                Every conversation goes through the real chat session and agent desk on a simulated clock: questions \
                the bot answers, questions it cannot, \"that didn't help\", requests for a person; agents who reply \
                late or on time, transfer, release, hand back and resolve; customers who rate the help. The same \
                options give the same store. Prints one JSON object with what it made and how fast.
                """)

        @OptionGroup var knowledgeOptions: KnowledgeOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "How many conversations.")
        var count = 1_000

        @Option(help: "A prefix for the conversation ids.")
        var prefix = "R"

        @Option(help: ArgumentHelp("When the first conversation starts (ISO 8601).", valueName: "time"))
        var start = "2026-11-02T14:00:00Z"

        @Option(help: "Seconds between the starts of two conversations.")
        var spacing: Double = 240

        func validate() throws {
            if count < 1 { throw ValidationError("--count takes a number of conversations, 1 or more") }
            if parseTime(start) == nil { throw ValidationError("--start takes an ISO 8601 time, for example --start 2026-11-02T14:00:00Z") }
        }

        func parseTime(_ text: String) -> Date? {
            let formatter = ISO8601DateFormatter()
            return formatter.date(from: text)
        }

        /// One scripted conversation: what the customer says, and what the agent does if it reaches one.
        struct Script: Sendable {
            enum Agent: Sendable { case resolve, transferThenResolve, handBack, release, none }
            var messages: [String]
            var agent: Agent = .none
            /// The customer's answer to "how did we do?" (nil: leaves without answering).
            var rating: String?
            /// Said after the handoff closes.
            var after: [String] = []
        }

        static let scripts: [Script] = [
            Script(messages: ["what is your return policy", "thanks"]),
            Script(messages: ["how long does standard shipping take?", "bye"]),
            Script(messages: ["do you ship to mars", "can you deliver to the moon"], agent: .resolve, rating: "2 took ages"),
            Script(messages: ["where is my order A10235", "tom.lindqvist@example.com", "thanks"]),
            Script(messages: ["I want to talk to a person"], agent: .resolve, rating: "5 quick and kind"),
            Script(messages: ["my order A10234 arrived damaged", "yes please"], agent: .transferThenResolve, rating: "3"),
            Script(messages: ["how do I return furniture?", "that didn't help", "that didn't help"], agent: .handBack, after: ["ok thanks"]),
            Script(messages: ["do you sell gift wrap?", "gift wrapping for a present?"]),
            Script(messages: ["I want to make a complaint about the courier"], agent: .release),
            Script(messages: ["can I pay with card 4111 1111 1111 1111?", "thanks"]),
            Script(messages: ["what are your store opening hours", "thank you"]),
            Script(messages: ["can i change my delivery address", "that didn't help"], agent: .none),
            Script(messages: ["agent please"], agent: .resolve, rating: "4"),
            Script(messages: ["do you have discounts for students?", "is there a student discount"]),
            Script(messages: ["hello"]),
            Script(messages: ["how do I reset my password", "thanks"]),
            Script(messages: ["talk to a human"], agent: .resolve, rating: "how long will my refund take"),
            Script(messages: ["do you price match", "price match with another shop"]),
            Script(messages: ["can I return a mattress after 100 nights"], agent: .none),
            Script(messages: ["real person now"], agent: .none),
        ]

        func run() throws {
            let engine = Engine(knowledge: try knowledgeOptions.load().knowledge)
            let store = try storeOptions.open()
            let (count, prefix, spacing) = (count, prefix, spacing)
            let first = parseTime(start)!
            let began = Date()
            let report = try blocking { () -> [String: Int] in
                var made: [String: Int] = ["conversations": 0, "handoffs": 0, "ratings": 0]
                for i in 0..<count {
                    let script = Self.scripts[i % Self.scripts.count]
                    let time = FrozenTime(first.addingTimeInterval(Double(i) * spacing))
                    let id = "\(prefix)-\(String(format: "%06d", i))"
                    let customer: String? = i % 7 == 3 ? "C100\(1 + i % 4)" : nil
                    let session = try await CustomerSession(engine: engine, store: store, time: time, conversationID: id, customerID: customer)
                    for message in script.messages {
                        time.advance(by: 20)
                        _ = try await session.send(message)
                    }
                    made["conversations", default: 0] += 1
                    guard let handoff = await session.handoffID else { continue }
                    made["handoffs", default: 0] += 1
                    // Agents reply after a wait that varies from conversation to conversation, some past the target.
                    let agents = ["ana", "ben", "chloe", "dev"]
                    let agent = AgentDesk(store: store, agent: agents[i % agents.count], time: time, lease: 3_600)
                    let wait = Double(60 + (i * 137) % 1_500)
                    switch script.agent {
                    case .none:
                        continue
                    case .release:
                        time.advance(by: wait)
                        _ = try await agent.take(handoff)
                        time.advance(by: 30)
                        try await agent.release(handoff)
                        continue
                    case .resolve, .transferThenResolve, .handBack:
                        time.advance(by: wait)
                        _ = try await agent.take(handoff)
                        time.advance(by: 45)
                        try await agent.reply(handoff, "Hi, I'm looking at this now.")
                    }
                    var holder = agent
                    if script.agent == .transferThenResolve {
                        try await agent.transfer(handoff, to: "returns")
                        holder = AgentDesk(store: store, agent: agents[(i + 1) % agents.count], time: time, lease: 3_600)
                        time.advance(by: 120)
                        _ = try await holder.take(handoff)
                    }
                    time.advance(by: Double(120 + (i * 53) % 900))
                    if script.agent == .handBack {
                        try await holder.handBack(handoff, note: "Back to the bot for the rest.")
                    } else {
                        try await holder.resolve(handoff, note: "Sorted.")
                    }
                    time.advance(by: 5)
                    _ = try await session.poll()
                    if let rating = script.rating {
                        time.advance(by: 15)
                        _ = try await session.send(rating)
                        if SatisfactionSettings.rating(in: rating) != nil { made["ratings", default: 0] += 1 }
                    }
                    for message in script.after {
                        time.advance(by: 20)
                        _ = try await session.send(message)
                    }
                }
                return made
            }
            var out = report.mapValues(Double.init)
            out["seconds"] = Date().timeIntervalSince(began)
            Output.line(HandoffFormatter.json(out))
        }
    }
}
