/// The answer to a clarifying question: a choice by number, by its words or by "yes", "none of
/// those", or a new message instead, which is read afresh (`ChoiceReader` reads the choice).
enum PendingClarificationStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard case .clarification(let choices) = context.pending else { return false }
        context.state.pending = .nothing
        let settings = engine.settings
        let labels = choices.map { engine.analyzer.analyzeAuthored($0.label).map(\.stem).filter { !Stopwords.english.contains($0) } }
        let confidentElsewhere = context.understanding.best.map { best in
            best.confidence >= settings.answerThreshold && !choices.contains { $0.key == best.key }
        } ?? false
        var reading = ChoiceReader.read(context.text.tokens, choices: labels, analyzerStems: context.text.stems, allowWords: !confidentElsewhere)
        if choices.count == 1 {
            switch YesNo.read(context.words) {
            case .yes: reading = .choice(0)
            case .no: reading = .none
            case .unclear: break
            }
        } else if case .unrelated = reading, YesNo.read(context.words) == .yes {
            // "Yes" to a list: the first choice, the best reading, is what the customer confirms.
            reading = .choice(0)
        }
        switch reading {
        case .choice(let position):
            let choice = choices[position]
            guard let candidate = engine.candidate(forKey: choice.key, confidence: 1) else { return false }
            context.read(DialogueAct(.answerPending, detail: choice.label, evidence: "picks choice \(position + 1) of the clarifying question", won: true))
            context.decide("The customer chose \(position + 1). \(choice.label) from the clarifying question.")
            engine.execute(candidate, in: &context)
            return true
        case .none:
            context.read(DialogueAct(.answerPending, detail: "none", evidence: "says none of the choices is right", won: true))
            context.decide("The customer said none of the choices was right.")
            if settings.handoff.triggers.contains(.lowConfidence) {
                engine.handOff(.lowConfidence, intent: nil, in: &context)
            } else {
                engine.fallback(in: &context, offerHuman: true)
            }
            return true
        case .unrelated:
            // A new message instead of an answer: read it afresh, not as a second failure to
            // understand (a person follows only if it too goes unread, as fallbacks do).
            if let best = context.understanding.best, !choices.contains(where: { $0.key == best.key }) { context.readAfresh = true }
            return false
        }
    }
}
