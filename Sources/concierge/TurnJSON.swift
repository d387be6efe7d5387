import ConciergeEngine
import ConciergeStore
import Foundation

/// One `--jsonl` line: the fields PRODUCT.md promises, plus `why` (the explanation).
struct TurnJSON: Encodable {
    let turn: Turn
    /// Messages from the agent that arrived since the previous turn.
    var agentMessages: [HandoffMessage] = []

    enum Keys: String, CodingKey {
        case turn, customer, reply, action, intent, articles, asked, slots, handoff, why
        case agentMessages = "agent_messages"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Keys.self)
        try container.encode(turn.number, forKey: .turn)
        try container.encode(turn.customer, forKey: .customer)
        try container.encode(turn.reply, forKey: .reply)
        try container.encode(turn.action.rawValue, forKey: .action)
        if let intent = turn.intent { try container.encode(intent, forKey: .intent) } else { try container.encodeNil(forKey: .intent) }
        try container.encode(turn.articles, forKey: .articles)
        if let asked = turn.asked { try container.encode(asked, forKey: .asked) } else { try container.encodeNil(forKey: .asked) }
        try container.encode(turn.slots, forKey: .slots)
        if let handoff = turn.handoff { try container.encode(handoff, forKey: .handoff) } else { try container.encodeNil(forKey: .handoff) }
        try container.encode(turn.explanation, forKey: .why)
        if !agentMessages.isEmpty {
            try container.encode(agentMessages.map { ["from": $0.author, "text": $0.text] }, forKey: .agentMessages)
        }
    }

    /// The turn as one line of JSON with sorted keys.
    static func line(for turn: Turn, agentMessages: [HandoffMessage] = []) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(TurnJSON(turn: turn, agentMessages: agentMessages)) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}
