/// A request for a person, in any phrasing, hands off at once: before frustration, pending
/// questions or any reading of the rest (`PersonRequestReader` says what counts as one).
enum PersonRequestStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard PersonRequestReader.read(context.words), engine.settings.handoff.triggers.contains(.customerRequest) else { return false }
        context.read(DialogueAct(.requestPerson, evidence: "words asking for a person", won: true))
        context.decide("The customer asked for a person: handing off.")
        engine.handOff(.customerRequest, intent: engine.personRequestIntent, in: &context)
        return true
    }
}
