import Foundation

/// Only values ("A10234", "maya@example.com"), or values in words that read as nothing ("oh wait
/// found it in my emails, A10209"): used for the current topic, or noted. A message that gives a
/// value is never a failure to understand.
enum ValuesOnlyStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        let text = context.text
        guard !text.entities.isEmpty else { return false }
        let onlyValues = Engine.givesOnlyValues(text)
        let shortAndUnread =
            text.tokens.count <= PolicyThresholds.informWords && (context.understanding.best?.confidence ?? 0) < engine.settings.fallbackThreshold
        guard onlyValues || shortAndUnread else { return false }
        if let index = context.state.topic?.intent.flatMap({ engine.intentIndex[$0] }) {
            context.read(DialogueAct(.inform, detail: engine.knowledge.intents[index].name, evidence: "only values, for the current topic", won: true))
            context.decide("Only values in the message: using them for \(engine.knowledge.intents[index].label).")
            engine.executeIntent(index, confidence: 1, in: &context)
        } else if case .clarification(let choices) = context.pending {
            // A value instead of a choice: noted, and the question still stands, since the value
            // does not say which request it is for.
            let values = text.entities.map(\.value).joined(separator: ", ")
            let candidates = choices.compactMap { engine.candidate(forKey: $0.key, confidence: 1) }
            guard candidates.count == choices.count else { return false }
            context.read(DialogueAct(.inform, detail: values, evidence: "only values, while the clarifying question is open", won: true))
            engine.clarify(candidates, in: &context)
            context.turn.reply =
                engine.settings.fill(engine.settings.texts.notedBeforeChoice).replacingOccurrences(of: "{values}", with: values) + "\n" + context.turn.reply
            context.decide("Only values in the message while a clarifying question is open: remembered them and asked again.")
        } else {
            let values = text.entities.map(\.value).joined(separator: ", ")
            context.read(DialogueAct(.inform, detail: values, evidence: "only values, and no topic yet", won: true))
            context.turn.action = .smalltalk
            context.turn.reply = engine.settings.fill(engine.settings.texts.noted).replacingOccurrences(of: "{values}", with: values)
            context.decide("Only values in the message and no topic yet: remembered them.")
        }
        return true
    }
}

extension Engine {
    /// True when the message gives values and says nothing else: its other words only say what the
    /// values are ("btw my email is …", "oh and it's A10209").
    static func givesOnlyValues(_ text: AnalyzedText) -> Bool {
        !text.entities.isEmpty
            && text.tokens.allSatisfy { $0.isEntity || valueWords.contains($0.text) || MessageSegmenter.fillerWords.contains($0.text) }
    }
}
