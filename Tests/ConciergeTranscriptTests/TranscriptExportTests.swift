import ConciergeEngine
import ConciergeService
import ConciergeStore
import ConciergeTranscripts
import Foundation
import Testing

@Suite("Exporting stored conversations")
struct TranscriptExportTests {
    @Test("a handed-off conversation with the agent's side becomes a transcript that replays green")
    func export() async throws {
        let store = MemoryStore()
        let clock = FrozenTime(try #require(TranscriptParser.date("2026-11-18T15:00:00Z")))
        let session = try await CustomerSession(engine: Fixtures.engine, store: store, time: clock, conversationID: "c-42", customerID: "C1001")
        let desk = AgentDesk(store: store, agent: "ana", time: clock)
        _ = try await session.send("my order A10234 arrived damaged")
        clock.advance(by: 30)
        _ = try await session.send("I want to talk to a person")
        clock.advance(by: 30)
        _ = try await desk.take("H-000001")
        clock.advance(by: 30)
        try await desk.reply("H-000001", "Hi Maya, I'm sending a replacement today.")
        _ = try await desk.note("H-000001", "Replacement order A10999")
        clock.advance(by: 90)
        _ = try await session.send("thank you so much")
        clock.advance(by: 200)  // within the agent's five-minute lease
        try await desk.handBack("H-000001", note: "Replacement on its way")
        _ = try await session.poll()
        clock.advance(by: 30)
        _ = try await session.send("bye")

        let stored = try await TranscriptExport.load(id: "H-000001", from: store)
        let script = TranscriptExport.script(stored, knowledge: Fixtures.engine.knowledge, file: "exported.transcript")
        #expect(script.header.customer == "C1001")
        let steps = script.items.map { item -> String in
            switch item {
            case .customer(let turn): "> " + turn.message
            case .agent(let step): "! agent \(step.agent) \(step.operation.text)"
            case .wait(let pause): "! wait \(TranscriptParser.format(duration: pause.duration))"
            }
        }
        #expect(
            steps == [
                "> my order A10234 arrived damaged", "> I want to talk to a person", "! agent ana take",
                "! agent ana reply Hi Maya, I'm sending a replacement today.", "! agent ana note Replacement order A10999",
                "! wait 1m30s", "> thank you so much", "! wait 3m20s", "! agent ana handback Replacement on its way", "> bye",
            ])

        let recording = await TranscriptRecorder(engine: Fixtures.engine).record(script)
        #expect(recording.text.contains("<< ana: Hi Maya, I'm sending a replacement today."))
        #expect(TranscriptExport.divergences(stored, observation: recording.observation).isEmpty)
        let run = try await replay(recording.text, file: "exported.transcript")
        #expect(run.result.passed, "\(run.result.mismatches)")
    }

    @Test("an unknown id says so")
    func notFound() async {
        await #expect(throws: TranscriptExport.NotFound.self) { try await TranscriptExport.load(id: "H-999999", from: MemoryStore()) }
    }

    @Test("a customer who gave their email in the chat is not a returning customer in the header")
    func identifiedInChat() async throws {
        let store = MemoryStore()
        let clock = FrozenTime(try #require(TranscriptParser.date("2026-11-18T15:00:00Z")))
        let session = try await CustomerSession(engine: Fixtures.engine, store: store, time: clock, conversationID: "c-7")
        _ = try await session.send("where is my order A10234")
        _ = try await session.send("maya.chen@example.com")
        let stored = try await TranscriptExport.load(id: "c-7", from: store)
        #expect(stored.conversation?.state.customerID == nil, "an email proves one order; it never identifies the customer")
        #expect(TranscriptExport.script(stored, knowledge: Fixtures.engine.knowledge, file: "x.transcript").header.customer == nil)
    }
}
