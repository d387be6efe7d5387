/// "What about the other one?": the other value of a slot the conversation has seen, for the
/// same topic.
enum OtherValueStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard let switched = engine.otherOne(context.text, state: &context.state) else { return false }
        context.decide("Read as the other \(switched.slot): \(switched.value), for the same topic.")
        guard let index = context.state.topic?.intent.flatMap({ engine.intentIndex[$0] }) else { return false }
        context.read(DialogueAct(.inform, detail: "\(switched.slot) = \(switched.value)", evidence: "asks about the other \(switched.slot)", won: true))
        engine.executeIntent(index, confidence: 1, in: &context)
        return true
    }
}
