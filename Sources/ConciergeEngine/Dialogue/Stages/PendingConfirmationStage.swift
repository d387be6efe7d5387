/// The answer to "is this about order A10234?": yes keeps the value, no sets it aside.
enum PendingConfirmationStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard case .confirmation(let slot, let value) = context.pending else { return false }
        context.state.pending = .nothing
        let settings = engine.settings
        switch YesNo.read(context.words) {
        case .yes:
            context.state.slots[slot] = value
            engine.note(slot: slot, value: value, in: &context.state)
            context.read(DialogueAct(.answerPending, detail: "yes", evidence: "confirms \(slot) = \(value)", won: true))
            context.turn.action = .smalltalk
            context.turn.reply = settings.fill(settings.texts.confirmed)
            context.decide("The customer confirmed \(slot) = \(value).")
            return true
        case .no:
            context.read(DialogueAct(.answerPending, detail: "no", evidence: "says it is not about \(value)", won: true))
            context.turn.action = .smalltalk
            context.turn.reply = settings.texts.declined + " " + settings.fill(settings.texts.whatToday)
            context.decide("The customer said it is not about \(value).")
            return true
        case .unclear:
            return false
        }
    }
}
