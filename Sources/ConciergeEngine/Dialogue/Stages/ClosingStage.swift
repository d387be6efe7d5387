/// Thanks, goodbye, "k": the small talk a closing stands for (`ClosingReader` says what is one).
enum ClosingStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard context.closing else { return false }
        // An acknowledgement the examples do not cover ("k", "kk") is read as "ok"; if even that
        // finds no small talk, the closing is acknowledged with the open question.
        guard let best = closingIntent(context.understanding, engine: engine) ?? acknowledgement(engine: engine) else {
            context.read(DialogueAct(.smalltalk, evidence: "only words that thank, acknowledge or close", won: true))
            context.decide("A closing or an acknowledgement that no small talk covers.")
            context.turn.action = .smalltalk
            context.turn.reply = engine.settings.fill(engine.settings.texts.anythingElse)
            return true
        }
        let intent = engine.knowledge.intents[best.intent]
        context.read(DialogueAct(.smalltalk, detail: intent.name, evidence: "only words that thank, acknowledge or close", won: true))
        context.decide("A closing or an acknowledgement: \(intent.label).")
        engine.executeIntent(best.intent, confidence: best.confidence, in: &context)
        return true
    }

    /// The small talk the knowledge answers "ok" with.
    static func acknowledgement(engine: Engine) -> IntentMatcher.Candidate? {
        engine.matcher.match(engine.analyzer.analyze("ok")).candidates.first {
            $0.confidence >= PolicyThresholds.smallTalkFloor && engine.knowledge.intents[$0.intent].kind == .smalltalk
        }
    }

    /// The small talk a closing stands for: that of its last part ("ok thanks, bye" says goodbye),
    /// else the small talk the matcher ranks first for the whole.
    static func closingIntent(_ understanding: Understanding, engine: Engine) -> IntentMatcher.Candidate? {
        let parts = MessageSegmenter.segments(of: understanding.text.sanitized)
        if parts.count >= 2, let last = parts.last {
            let match = engine.matcher.match(engine.analyzer.analyze(last))
            if let best = match.candidates.first, best.confidence >= PolicyThresholds.smallTalkFloor,
                engine.knowledge.intents[best.intent].kind == .smalltalk
            {
                return best
            }
        }
        return understanding.intents.candidates.first { engine.knowledge.intents[$0.intent].kind == .smalltalk }
    }
}
