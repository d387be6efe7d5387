/// A person has the conversation: the bot stays quiet and the host relays the message to them.
enum HeldByPersonStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard let handoff = context.state.handoff else { return false }
        context.turn.action = .handoff
        context.turn.handoff = HandoffRequest(id: handoff.id, reason: handoff.reason, queue: handoff.queue)
        context.decide("The conversation is with a person (handoff \(handoff.id)); the message goes to them.")
        return true
    }
}
