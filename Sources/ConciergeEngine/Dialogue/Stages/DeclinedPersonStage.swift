/// "No thanks, I don't need a person": said, and nothing else asked.
enum DeclinedPersonStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard PersonRequestReader.declinesAPerson(context.words), engine.contentWords(context.text).count <= 2,
            case .nothing = context.state.pending
        else { return false }
        context.read(DialogueAct(.smalltalk, detail: "no person", evidence: "declines a person and asks nothing else", won: true))
        context.decide("The customer does not want a person and asks nothing else.")
        context.turn.action = .smalltalk
        context.turn.reply = engine.settings.texts.declined + " " + engine.settings.fill(engine.settings.texts.anythingElse)
        return true
    }
}
