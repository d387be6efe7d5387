import Testing

@testable import ConciergeEngine

@Suite("Repeated questions")
struct RepeatedQuestionTests {
    static func turn(_ number: Int, asked: String?, slots: [String: String], rejected: String? = nil) -> Turn {
        var explanation = Explanation()
        explanation.rejected = rejected
        return Turn(
            number: number, customer: "…", reply: "…", action: asked == nil ? .answer : .ask, intent: nil, articles: [], asked: asked,
            slots: slots, handoff: nil, explanation: explanation)
    }

    @Test("asking for a value known before the turn is caught")
    func caught() {
        let turns = [
            Self.turn(1, asked: nil, slots: ["order_id": "A10234"]),
            Self.turn(2, asked: "order_id", slots: ["order_id": "A10234"]),
        ]
        #expect(RepeatedQuestion.find(in: turns) == [RepeatedQuestion(turn: 2, slot: "order_id", known: "A10234")])
    }

    @Test("a value the turn itself rejected may be asked for again; an unknown one always")
    func allowed() {
        let turns = [
            Self.turn(1, asked: "order_id", slots: [:]),
            Self.turn(2, asked: "email", slots: ["order_id": "A10235", "email": "a@example.com"]),
            Self.turn(3, asked: "email", slots: ["order_id": "A10235"], rejected: "email"),
        ]
        #expect(RepeatedQuestion.find(in: turns).isEmpty)
        #expect(RepeatedQuestion.find(in: [Self.turn(1, asked: "email", slots: [:])], knownBefore: ["email": "a@example.com"]).count == 1)
    }
}
