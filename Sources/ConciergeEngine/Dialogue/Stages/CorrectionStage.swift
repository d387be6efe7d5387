import Foundation

/// A correction of a value the bot is using ("sorry, it's A10235"): the topic's request is
/// answered again with the new value.
enum CorrectionStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard let corrected = context.corrected, Engine.isCorrection(context.text), let topic = context.state.topic,
            let index = topic.intent.flatMap({ engine.intentIndex[$0] }),
            engine.knowledge.intents[index].slots.contains(where: { $0.name == corrected.slot })
        else { return false }
        context.state.pending = .nothing
        context.read(DialogueAct(.correct, detail: "\(corrected.slot) = \(corrected.value)", evidence: "corrects a value given before", won: true))
        context.decide("The customer corrected \(corrected.slot) to \(corrected.value); answering \(topic.intent ?? "") again.")
        engine.executeIntent(index, confidence: 1, in: &context)
        context.turn.reply = engine.settings.texts.corrected.replacingOccurrences(of: "{value}", with: corrected.value) + " " + context.turn.reply
        return true
    }
}
