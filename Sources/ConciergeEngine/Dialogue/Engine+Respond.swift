import Foundation

/// The dialogue policy: reading a message in the context of the conversation and choosing the reply.
extension Engine {
    /// Replies to one customer message and updates the conversation.
    public func respond(to message: String, in state: inout ConversationState) -> Turn {
        var turn = reply(to: message, in: &state)
        turn.slots = state.slots
        return turn
    }

    /// The turn before the memory snapshot is attached.
    private func reply(to message: String, in state: inout ConversationState) -> Turn {
        state.turnCount += 1
        var turn = Turn(
            number: state.turnCount, customer: message, reply: "", action: .fallback, intent: nil, articles: [], asked: nil,
            slots: [:], handoff: nil, explanation: Explanation())

        let understanding = understand(message)
        let text = understanding.text
        turn.explanation.stems = text.stems
        turn.explanation.corrections = text.corrections
        turn.explanation.entities = text.entities
        remember(text.entities, in: &state)

        if message.unicodeScalars.allSatisfy({ $0.properties.isWhitespace || $0.value < 0x20 }) {
            turn.reply = settings.fill(settings.texts.empty)
            turn.explanation.decision = "The message was empty."
            return turn
        }
        if text.tokens.isEmpty {
            turn.reply = settings.fill(settings.texts.noWords)
            turn.explanation.decision = "The message has no words (only symbols, emoji or punctuation)."
            return turn
        }

        // An answer to the clarifying question asked last turn?
        if case .clarification(let choices) = state.pending {
            state.pending = .nothing
            let labels = choices.map { analyzer.analyzeAuthored($0.label).map(\.stem).filter { !Stopwords.english.contains($0) } }
            switch ChoiceReader.read(text.tokens, choices: labels, analyzerStems: text.stems) {
            case .choice(let position):
                let choice = choices[position]
                if let candidate = candidate(forKey: choice.key, confidence: 1) {
                    explain(understanding, into: &turn)
                    turn.explanation.decision = "The customer chose \(position + 1). \(choice.label) from the clarifying question."
                    execute(candidate, understanding: understanding, state: &state, turn: &turn)
                    return turn
                }
            case .none:
                explain(understanding, into: &turn)
                turn.explanation.decision = "The customer said none of the choices was right."
                fallback(state: &state, turn: &turn, offerHuman: true)
                return turn
            case .unrelated:
                break
            }
        }

        explain(understanding, into: &turn)
        decide(understanding, state: &state, turn: &turn)
        return turn
    }

    /// Chooses between answering, clarifying and falling back.
    func decide(_ understanding: Understanding, state: inout ConversationState, turn: inout Turn) {
        let answerable = understanding.candidates.filter { candidate in
            // Smalltalk and handoff intents only ever win outright: they make no sense as choices.
            guard let intent = candidate.intent else { return true }
            return knowledge.intents[intent].kind == .task
        }
        guard let best = understanding.best, !understanding.isOutOfScope else {
            turn.explanation.decision =
                "Out of scope: no intent or article reached the fallback threshold (\(format(settings.fallbackThreshold)))."
            fallback(state: &state, turn: &turn, offerHuman: state.consecutiveFallbacks >= 1)
            return
        }
        if best.confidence >= settings.answerThreshold {
            let close = answerable.filter { $0.key != best.key && best.confidence - $0.confidence < settings.clarifyMargin }
            if close.isEmpty || state.clarifications > 0 || !answerable.contains(where: { $0.key == best.key }) {
                turn.explanation.decision =
                    "Answered: \(best.label) at confidence \(format(best.confidence)) ≥ answer threshold \(format(settings.answerThreshold))"
                    + (close.isEmpty ? "." : ", after one clarifying question already.")
                execute(best, understanding: understanding, state: &state, turn: &turn)
                return
            }
            clarify([best] + close, state: &state, turn: &turn)
            turn.explanation.decision =
                "Clarifying: \(best.label) (\(format(best.confidence))) and the runner-up are within the margin \(format(settings.clarifyMargin))."
            return
        }
        let plausible = answerable.filter { $0.confidence >= settings.fallbackThreshold }
        if !plausible.isEmpty && state.clarifications == 0 {
            clarify(plausible, state: &state, turn: &turn)
            turn.explanation.decision =
                "Clarifying: the best candidate's confidence \(format(best.confidence)) is below the answer threshold \(format(settings.answerThreshold))."
            return
        }
        turn.explanation.decision =
            "Not sure: the best candidate's confidence \(format(best.confidence)) is below the answer threshold \(format(settings.answerThreshold))"
            + (state.clarifications > 0 ? " after a clarifying question." : ".")
        fallback(state: &state, turn: &turn, offerHuman: true)
    }

    /// Asks which of `candidates` the customer meant.
    func clarify(_ candidates: [Understanding.Candidate], state: inout ConversationState, turn: inout Turn) {
        let choices = candidates.prefix(settings.maximumChoices).map { ConversationState.Choice(key: $0.key, label: $0.label) }
        var lines = [settings.fill(settings.texts.clarify)]
        for (i, choice) in choices.enumerated() { lines.append("  \(i + 1). \(choice.label)") }
        lines.append(settings.fill(settings.texts.clarifyFooter))
        turn.reply = lines.joined(separator: "\n")
        turn.action = .clarify
        turn.articles = candidates.prefix(settings.maximumChoices).compactMap { candidate in
            guard candidate.intent == nil, let article = candidate.article else { return nil }
            return Turn.ArticleScore(id: knowledge.articles[article].id, score: candidate.confidence)
        }
        state.pending = .clarification(Array(choices))
        state.clarifications += 1
        state.consecutiveFallbacks = 0
    }

    /// Says honestly that the bot is not sure.
    func fallback(state: inout ConversationState, turn: inout Turn, offerHuman: Bool) {
        state.consecutiveFallbacks += 1
        turn.action = .fallback
        turn.intent = nil
        turn.reply = settings.fill(settings.texts.fallback)
    }

    /// Answers with a candidate: an intent's reply, or an article.
    func execute(_ candidate: Understanding.Candidate, understanding: Understanding, state: inout ConversationState, turn: inout Turn) {
        state.consecutiveFallbacks = 0
        state.clarifications = 0
        if let index = candidate.intent {
            let intent = knowledge.intents[index]
            turn.intent = Turn.IntentScore(name: intent.name, confidence: candidate.confidence)
            switch intent.kind {
            case .smalltalk:
                turn.action = .smalltalk
                turn.reply = fill(intent.response ?? "", state: state)
                return
            case .outOfScope:
                turn.action = .fallback
                turn.reply = fill(intent.response ?? settings.texts.fallback, state: state)
                return
            case .handoff:
                let reason = intent.handoffReason ?? .policy
                let queue = intent.queue ?? "general"
                turn.action = .handoff
                turn.handoff = HandoffRequest(id: "", reason: reason, queue: queue)
                turn.reply = fill(intent.response ?? "I'll pass you to a person on our team.", state: state)
                state.handoff = .init(id: "", reason: reason, queue: queue)
                return
            case .task:
                break
            }
            turn.action = .answer
            if let response = intent.response {
                turn.reply = fill(response, state: state)
            } else if let article = candidate.article {
                turn.reply = knowledge.articles[article].chatText
            }
            if let article = candidate.article {
                turn.articles = [Turn.ArticleScore(id: knowledge.articles[article].id, score: score(of: article, in: understanding))]
            }
            state.topic = .init(key: candidate.key, intent: intent.name, article: candidate.article.map { knowledge.articles[$0].id }, turn: turn.number)
        } else if let article = candidate.article {
            turn.action = .answer
            turn.reply = knowledge.articles[article].chatText
            turn.articles = [Turn.ArticleScore(id: knowledge.articles[article].id, score: score(of: article, in: understanding))]
            state.topic = .init(key: candidate.key, intent: nil, article: knowledge.articles[article].id, turn: turn.number)
        }
        state.answered.append(candidate.key)
    }

    /// The candidate for a clarification choice's key, at `confidence`.
    func candidate(forKey key: String, confidence: Double) -> Understanding.Candidate? {
        if key.hasPrefix("intent:"), let index = intentIndex[String(key.dropFirst(7))] {
            let intent = knowledge.intents[index]
            return .init(key: key, label: intent.label, confidence: confidence, intent: index, article: intent.answer.flatMap { articleIndex[$0] })
        }
        if key.hasPrefix("article:"), let index = articleIndex[String(key.dropFirst(8))] {
            return .init(key: key, label: knowledge.articles[index].title, confidence: confidence, article: index)
        }
        return nil
    }

    /// Keeps every entity value the customer mentioned.
    func remember(_ entities: [EntityMatch], in state: inout ConversationState) {
        for entity in entities { state.slots[entity.entity] = entity.value }
    }

    /// A response template with `{slot}`, `{assistant}` and `{company}` filled in.
    func fill(_ template: String, state: ConversationState) -> String {
        var text = settings.fill(template)
        for (name, value) in state.slots.sorted(by: { $0.key < $1.key }) { text = text.replacingOccurrences(of: "{\(name)}", with: value) }
        return text
    }

    func score(of article: Int, in understanding: Understanding) -> Double {
        understanding.articles.first { $0.article == article }.map { ($0.score * 1000).rounded() / 1000 } ?? 0
    }

    /// Copies the candidates into the turn's explanation.
    func explain(_ understanding: Understanding, into turn: inout Turn) {
        switch understanding.intents.evidence {
        case .pattern(let source):
            turn.explanation.matchedBy = "pattern"
            turn.explanation.pattern = source
        case .examples:
            turn.explanation.matchedBy = understanding.intents.candidates.isEmpty ? nil : "examples"
        }
        turn.explanation.intents = understanding.intents.candidates.map {
            .init(name: knowledge.intents[$0.intent].name, confidence: rounded($0.confidence), score: rounded($0.score))
        }
        turn.explanation.articles = understanding.articles.map {
            .init(name: knowledge.articles[$0.article].id, confidence: rounded($0.confidence), score: rounded($0.score))
        }
    }
}

/// A number rounded to three decimals, so explanations and `--jsonl` stay short and stable.
func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }

/// `0.55` style formatting for explanations.
func format(_ value: Double) -> String {
    let r = rounded(value)
    var text = String(r)
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
}
