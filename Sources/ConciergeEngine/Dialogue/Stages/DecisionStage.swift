/// The decision on the reading: answer the best candidate, ask which of several the customer
/// meant, or say honestly that the bot is not sure (a person follows when that repeats). A second
/// request in the same message is answered too.
enum DecisionStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        engine.decide(&context)
        if let segments = context.segments {
            engine.answerAlso(segments.requests.filter { segments.standalone.contains($0.key) }, in: &context)
        }
        return true
    }
}

extension Engine {
    /// Chooses between answering, clarifying and falling back on the reading.
    ///
    /// `context.readAfresh`: the message ignored a clarifying question for something new; if that too
    /// goes unread, it is a fallback (a person follows as fallbacks repeat), not a low-confidence handoff.
    func decide(_ context: inout TurnContext) {
        let readAfresh = context.readAfresh
        let answerable = context.understanding.candidates.filter { isAnswer($0) }
        let askedBefore = context.state.clarifications > 0
        let onTopic = context.turn.explanation.followUpOf != nil || (context.understanding.best.map { $0.key == context.state.topic?.key } ?? false)
        if !askedBefore, let options = alternativeOptions(context.understanding) {
            clarify(options, in: &context)
            context.turn.explanation.decision = "The message names two things (“\(options[0].label)” or “\(options[1].label)”): asking which."
            return
        }
        if !askedBefore, let options = announcementOptions(context.understanding) {
            clarify(options, in: &context)
            context.turn.explanation.decision = "The message names a subject without asking about it: asking which of its questions."
            return
        }
        if !onTopic, let options = oneWordOptions(context.understanding, clarifiedBefore: askedBefore) {
            clarify(options, in: &context)
            context.turn.explanation.decision = "One word (“\(context.understanding.text.tokens.map(\.text).joined(separator: " "))”) could mean several things: asking which."
            return
        }
        if context.understanding.isOutOfScope, longMessage(context), let lead = answerable.first, lead.confidence >= PolicyThresholds.longMessageFloor {
            // A customer who writes a paragraph to a shop's support is asking the shop something:
            // its many words spread the confidence thin, so the leading reading is answered when it
            // is far ahead of every other, rather than "I'm not sure".
            let runnerUp = answerable.dropFirst().first?.confidence ?? 0
            if lead.confidence >= runnerUp * PolicyThresholds.dominantRatio, lead.intent.map({ knowledge.intents[$0].kind == .task }) ?? true {
                context.decide(
                    "Answered: \(lead.label) at confidence \(format(lead.confidence)): a long message, and \(format(lead.confidence / max(runnerUp, 0.001)))× the runner-up.")
                execute(lead, in: &context)
                return
            }
        }
        guard let best = context.understanding.best, !context.understanding.isOutOfScope else {
            context.turn.explanation.decision =
                "Out of scope: no intent or article reached the fallback threshold (\(format(settings.fallbackThreshold)))."
            failed(lowConfidence: askedBefore && !readAfresh, in: &context)
            return
        }
        if best.confidence >= settings.answerThreshold {
            let close = answerable.filter { $0.key != best.key && best.confidence - $0.confidence < settings.clarifyMargin }
            if close.isEmpty || askedBefore || !answerable.contains(where: { $0.key == best.key }) {
                context.turn.explanation.decision =
                    "Answered: \(best.label) at confidence \(format(best.confidence)) ≥ answer threshold \(format(settings.answerThreshold))"
                    + (close.isEmpty ? "." : ", after one clarifying question already.")
                // The same answer again, right after it was given, means it did not help.
                if let topic = context.state.topic, topic.key == best.key, topic.turn == context.turn.number - 1, context.understanding.text.tokens.count >= 3,
                    context.turn.explanation.followUpOf == nil, repeatsPreviousMessage(context.understanding.text, state: context.state),
                    best.intent.map({ knowledge.intents[$0].kind == .task && knowledge.intents[$0].slots.isEmpty }) ?? true
                {
                    context.turn.explanation.decision = "The customer asked for \(best.label) again in other words: the last answer did not help."
                    notHelped(in: &context)
                    return
                }
                execute(best, in: &context)
                return
            }
            if let supported = valueSupportedIntent(among: answerable, text: context.understanding.text), !takesGivenValue(best, text: context.understanding.text) {
                context.turn.explanation.decision =
                    "Answered: \(supported.candidate.label) at confidence \(format(supported.candidate.confidence)): the one request that takes the \(supported.slot) the message gives."
                execute(supported.candidate, in: &context)
                return
            }
            clarify([best] + close, in: &context)
            context.turn.explanation.decision =
                "Clarifying: \(best.label) (\(format(best.confidence))) and the runner-up are within the margin \(format(settings.clarifyMargin))."
            return
        }
        // One candidate far ahead of the rest, or the only one that takes the values the message
        // gives (an order number for an order's problem): the message says enough to answer.
        if let reason = dominance(of: best, among: answerable, text: context.understanding.text, state: context.state) {
            context.turn.explanation.decision =
                "Answered: \(best.label) at confidence \(format(best.confidence)), below the answer threshold \(format(settings.answerThreshold)) but \(reason)."
            execute(best, in: &context)
            return
        }
        // "Hi, it's A10237, has it shipped?": articles that share words with the message lead, but
        // the one intent that takes the order number the customer gave is what they ask.
        if let supported = valueSupportedIntent(among: answerable, text: context.understanding.text) {
            context.turn.explanation.decision =
                "Answered: \(supported.candidate.label) at confidence \(format(supported.candidate.confidence)): the one request that takes the \(supported.slot) the message gives."
            execute(supported.candidate, in: &context)
            return
        }
        let plausible = answerable.filter { $0.confidence >= settings.fallbackThreshold }
        if !plausible.isEmpty && !askedBefore {
            clarify(plausible, in: &context)
            context.turn.explanation.decision =
                "Clarifying: the best candidate's confidence \(format(best.confidence)) is below the answer threshold \(format(settings.answerThreshold))."
            return
        }
        context.turn.explanation.decision =
            "Not sure: the best candidate's confidence \(format(best.confidence)) is below the answer threshold \(format(settings.answerThreshold))"
            + (askedBefore ? " after a clarifying question." : ".")
        failed(lowConfidence: askedBefore && !readAfresh, in: &context)
    }

    /// True for a message of many content words (a paragraph, a pasted email).
    func longMessage(_ context: TurnContext) -> Bool {
        contentWords(context.text).count >= PolicyThresholds.longMessageContentWords
    }

    /// Why `best` may be answered below the answer threshold, or nil: it is far ahead of every other
    /// answer, or it is the one candidate that needs a value the message carries and well ahead.
    func dominance(
        of best: Understanding.Candidate, among answerable: [Understanding.Candidate], text: AnalyzedText, state: ConversationState
    ) -> String? {
        guard best.confidence >= PolicyThresholds.entitySupportedFloor, answerable.first?.key == best.key else { return nil }
        guard let index = best.intent else {
            // An article far ahead of the rest.
            let runnerUp = answerable.dropFirst().first?.confidence ?? 0
            return best.confidence >= PolicyThresholds.dominantFloor && best.confidence >= runnerUp * PolicyThresholds.dominantRatio
                ? "\(format(best.confidence / max(runnerUp, 0.001)))× the runner-up" : nil
        }
        guard knowledge.intents[index].kind == .task else { return nil }
        // Against the other intents: an article that only echoes words weighs less.
        let runnerUp = answerable.dropFirst().first(where: { $0.intent != nil })?.confidence ?? 0
        if best.confidence >= PolicyThresholds.dominantFloor, best.confidence >= runnerUp * PolicyThresholds.dominantRatio {
            return "\(format(best.confidence / max(runnerUp, 0.001)))× the runner-up"
        }
        let given = Set(text.entities.map(\.entity))
        let supporting = knowledge.intents[index].slots.first { given.contains($0.entity) || state.slots[$0.name] != nil }
        if let supporting, best.confidence >= runnerUp * PolicyThresholds.entitySupportedRatio {
            return "it needs the \(supporting.name) the conversation has"
        }
        return nil
    }

    /// The intent that takes a value the message itself gives (an order number), when it is read
    /// at least `entitySupportedFloor` and `entitySupportedRatio` times any other intent: the
    /// articles ahead of it only share words with the message.
    func valueSupportedIntent(among answerable: [Understanding.Candidate], text: AnalyzedText) -> (candidate: Understanding.Candidate, slot: String)? {
        let given = Set(text.entities.filter { analyzer.placeholderEntities.contains($0.entity) }.map(\.entity))
        guard !given.isEmpty else { return nil }
        let intents = answerable.filter { $0.intent != nil }
        guard let lead = intents.first, let index = lead.intent, knowledge.intents[index].kind == .task, lead.confidence >= PolicyThresholds.entitySupportedFloor,
            let slot = knowledge.intents[index].slots.first(where: { given.contains($0.entity) })
        else { return nil }
        let runnerUp = intents.dropFirst().first?.confidence ?? 0
        return lead.confidence >= runnerUp * PolicyThresholds.entitySupportedRatio ? (lead, slot.name) : nil
    }

    /// True when `candidate` is an intent with a slot for a value the message gives.
    func takesGivenValue(_ candidate: Understanding.Candidate, text: AnalyzedText) -> Bool {
        let given = Set(text.entities.map(\.entity))
        return candidate.intent.map { knowledge.intents[$0].slots.contains { given.contains($0.entity) } } ?? false
    }

    /// True when the message says nearly what the customer's previous message said (the same content
    /// words, by stem): asking again, not asking something new on the same subject.
    func repeatsPreviousMessage(_ text: AnalyzedText, state: ConversationState) -> Bool {
        guard state.recentMessages.count >= 2 else { return false }
        let previous = analyzer.analyze(state.recentMessages[state.recentMessages.count - 2])
        let now = Set(contentWords(text)), before = Set(contentWords(previous))
        guard !now.isEmpty, !before.isEmpty else { return false }
        return Double(now.intersection(before).count) / Double(now.union(before).count) >= PolicyThresholds.repeatOverlap
    }

    /// The choices to offer for a message of one word ("account", "lamp") that the examples read as
    /// a policy handoff or, without near certainty, as one task: a single word never hands the
    /// customer to a person by itself, nor gets a confident guess. Nil when the rule does not apply.
    func oneWordOptions(_ understanding: Understanding, clarifiedBefore: Bool) -> [Understanding.Candidate]? {
        let tokens = understanding.text.tokens
        guard tokens.count <= 2, tokens.allSatisfy({ !$0.isEntity }),
            tokens.filter({ !Stopwords.english.contains($0.stem) }).count == 1,
            case .examples = understanding.intents.evidence,
            let best = understanding.best, let index = best.intent
        else { return nil }
        let intent = knowledge.intents[index]
        let certainty = understanding.intents.candidates.first?.confidence ?? 0
        let guessing =
            switch intent.kind {
            case .handoff: intent.handoffReason != .customerRequest
            case .task: certainty < 0.9 && !clarifiedBefore
            case .smalltalk, .outOfScope: false
            }
        guard guessing else { return nil }
        // The intents first, then articles: an article shares the word, an intent was written for
        // questions like it, and the intents' order does not turn on a near tie with an article.
        let options = understanding.candidates.filter { $0.confidence >= 0.02 && isAnswer($0, includingPolicyHandoffs: true) }
        let ordered = options.filter { $0.intent != nil } + options.filter { $0.intent == nil }
        return ordered.isEmpty ? nil : Array(ordered.prefix(settings.maximumChoices))
    }

    /// A second question in the same message ("…and how long do refunds take?"): when the turn
    /// answered one request, a plain answer to the other follows it, so no question goes unanswered.
    func answerAlso(_ requests: [Understanding.Candidate], in context: inout TurnContext) {
        guard context.turn.action == .answer, requests.count >= 2, let answered = context.turn.intent?.name else { return }
        for request in requests where request.confidence >= PolicyThresholds.secondRequestFloor {
            guard let index = request.intent, knowledge.intents[index].name != answered else { continue }
            let intent = knowledge.intents[index]
            guard intent.kind == .task, intent.action == nil, !intent.slots.contains(where: { $0.required && context.state.slots[$0.name] == nil }) else {
                continue
            }
            let text: String
            if let response = intent.response {
                text = fill(response, state: context.state)
            } else if let article = intent.answer.flatMap({ articleIndex[$0] }) {
                text = fill(knowledge.articles[article].chatText, state: context.state)
                context.turn.articles.append(Turn.ArticleScore(id: knowledge.articles[article].id, score: rounded(request.confidence)))
                remember(shown: knowledge.articles[article].id, in: &context.state)
            } else {
                continue
            }
            guard !context.turn.reply.contains(text) else { continue }
            context.turn.reply += "\n\n" + text
            context.state.alsoAnswered = .init(key: "intent:" + intent.name, intent: intent.name, article: intent.answer, turn: context.turn.number)
            context.turn.explanation.acts.append(
                DialogueAct(.request, detail: intent.name, evidence: "a second question in the message (\(format(request.confidence)))", won: true))
            context.turn.explanation.decision += " Also answered the second question: \(intent.label)."
            return
        }
    }
}
