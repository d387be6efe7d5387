import ConciergeEngine
import ConciergeKnowledge
import ConciergeService
import ConciergeStore
import Foundation
import Testing

/// The bundled knowledge base and its engine, built once for all service tests.
enum Bundled {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("no package root above \(#filePath)")
    }()

    static let engine: Engine = {
        let loaded = KnowledgeLoader.load(directory: root.appendingPathComponent("knowledge"))
        precondition(!loaded.problems.hasErrors, "the bundled knowledge has errors: \(loaded.problems.filter { $0.severity == .error })")
        return Engine(knowledge: loaded.knowledge)
    }()

    /// Wednesday 18 November 2026, 15:00 UTC (09:00 in Chicago: the team is open).
    static let weekday = Date(timeIntervalSince1970: 1_795_014_000)
    /// Sunday 22 November 2026, 15:00 UTC (the team is closed on Sundays).
    static let sunday = Date(timeIntervalSince1970: 1_795_359_600)
}

/// A customer conversation on a store, one message at a time, with a clock that moves 20 s a turn.
struct Conversation {
    let session: CustomerSession
    let store: any SupportStore
    let time: FrozenTime

    init(store: any SupportStore = MemoryStore(), customer: String? = nil, id: String = "T-1", at start: Date = Bundled.weekday) async throws {
        self.store = store
        time = FrozenTime(start, step: 20)
        session = try await CustomerSession(engine: Bundled.engine, store: store, time: time, conversationID: id, customerID: customer)
    }

    @discardableResult
    func say(_ message: String) async throws -> Turn { try await session.send(message) }

    func say(_ messages: [String]) async throws -> [Turn] {
        var turns: [Turn] = []
        for message in messages { turns.append(try await session.send(message)) }
        return turns
    }
}

/// Fails when a turn asked for a slot whose value was known before that turn: the bot must never
/// ask the customer for something they already said. The one exception is a value the bot rejected
/// in that same turn, saying why (an email that does not match the order, an order number that does
/// not exist): it is no longer known, and the turn's reply explains the new question.
func expectNoRepeatedQuestions(_ turns: [Turn], sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    for repeated in RepeatedQuestion.find(in: turns) {
        Issue.record("turn \(repeated.turn) asked for \(repeated.slot), already known as \(repeated.known)", sourceLocation: sourceLocation)
    }
}
