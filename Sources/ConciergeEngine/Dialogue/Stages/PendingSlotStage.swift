/// The answer to a question for a slot: the value, a decline, "the other one", a new question
/// (answered, then the question comes back once), or an invalid value (asked again with a hint).
enum PendingSlotStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard case .slot(let intent, let slot, let attempts) = context.pending else { return false }
        // "Thank you, have a nice day" instead of the value: the customer is done; stop asking.
        if context.closing, context.text.entities.isEmpty {
            context.state.pending = .nothing
            return false
        }
        return engine.handleSlotAnswer(intent: intent, slot: slot, attempts: attempts, in: &context)
    }
}
