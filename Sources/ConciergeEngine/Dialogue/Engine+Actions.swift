import Foundation

/// What the policy does once it has decided: answer with an intent or an article, ask for a slot,
/// clarify, fall back, or handle "that didn't help"; and the helpers those share.
extension Engine {
    /// The intent that stands for "a person, please" in this knowledge: the handoff intent whose
    /// reason is the customer's request.
    var personRequestIntent: Int? {
        knowledge.intents.firstIndex { $0.kind == .handoff && $0.handoffReason == .customerRequest }
    }

    /// Nothing was good enough: hand off when confidence stayed low after clarifying or fallbacks
    /// repeat, otherwise say so honestly.
    func failed(lowConfidence: Bool, in context: inout TurnContext) {
        if lowConfidence, settings.handoff.triggers.contains(.lowConfidence) {
            context.turn.explanation.decision += " Confidence stayed low after a clarifying question: handing off."
            handOff(.lowConfidence, intent: nil, in: &context)
            return
        }
        if context.state.consecutiveFallbacks + 1 >= settings.handoff.fallbacksBeforeHandoff, settings.handoff.triggers.contains(.repeatedFailure) {
            context.turn.explanation.decision += " \(context.state.consecutiveFallbacks + 1) fallbacks in a row: handing off."
            handOff(.repeatedFailure, intent: nil, in: &context)
            return
        }
        fallback(in: &context, offerHuman: context.state.consecutiveFallbacks >= 1)
    }

    /// Asks which of `candidates` the customer meant.
    func clarify(_ candidates: [Understanding.Candidate], in context: inout TurnContext) {
        let choices = candidates.prefix(settings.maximumChoices).map { ConversationState.Choice(key: $0.key, label: $0.label) }
        if choices.count == 1 {
            // One candidate: a yes-or-no question reads better than a list of one.
            context.turn.reply = settings.fill(settings.texts.clarifyOne).replacingOccurrences(of: "{choice}", with: choices[0].label)
        } else {
            var lines = [settings.fill(settings.texts.clarify)]
            for (i, choice) in choices.enumerated() { lines.append("  \(i + 1). \(choice.label)") }
            lines.append(settings.fill(settings.texts.clarifyFooter))
            context.turn.reply = lines.joined(separator: "\n")
        }
        context.turn.action = .clarify
        context.turn.articles = candidates.prefix(settings.maximumChoices).compactMap { candidate in
            guard candidate.intent == nil, let article = candidate.article else { return nil }
            return Turn.ArticleScore(id: knowledge.articles[article].id, score: rounded(candidate.confidence))
        }
        context.state.pending = .clarification(Array(choices))
        context.state.clarifications += 1
        context.state.consecutiveFallbacks = 0
    }

    /// Says honestly that the bot is not sure.
    func fallback(in context: inout TurnContext, offerHuman: Bool) {
        context.state.consecutiveFallbacks += 1
        context.state.clarifications = 0
        context.turn.action = .fallback
        context.turn.intent = nil
        context.turn.reply = settings.fill(settings.texts.fallback)
        if offerHuman, settings.handoff.triggers.contains(.repeatedFailure) || settings.handoff.triggers.contains(.customerRequest) {
            context.turn.reply = settings.fill(settings.texts.fallback) + " " + settings.fill(settings.texts.offerHuman)
            context.state.pending = .handoffOffer(reason: .repeatedFailure)
        }
    }

    /// Answers with a candidate: an intent's reply, or an article.
    func execute(_ candidate: Understanding.Candidate, in context: inout TurnContext) {
        context.state.consecutiveFallbacks = 0
        context.state.clarifications = 0
        if let index = candidate.intent {
            let intent = knowledge.intents[index]
            if intent.name == Self.notHelpfulIntent {
                context.turn.intent = Turn.IntentScore(name: intent.name, confidence: rounded(candidate.confidence))
                notHelped(in: &context)
                return
            }
            executeIntent(index, confidence: candidate.confidence, in: &context)
            // Asking for an order number is also a choice of reading: "that didn't help" then
            // means the choice was wrong, and the next best is offered (giving the value instead
            // confirms the reading: `PendingSlotStage` forgets them).
            if context.turn.action == .answer || context.turn.action == .ask {
                context.state.alternatives = alternatives(to: candidate, in: context.understanding)
            }
        } else if let article = candidate.article {
            answer(article: article, key: candidate.key, intent: nil, in: &context)
            context.state.alternatives = alternatives(to: candidate, in: context.understanding)
        }
    }

    /// Runs an intent: small talk, a handoff, a question for a missing slot, a lookup, or the answer.
    func executeIntent(_ index: Int, confidence: Double, in context: inout TurnContext) {
        let intent = knowledge.intents[index]
        context.turn.intent = Turn.IntentScore(name: intent.name, confidence: rounded(confidence))
        context.state.consecutiveFallbacks = 0
        switch intent.kind {
        case .smalltalk:
            context.turn.action = .smalltalk
            context.turn.reply = fill(intent.response ?? "", state: context.state)
            return
        case .outOfScope:
            context.turn.action = .fallback
            context.turn.reply = fill(intent.response ?? settings.texts.fallback, state: context.state)
            return
        case .handoff:
            handOff(intent.handoffReason ?? .policy, intent: index, in: &context)
            return
        case .task:
            break
        }
        context.state.topic = .init(key: "intent:" + intent.name, intent: intent.name, article: intent.answer, turn: context.turn.number)
        context.state.alsoAnswered = nil
        if let missing = intent.slots.first(where: { $0.required && context.state.slots[$0.name] == nil && !context.state.declined.contains($0.name) }) {
            ask(missing, for: intent, in: &context)
            return
        }
        // A lookup needs its key; without it (declined) the intent's general answer does.
        if let name = intent.action, let action = knowledge.action(named: name),
            context.state.slots[action.keySlot] != nil || !context.state.declined.contains(action.keySlot)
        {
            lookup(action, intent: index, in: &context)
            return
        }
        if let response = intent.response {
            context.turn.action = .answer
            context.turn.reply = fill(response, state: context.state)
            if let article = intent.answer.flatMap({ articleIndex[$0] }) {
                context.turn.articles = [Turn.ArticleScore(id: knowledge.articles[article].id, score: score(of: article, in: context.understanding))]
                remember(shown: knowledge.articles[article].id, in: &context.state)
            }
            context.state.answered.append("intent:" + intent.name)
        } else if let article = intent.answer.flatMap({ articleIndex[$0] }) {
            answer(article: article, key: "intent:" + intent.name, intent: intent.name, in: &context)
        }
        // A case a person must act on: offer one context.now, so "yes" is all it takes.
        if intent.offersHandoff, context.turn.action == .answer, settings.handoff.triggers.contains(.customerRequest) {
            context.turn.reply += " " + settings.fill(settings.texts.offerHuman)
            context.state.pending = .handoffOffer(reason: .customerRequest)
        }
    }

    /// Replies with an article's chat text.
    func answer(article: Int, key: String, intent: String?, in context: inout TurnContext) {
        context.turn.action = .answer
        context.turn.reply = fill(knowledge.articles[article].chatText, state: context.state)
        context.turn.articles = [Turn.ArticleScore(id: knowledge.articles[article].id, score: score(of: article, in: context.understanding))]
        context.state.topic = .init(key: key, intent: intent, article: knowledge.articles[article].id, turn: context.turn.number)
        context.state.alsoAnswered = nil
        context.state.answered.append(key)
        remember(shown: knowledge.articles[article].id, in: &context.state)
    }

    /// Asks for a slot the intent still needs.
    func ask(
        _ slot: SlotRequirement, for intent: Intent, in context: inout TurnContext,  hint: Bool = false, attempts: Int = 0,
        preamble: String? = nil
    ) {
        context.turn.action = .ask
        context.turn.asked = slot.name
        let prompt = fill(slot.prompt, state: context.state)
        context.turn.reply = hint
            ? [preamble ?? settings.texts.slotInvalid, slot.hint ?? "", Self.question(of: prompt)].filter { !$0.isEmpty }.joined(separator: " ") : prompt
        context.state.pending = .slot(intent: intent.name, slot: slot.name, attempts: attempts)
        context.state.resumeOffered = false
    }

    /// The customer said the last answer did not help: offer the next best answer, or a person.
    func notHelped(in context: inout TurnContext) {
        context.state.failures += 1
        if context.state.failures >= settings.handoff.notHelpfulBeforeHandoff, settings.handoff.triggers.contains(.repeatedFailure) {
            context.turn.explanation.decision = "The customer said \(context.state.failures) answers did not help: handing off."
            handOff(.repeatedFailure, intent: nil, in: &context)
            return
        }
        while let next = context.state.alternatives.first {
            context.state.alternatives.removeFirst()
            guard !context.state.answered.contains(next.key), let candidate = candidate(forKey: next.key, confidence: 0) else { continue }
            context.turn.explanation.decision = "The last answer did not help: offering the next best, \(next.label)."
            let remaining = context.state.alternatives
            execute(candidate, in: &context)
            context.state.alternatives = remaining
            if context.turn.action == .answer { context.turn.reply = settings.texts.notHelpful + " " + context.turn.reply }
            return
        }
        context.turn.explanation.decision = "The last answer did not help and there is no other good answer: offering a person."
        context.turn.action = .fallback
        context.turn.reply = settings.fill(settings.texts.notHelpfulNoAlternative) + " " + settings.fill(settings.texts.offerHuman)
        context.state.pending = .handoffOffer(reason: .repeatedFailure)
    }

    /// Other answers worth offering if this one does not help.
    func alternatives(to chosen: Understanding.Candidate, in understanding: Understanding) -> [ConversationState.Choice] {
        understanding.candidates.filter { candidate in
            guard candidate.key != chosen.key, candidate.confidence >= 0.05, isAnswer(candidate) else { return false }
            return candidate.intent == nil || chosen.article == nil || candidate.article != chosen.article
        }.prefix(3).map { ConversationState.Choice(key: $0.key, label: $0.label) }
    }

    /// True for a candidate worth offering as an answer: an article or a task intent (not "that didn't
    /// help"), and with `includingPolicyHandoffs`, a human-only topic the customer can pick.
    func isAnswer(_ candidate: Understanding.Candidate, includingPolicyHandoffs: Bool = false) -> Bool {
        guard let index = candidate.intent else { return true }
        let intent = knowledge.intents[index]
        switch intent.kind {
        case .task: return intent.name != Self.notHelpfulIntent
        case .handoff: return includingPolicyHandoffs && intent.handoffReason != .customerRequest
        case .smalltalk, .outOfScope: return false
        }
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

    /// A response template with `{slot}`, `{assistant}` and `{company}` filled in. `{slot|words}`
    /// is the slot's value when known and `words` otherwise (`{order_id|your order}`), for replies
    /// that can come without it: the customer declined, or a handoff never asks.
    func fill(_ template: String, state: ConversationState, extra: [String: String] = [:]) -> String {
        ResponseTemplate.fill(settings.fill(template)) { name in extra[name] ?? state.slots[name] }
    }

    /// The question of a slot prompt, without what leads up to it: "I'm sorry it's late. What's
    /// the order number? It starts with A." gives "What's the order number?" (for re-asking).
    static func question(of prompt: String) -> String {
        guard let mark = prompt.firstIndex(of: "?") else { return prompt }
        var start = prompt.startIndex
        var index = prompt.startIndex
        while index < mark {
            let next = prompt.index(after: index)
            if ".!".contains(prompt[index]), next < mark, prompt[next] == " " { start = prompt.index(after: next) }
            index = next
        }
        return String(prompt[start...mark])
    }

    func score(of article: Int, in understanding: Understanding) -> Double {
        understanding.articles.first { $0.article == article }.map { rounded($0.score) } ?? 0
    }

    func remember(shown article: String, in state: inout ConversationState) {
        if !state.shownArticles.contains(article) { state.shownArticles.append(article) }
        if state.shownArticles.count > 20 { state.shownArticles.removeFirst() }
        if state.answered.count > 20 { state.answered.removeFirst(state.answered.count - 20) }
    }

    /// Copies the candidates into the turn's explanation.
    func explain(_ understanding: Understanding, into turn: inout Turn) {
        switch understanding.intents.evidence {
        case .pattern(let source):
            turn.explanation.matchedBy = "pattern"
            turn.explanation.pattern = source
        case .examples:
            turn.explanation.matchedBy = understanding.intents.candidates.isEmpty ? nil : "examples"
            turn.explanation.pattern = nil
        }
        turn.explanation.intents = understanding.intents.candidates.map {
            .init(name: knowledge.intents[$0.intent].name, confidence: rounded($0.confidence), score: rounded($0.score))
        }
        turn.explanation.articles = understanding.articles.map {
            .init(name: knowledge.articles[$0.article].id, confidence: rounded($0.confidence), score: rounded($0.score))
        }
    }

    /// Words that only say what a value is ("my email is ..., phone ...").
    static let valueWords: Set<String> = [
        "email", "mail", "address", "phone", "number", "mobile", "cell", "order", "name", "here", "and", "also", "thats", "its",
        "it", "is", "my", "the", "ok", "okay", "yes", "sure", "sorry", "a", "an", "of", "for", "on", "at", "to", "me", "i", "im",
        "you", "can", "reach", "contact", "use", "call", "text",
    ]

    /// The intent the knowledge names for "that didn't help".
    static let notHelpfulIntent = "not_helpful"

    /// True when `intent` (an index into the knowledge's intents) is "that didn't help".
    func isNotHelpful(_ intent: Int?) -> Bool {
        intent.map { knowledge.intents[$0].name == Self.notHelpfulIntent } ?? false
    }
}
