/// A value the topic's request needs, given unprompted ("oh wait, found it: A10209", "btw my email
/// is …"): it attaches to that request unless the message clearly asks something else.
enum UnpromptedValueStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard let index = context.state.topic?.intent.flatMap({ engine.intentIndex[$0] }), informs(context.text, request: index, engine: engine)
        else { return false }
        let intent = engine.knowledge.intents[index]
        // A value the customer said they didn't have ("i dont have it" … "oh wait found it: A10235")
        // is for that request, however the rest of the message reads.
        let given = Set(context.text.entities.map(\.entity))
        let declinedBefore = intent.slots.contains { context.state.declined.contains($0.name) && given.contains($0.entity) }
        guard declinedBefore || (context.understanding.best.map({ $0.confidence < engine.settings.answerThreshold || $0.intent == index }) ?? true)
        else { return false }
        context.state.declined.removeAll { name in intent.slots.contains { $0.name == name && context.state.slots[name] != nil } }
        context.read(DialogueAct(.inform, detail: intent.name, evidence: "a value the open request needs, given unprompted", won: true))
        context.decide("A value for \(intent.label), given unprompted: answering it with the value.")
        engine.executeIntent(index, confidence: 1, in: &context)
        return true
    }

    /// True when the message gives a value that the intent's slots or its lookup's identity check use.
    static func informs(_ text: AnalyzedText, request index: Int, engine: Engine) -> Bool {
        let intent = engine.knowledge.intents[index]
        let given = Set(text.entities.map(\.entity))
        guard !given.isEmpty else { return false }
        if intent.slots.contains(where: { given.contains($0.entity) }) { return true }
        if let name = intent.action, let action = engine.knowledge.action(named: name), let verify = action.verifySlot {
            return given.contains(verify)
        }
        return false
    }
}
