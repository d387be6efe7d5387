import Foundation
import Testing

/// Issue 4's bar: for every bundled conversation that hands off, every slot value the bot knew is in
/// the packet, and the agent console shows it. Each transcript's customer messages go through the
/// real binary; the packet is read back with `concierge queue show`, as JSON and as the console prints it.
@Suite struct PacketCompletenessTests {
    /// A transcript's customer messages up to the first agent step, and its customer, if any.
    static func conversation(_ file: URL) throws -> (customer: String?, messages: [String]) {
        var customer: String?
        var messages: [String] = []
        for line in try String(contentsOf: file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("@customer ") { customer = line.dropFirst(10).trimmingCharacters(in: .whitespaces) }
            if line.hasPrefix("!") { break }
            if line.hasPrefix("> ") { messages.append(String(line.dropFirst(2))) }
        }
        return (customer, messages)
    }

    static var transcripts: [URL] {
        let root = ConciergeProcess.packageRoot.appendingPathComponent("transcripts")
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? []
        // The scored conversations (transcripts/conversations/) measure the bot; the gated ones pin it.
        return files.filter { $0.pathExtension == "transcript" && !$0.pathComponents.contains("conversations") }.sorted { $0.path < $1.path }
    }

    @Test func everySlotTheBotKnewIsInThePacketAndOnTheAgentsScreen() throws {
        var checked = 0, values = 0
        for file in Self.transcripts {
            let (customer, messages) = try Self.conversation(file)
            let store = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-packet-\(UUID().uuidString).sqlite").path
            let chat = try ConciergeProcess.run(
                ["chat", "--jsonl"] + (customer.map { ["--customer", $0] } ?? []), input: messages.joined(separator: "\n") + "\n",
                environment: ["CONCIERGE_STORE": store])
            #expect(chat.status == 0, "\(file.lastPathComponent): \(chat.stderr)")
            guard let handoffTurn = chat.turns.first(where: { ($0["handoff"] as? [String: Any])?["id"] is String }),
                let id = (handoffTurn["handoff"] as? [String: Any])?["id"] as? String
            else { continue }
            let known = handoffTurn["slots"] as? [String: String] ?? [:]
            let json = try ConciergeProcess.run(["queue", "show", id, "--json"], environment: ["CONCIERGE_STORE": store])
            let packet = (try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8))) as? [String: Any] ?? [:]
            let slots = packet["slots"] as? [String: String] ?? [:]
            let screen = try ConciergeProcess.run(["queue", "show", id], environment: ["CONCIERGE_STORE": store]).stdout
            for (slot, value) in known {
                #expect(slots[slot] == value, "\(file.lastPathComponent): the packet lacks \(slot) = \(value)")
                #expect(screen.contains("\(slot) = \(value)"), "\(file.lastPathComponent): the agent's screen lacks \(slot) = \(value)")
                values += 1
            }
            #expect((packet["transcript"] as? [Any])?.count ?? 0 >= 1, "\(file.lastPathComponent): the packet has the conversation")
            checked += 1
        }
        #expect(checked >= 15, "the bundled conversations that hand off")
        #expect(values >= 4, "slot values known at the handoff (order numbers, emails)")
        print("packet completeness: \(checked) bundled conversations that hand off, \(values) known slot values, each in the packet and on the agent's screen")
    }
}
