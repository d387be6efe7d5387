/// "Who's the carrier?" about an order the conversation knows: the answer is in the data
/// (`DataQuestionReader` finds the fields asked for).
enum DataQuestionStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        // A confident request that runs a lookup of its own is left to the decision.
        let lookingUp = context.understanding.best.map { best in
            best.confidence >= engine.settings.answerThreshold && best.intent.map { engine.knowledge.intents[$0].action != nil } == true
        } ?? false
        guard !lookingUp, let question = engine.dataQuestion(context.text, state: context.state) else { return false }
        let fields = question.fields.joined(separator: ", ")
        context.read(
            DialogueAct(
                .request, detail: engine.knowledge.intents[question.intent].name, evidence: "asks for \(fields) of a record the conversation names",
                won: true))
        context.decide("A question about \(fields): looking it up.")
        engine.executeIntent(question.intent, confidence: 1, in: &context)
        return true
    }
}
