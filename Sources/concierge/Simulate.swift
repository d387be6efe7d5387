import ArgumentParser
import CReadline
import ConciergeEngine
import ConciergeKnowledge
#if PostgreSQL
import ConciergePostgres
#endif
import ConciergeService
import ConciergeStore
import Foundation
import Synchronization

extension Concierge {
    /// `concierge simulate`: load for a shared store, as many customers and agents would make it.
    struct Simulate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drive a store with scripted customers or agents (for scale-out tests and capacity checks).",
            discussion: """
                Run several `simulate customers` and `simulate agents` processes against one store (typically \
                --store postgres://...): customers ask for a person and then write to the agent; agents take \
                handoffs as they arrive, check they got the right customer's message, reply and resolve. Each \
                prints one JSON object with what it did and how fast.
                """,
            subcommands: [Customers.self, Agents.self, Conversations.self])
    }
}

extension Concierge.Simulate {
    struct Customers: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Scripted customers who each end up with a person.")

        @OptionGroup var knowledgeOptions: KnowledgeOptions
        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "How many customers, one after another.")
        var count = 100

        @Option(help: "A prefix for the conversation ids, unique per process.")
        var prefix = "S"

        @Option(help: "Seconds to keep retrying handoffs the store could not take (while a server restarts).")
        var patience: Double = 120

        func run() throws {
            let engine = Engine(knowledge: try knowledgeOptions.load().knowledge)
            let store = try storeOptions.open()
            let (count, prefix, patience) = (count, prefix, patience)
            let report = try blocking { () -> [String: Double] in
                var waiting: [CustomerSession] = []
                var madeHandoff = Set<ObjectIdentifier>()
                var created = 0
                let start = Date()
                // Handoffs and messages the store could not take yet are retried, as each customer's
                // chat would while it waits for a person. A handoff counts once the session has its
                // id and nothing waits to be written (the id is read right after the poll that wrote
                // it, before any agent can resolve it).
                func retryWaiting() async {
                    var still: [CustomerSession] = []
                    for session in waiting {
                        _ = try? await session.poll()
                        if await session.handoffID != nil { madeHandoff.insert(ObjectIdentifier(session)) }
                        if madeHandoff.contains(ObjectIdentifier(session)), await session.problem == nil { created += 1 } else { still.append(session) }
                    }
                    waiting = still
                }
                for i in 0..<count {
                    let session = try await CustomerSession(
                        engine: engine, store: store, time: SystemTime(), conversationID: "\(prefix)-\(i)")
                    _ = try await session.send("my order A10234 arrived damaged")
                    _ = try await session.send("I want to talk to a person")
                    let made = await session.handoffID != nil
                    _ = try await session.send("message for \(prefix)-\(i)")
                    if made { madeHandoff.insert(ObjectIdentifier(session)) }
                    if made, await session.problem == nil { created += 1 } else { waiting.append(session) }
                    await retryWaiting()
                }
                let deadline = Date().addingTimeInterval(patience)
                while !waiting.isEmpty && Date() < deadline {
                    await retryWaiting()
                    if !waiting.isEmpty { try await Task.sleep(for: .milliseconds(200)) }
                }
                for session in waiting {
                    let problem = await session.problem ?? "no handoff was made"
                    let id = await session.id
                    FileHandle.standardError.write(Data("unfinished \(id): \(problem)\n".utf8))
                }
                return ["customers": Double(count), "handoffs": Double(created), "unfinished": Double(waiting.count), "seconds": Date().timeIntervalSince(start)]
            }
            Output.line(HandoffFormatter.json(report))
            if report["unfinished"] != 0 { throw ExitCode(1) }
        }
    }

    struct Agents: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A scripted agent who takes handoffs as they arrive until all are resolved.")

        @OptionGroup var storeOptions: StoreOptions

        @Option(help: "The agent's name.")
        var name = "agent"

        @Option(help: "Stop once the store holds this many handoffs (ids H-000001 up) and none is waiting or held.")
        var expect: Int

        @Option(help: "Give up after this many seconds.")
        var timeout: Double = 300

        @OptionGroup var credentials: AgentCredentials

        func validate() throws { try AgentName.validate(name, option: "--name") }

        func run() throws {
            let store = try storeOptions.open()
            let agent = try credentials.login(name, store: store, options: storeOptions)
            let desk = AgentDesk(store: store, agent: agent, time: SystemTime(), lease: 600)
            let wakeup = LiveUpdates.wakeup(for: store)
            // When this console first learns of each handoff (PostgreSQL notifies it at once).
            let firstSeen = Mutex<[String: Date]>([:])
            #if PostgreSQL
            if let postgres = store as? PostgresStore {
                Task.detached {
                    for await notification in postgres.notifications() {
                        switch notification {
                        case .handoffChanged(let id):
                            let now = Date()
                            firstSeen.withLock { if $0[id] == nil { $0[id] = now } }
                        case .resync:
                            // Back after a lost connection (a server restart): notifications sent
                            // meanwhile are gone, so the console reads the queue, as a person's would.
                            let open = (try? await postgres.handoffs(statuses: [.queued], queue: nil)) ?? []
                            let now = Date()
                            firstSeen.withLock { seen in for handoff in open where seen[handoff.id] == nil { seen[handoff.id] = now } }
                        default:
                            continue
                        }
                    }
                }
            }
            #endif
            let (expect, timeout, name) = (expect, timeout, name)
            var claimed: [String] = []
            var latencies: [Double] = []
            var wrongMessages = 0, missingMessages = 0, errors = 0
            let deadline = Date().addingTimeInterval(timeout)
            var resolvedTotal = 0
            while Date() < deadline {
                // Take everything that waits; each handoff is "seen" when this agent first learns of it.
                var tookOne = false
                do {
                    let outcome = try blocking { try await desk.take() }
                    if case .claimed(let handoff) = outcome {
                        tookOne = true
                        claimed.append(handoff.id)
                        latencies.append(Date().timeIntervalSince(handoff.createdAt) * 1_000)
                        let expected = "message for \(handoff.conversationID)"
                        var text: String?
                        // Up to 30 s: during a server restart the customer's message may still be on its way.
                        for _ in 0..<300 {
                            let messages = try blocking { try await desk.messages(handoff.id, after: 0) }
                            text = messages.first { $0.sender == .customer }?.text
                            if text != nil { break }
                            Thread.sleep(forTimeInterval: 0.1)
                        }
                        if text == nil { missingMessages += 1 } else if text != expected { wrongMessages += 1 }
                        // The handoff is this agent's now: a store that fails (a restart) is retried
                        // until the reply and the resolution are written, never left claimed.
                        var replied = false
                        for attempt in 1...100 {
                            do {
                                if !replied { _ = try blocking { try await desk.reply(handoff.id, "Hello from \(name)") } }
                                replied = true
                                try blocking { try await desk.resolve(handoff.id, note: "done by \(name)") }
                                break
                            } catch StoreError.closed {
                                break  // An earlier attempt did resolve it; its answer was lost.
                            } catch {
                                errors += 1
                                if attempt == 100 { throw error }
                                Thread.sleep(forTimeInterval: 0.3)
                            }
                        }
                    }
                } catch {
                    errors += 1
                    Thread.sleep(forTimeInterval: 0.2)
                }
                if tookOne { continue }
                // Done once the last handoff exists and nothing waits or is held (a cheap check: the
                // open handoffs only, never every packet).
                let last = HandoffID.format(expect)
                if let done = try? blocking({ () -> Bool in
                    guard try await store.handoff(id: last) != nil else { return false }
                    return try await store.handoffs(statuses: [.queued, .claimed], queue: nil).isEmpty
                }), done {
                    resolvedTotal = expect
                    break
                }
                // Nothing waiting: sleep until the store says something changed (or a short poll).
                if let wakeup {
                    var descriptor = pollfd(fd: wakeup.descriptor, events: Int16(POLLIN), revents: 0)
                    _ = poll(&descriptor, 1, 500)
                    wakeup.drain()
                } else {
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
            // Notification latency: creation to this console knowing, for every handoff it heard of.
            let seen = firstSeen.withLock { $0 }
            var notified: [Double] = []
            for (id, at) in seen {
                if let handoff = try? blocking({ try await store.handoff(id: id) }) { notified.append(at.timeIntervalSince(handoff.createdAt) * 1_000) }
            }
            notified.sort()
            let sorted = latencies.sorted()
            func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1)] }
            let report: [String: String] = [
                "agent": name, "claimed": String(claimed.count), "ids": claimed.joined(separator: ","),
                "wrong_messages": String(wrongMessages), "missing_messages": String(missingMessages), "errors": String(errors),
                "claimed_after_p50_ms": String(format: "%.1f", percentile(50)), "claimed_after_p99_ms": String(format: "%.1f", percentile(99)),
                "notified": String(notified.count),
                "notified_p50_ms": String(format: "%.1f", notified.isEmpty ? 0 : notified[notified.count / 2]),
                "notified_p99_ms": String(format: "%.1f", notified.isEmpty ? 0 : notified[min(notified.count - 1, Int(Double(notified.count) * 0.99))]),
                "resolved_total": String(resolvedTotal),
            ]
            Output.line(HandoffFormatter.json(report))
        }
    }
}
