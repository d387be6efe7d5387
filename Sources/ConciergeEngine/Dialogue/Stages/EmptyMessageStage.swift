/// An empty message, or one with no words (only symbols, emoji or punctuation): said so, and
/// nothing else changes.
enum EmptyMessageStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        if context.message.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0.value < 0x20 }) {
            context.turn.reply = engine.settings.fill(engine.settings.texts.empty)
            context.decide("The message was empty.")
            return true
        }
        if context.text.tokens.isEmpty {
            context.turn.reply = engine.settings.fill(engine.settings.texts.noWords)
            context.decide("The message has no words (only symbols, emoji or punctuation).")
            return true
        }
        return false
    }
}
