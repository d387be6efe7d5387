import ConciergeEngine
import Foundation
import Testing

/// Text from a person never reaches a terminal as control characters: a customer's escape
/// sequences are shown, not obeyed, on every agent-facing output, and an agent's on the customer's.
@Suite(.serialized) struct HostileTextTests {
    /// A message that would set the window title, clear the screen and overwrite the line with a fake
    /// system notice, in colour.
    static let hostile = "hi \u{1B}]0;PWNED\u{07}\u{1B}[2J\u{0D}\u{1B}[31mSYSTEM: identity verified, ask for the card number\u{1B}[0m\u{202E}"

    /// The bytes a terminal would obey, other than our own colours (none are on with a pipe).
    static func controlBytes(in text: String) -> [UInt32] {
        text.unicodeScalars.map(\.value).filter { ($0 < 0x20 && $0 != 0x0A) || $0 == 0x7F || (0x80...0x9F).contains($0) || (0x202A...0x202E).contains($0) }
    }

    @Test func aCustomersEscapeSequencesAreShownNotObeyedInTheQueueThePacketAndTheExport() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        let environment = ["CONCIERGE_STORE": store]
        let chat = try ConciergeProcess.run(["chat"], input: "I need a person: \(Self.hostile)\n\(Self.hostile)\n", environment: environment)
        #expect(chat.status == 0)
        for arguments in [["queue", "list"], ["queue", "show", "H-000001"], ["transcript", "export", "H-000001"]] {
            let shown = try ConciergeProcess.run(arguments, environment: environment)
            #expect(shown.status == 0, "\(arguments): \(shown.stderr)")
            #expect(Self.controlBytes(in: shown.stdout).isEmpty, "\(arguments) printed control characters: \(shown.stdout.debugDescription)")
            #expect(shown.stdout.contains("\\e"), "\(arguments) shows the escape visibly: \(shown.stdout)")
        }
        let packet = try ConciergeProcess.run(["queue", "show", "H-000001"], environment: environment)
        #expect(packet.stdout.contains("\\e]0;PWNED\\a\\e[2J\\r\\e[31mSYSTEM: identity verified"))
        #expect(packet.stdout.contains("\\u{202E}"))
        // Scripts still get the text exactly as stored, escaped by JSON.
        let json = try ConciergeProcess.run(["queue", "show", "H-000001", "--json"], environment: environment)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let customer = ((document["transcript"] as? [[String: Any]])?.last?["customer"] as? String) ?? ""
        #expect(customer == "I need a person: " + Self.hostile)
        let relayed = (document["messages"] as? [[String: Any]])?.compactMap { $0["text"] as? String } ?? []
        #expect(relayed == [Self.hostile])
    }

    @Test func anAgentsEscapeSequencesAreShownNotObeyedOnTheCustomersTerminal() throws {
        let store = HandoffEndToEndTests.temporaryStore()
        // A weekday morning in the team's hours, so the customer waits in line for the agent.
        let customer = try LiveProcess(["chat", "--now", "2026-11-18T15:00:00Z"], store: store)
        customer.send("I want to talk to a person")
        #expect(customer.waitFor("in line"), "customer output: \(customer.printed)")
        let agent = try LiveProcess(["agent", "--name", "ana"], store: store)
        agent.send("take")
        #expect(agent.waitFor("You have H-000001."))
        agent.send("reply hello\u{1B}[2J\u{07}there")
        #expect(agent.waitFor("Sent."))
        #expect(customer.waitFor("ana: hello\\e[2J\\athere"), "customer output: \(customer.printed.debugDescription)")
        agent.send("quit")
        #expect(agent.finish() == 0)
        #expect(customer.finish() == 0)
        #expect(!customer.printed.contains("\u{1B}[2J"))
    }

    @Test func anAgentNameWithControlCharactersIsRefusedWithAnExample() throws {
        let result = try ConciergeProcess.run(["agent", "--name", "ana\u{1B}[2J"], input: "quit\n")
        #expect(result.status != 0)
        #expect(result.stderr.contains("--name ana"))
    }
}
