public import Foundation

/// The dialogue policy: reading a message in the context of the conversation and choosing the reply.
extension Engine {
    /// Replies to one customer message and updates the conversation. `now` is the conversation's
    /// clock (injected, so replays are exact); it decides return windows and the like.
    public func respond(to message: String, in state: inout ConversationState, now: Date) -> Turn {
        var turn = reply(to: message, in: &state, now: now)
        if let what = turn.explanation.masked.first {
            let notice = settings.fill(settings.texts.masked).replacingOccurrences(of: "{what}", with: what)
            turn.reply = turn.reply.isEmpty ? notice : notice + "\n" + turn.reply
        }
        turn.slots = state.slots
        turn.explanation.mood = rounded(state.mood)
        return turn
    }

    /// The turn before the memory snapshot is attached.
    private func reply(to message: String, in state: inout ConversationState, now: Date) -> Turn {
        state.turnCount += 1
        let masked = Redactor.mask(message, continuingCard: state.cardInProgress == true)
        state.cardInProgress = masked.endsWithPartialCard ? true : nil
        var turn = Turn(
            number: state.turnCount, customer: masked.text, reply: "", action: .fallback, intent: nil, articles: [], asked: nil,
            slots: [:], handoff: nil, explanation: Explanation())
        turn.explanation.masked = masked.masked

        var understanding = understand(masked.text)
        let text = understanding.text
        turn.explanation.stems = text.stems
        turn.explanation.corrections = text.corrections
        turn.explanation.entities = text.entities
        let corrected = remember(text.entities, in: &state)
        let reading = FrustrationDetector.read(masked.text, words: text.tokens.map(\.text))
        state.mood = FrustrationDetector.mood(previous: state.mood, reading: reading)
        state.frustrationSignals.append(contentsOf: reading.signals.filter { !state.frustrationSignals.contains($0) })
        if !text.tokens.isEmpty {
            state.recentMessages.append(masked.text.count > 300 ? String(masked.text.prefix(300)) : masked.text)
            if state.recentMessages.count > 6 { state.recentMessages.removeFirst(state.recentMessages.count - 6) }
        }

        // A person has the conversation: the bot stays quiet and the host relays the message.
        if let handoff = state.handoff {
            turn.action = .handoff
            turn.handoff = HandoffRequest(id: handoff.id, reason: handoff.reason, queue: handoff.queue)
            turn.explanation.decision = "The conversation is with a person (handoff \(handoff.id)); the message goes to them."
            return turn
        }
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
        // Values given in the message: each is an inform act, already remembered.
        for entity in text.entities {
            turn.explanation.acts.append(DialogueAct(.inform, detail: "\(entity.entity) = \(entity.value)", evidence: "a value in the message"))
        }
        // Greetings, thanks and bare values around the request dilute it: read it without them.
        var segments: SegmentReading?
        if text.tokens.count >= 4, let reading = segmentReading(understanding) {
            segments = reading
            if !reading.dropped.isEmpty, prefersCore(reading.core, over: understanding) {
                turn.explanation.acts.append(
                    DialogueAct(.smalltalk, evidence: "read the request without " + reading.dropped.map { "“\($0)”" }.joined(separator: ", ")))
                understanding = reading.core
            }
            if let promoted = promotedRequest(reading, over: understanding) {
                // "That didn't help, I want to make the claim": it counts as not helped, and the
                // request that follows is answered.
                if understanding.best?.intent.map({ knowledge.intents[$0].name == Self.notHelpfulIntent }) == true {
                    state.failures += 1
                    turn.explanation.acts.append(DialogueAct(.notHelpful, evidence: "says the last answer did not help"))
                }
                turn.explanation.acts.append(
                    DialogueAct(.request, detail: promoted.best?.label, evidence: "the part of the message that asks it, read on its own"))
                understanding = promoted
            }
        }
        // A product or store named in a request fills its slot; it is not the request.
        if let unnamed = readingWithoutNames(understanding) {
            turn.explanation.acts.append(
                DialogueAct(
                    .request, detail: unnamed.best?.label,
                    evidence: "read without the names in it (\(unnamed.text.entities.filter { !analyzer.placeholderEntities.contains($0.entity) }.map(\.text).joined(separator: ", ")))"))
            understanding = unnamed
        }
        // "ok thanks, going to do it now": a closing, never a follow-up.
        let closing = ClosingReader.read(text.tokens.map(\.text))
        // A short follow-up read against the current topic ("and for express?", "is it free?").
        if !closing, let contextual = followUp(understanding, state: state) {
            turn.explanation.followUpOf = state.topic?.intent ?? state.topic?.article
            turn.explanation.acts.append(
                DialogueAct(
                    .followUp, detail: turn.explanation.followUpOf,
                    evidence: "leans on the last answer" + (contextual.best.map { ": reads as \($0.label) (\(format($0.confidence)))" } ?? "")))
            understanding = contextual
        }
        explain(understanding, into: &turn)

        // A request for a person, in any phrasing, hands off at once: before frustration, pending
        // questions or any reading of the rest.
        if PersonRequestReader.read(text.tokens.map(\.text)), settings.handoff.triggers.contains(.customerRequest) {
            turn.explanation.acts.append(DialogueAct(.requestPerson, evidence: "words asking for a person", won: true))
            turn.explanation.decision = "The customer asked for a person: handing off."
            handOff(.customerRequest, intent: personRequestIntent, understanding: understanding, state: &state, turn: &turn, now: now)
            return turn
        }

        // "No thanks, I don't need a person": said, and nothing else asked.
        let words = text.tokens.map(\.text)
        if PersonRequestReader.declinesAPerson(words), contentWords(text).count <= 2, case .nothing = state.pending {
            turn.explanation.acts.append(DialogueAct(.smalltalk, detail: "no person", evidence: "declines a person and asks nothing else", won: true))
            turn.explanation.decision = "The customer does not want a person and asks nothing else."
            turn.action = .smalltalk
            turn.reply = settings.texts.declined + " " + settings.fill(settings.texts.anythingElse)
            return turn
        }
        // Frustration goes to a person before anything else is tried.
        if state.mood >= settings.handoff.frustrationThreshold, settings.handoff.triggers.contains(.frustration) {
            turn.explanation.decision =
                "Frustration \(format(state.mood)) ≥ \(format(settings.handoff.frustrationThreshold)): handing off to a person."
            handOff(.frustration, intent: nil, understanding: understanding, state: &state, turn: &turn, now: now)
            return turn
        }

        // A correction of a value the bot is using ("sorry, it's A10235").
        if let corrected, Self.isCorrection(text), let topic = state.topic, let index = topic.intent.flatMap({ intentIndex[$0] }),
            knowledge.intents[index].slots.contains(where: { $0.name == corrected.slot })
        {
            state.pending = .nothing
            turn.explanation.decision = "The customer corrected \(corrected.slot) to \(corrected.value); answering \(topic.intent ?? "") again."
            executeIntent(index, confidence: 1, understanding: understanding, state: &state, turn: &turn, now: now)
            turn.reply = settings.texts.corrected.replacingOccurrences(of: "{value}", with: corrected.value) + " " + turn.reply
            return turn
        }

        // What the bot asked last turn.
        var readAfresh = false
        switch state.pending {
        case .clarification(let choices):
            state.pending = .nothing
            let labels = choices.map { analyzer.analyzeAuthored($0.label).map(\.stem).filter { !Stopwords.english.contains($0) } }
            let confidentElsewhere = understanding.best.map { best in
                best.confidence >= settings.answerThreshold && !choices.contains { $0.key == best.key }
            } ?? false
            var reading = ChoiceReader.read(text.tokens, choices: labels, analyzerStems: text.stems, allowWords: !confidentElsewhere)
            if choices.count == 1 {
                switch YesNo.read(text.tokens.map(\.text)) {
                case .yes: reading = .choice(0)
                case .no: reading = .none
                case .unclear: break
                }
            } else if case .unrelated = reading, YesNo.read(text.tokens.map(\.text)) == .yes {
                // "Yes" to a list: the first choice, the best reading, is what the customer confirms.
                reading = .choice(0)
            }
            switch reading {
            case .choice(let position):
                let choice = choices[position]
                if let candidate = candidate(forKey: choice.key, confidence: 1) {
                    turn.explanation.decision = "The customer chose \(position + 1). \(choice.label) from the clarifying question."
                    execute(candidate, understanding: understanding, state: &state, turn: &turn, now: now)
                    return turn
                }
            case .none:
                turn.explanation.decision = "The customer said none of the choices was right."
                if settings.handoff.triggers.contains(.lowConfidence) {
                    handOff(.lowConfidence, intent: nil, understanding: understanding, state: &state, turn: &turn, now: now)
                } else {
                    fallback(state: &state, turn: &turn, offerHuman: true)
                }
                return turn
            case .unrelated:
                // A new message instead of an answer: read it afresh, not as a second failure to
                // understand (a person follows only if it too goes unread, as fallbacks do).
                if let best = understanding.best, !choices.contains(where: { $0.key == best.key }) { readAfresh = true }
            }
        case .slot(let intentName, let slot, let attempts):
            // "Thank you, have a nice day" instead of the value: the customer is done; stop asking.
            if closing, text.entities.isEmpty {
                state.pending = .nothing
                break
            }
            if handleSlotAnswer(
                intent: intentName, slot: slot, attempts: attempts, understanding: understanding, upset: !reading.signals.isEmpty,
                state: &state, turn: &turn, now: now)
            {
                return turn
            }
        case .handoffOffer(let reason):
            state.pending = .nothing
            // "ok thats everything", "ok thanks": a closing, not a yes to a person.
            if closing, !text.tokens.contains(where: { YesNo.strongYes.contains($0.text) }) { break }
            // "can someone just do both for me": after the offer, naming a person is taking it.
            let words = text.tokens.map(\.text)
            if words.contains(where: PersonRequestReader.personNouns.contains), !PersonRequestReader.declinesAPerson(words) {
                turn.explanation.acts.append(DialogueAct(.answerPending, detail: "yes", evidence: "takes the offer of a person", won: true))
                turn.explanation.decision = "The customer accepted the offer of a person."
                handOff(reason, intent: nil, understanding: understanding, state: &state, turn: &turn, now: now)
                return turn
            }
            switch YesNo.readLeading(text.tokens.map(\.text), question: masked.text.contains("?")) {
            case .yes:
                turn.explanation.decision = "The customer accepted the offer of a person."
                handOff(reason, intent: nil, understanding: understanding, state: &state, turn: &turn, now: now)
                return turn
            case .no:
                turn.action = .smalltalk
                turn.reply = settings.texts.declined + " " + settings.fill(settings.texts.anythingElse)
                turn.explanation.decision = "The customer declined the offer of a person."
                return turn
            case .unclear:
                break
            }
        case .confirmation(let slot, let value):
            state.pending = .nothing
            switch YesNo.read(text.tokens.map(\.text)) {
            case .yes:
                state.slots[slot] = value
                note(slot: slot, value: value, in: &state)
                turn.action = .smalltalk
                turn.reply = settings.fill(settings.texts.confirmed)
                turn.explanation.decision = "The customer confirmed \(slot) = \(value)."
                return turn
            case .no:
                turn.action = .smalltalk
                turn.reply = settings.texts.declined + " " + settings.fill(settings.texts.whatToday)
                turn.explanation.decision = "The customer said it is not about \(value)."
                return turn
            case .unclear:
                break
            }
        case .nothing:
            break
        }

        // Thanks, goodbye, "k": the small talk the matcher ranks first for it.
        if closing, let best = closingIntent(understanding) {
            turn.explanation.acts.append(
                DialogueAct(.smalltalk, detail: knowledge.intents[best.intent].name, evidence: "only words that thank, acknowledge or close", won: true))
            turn.explanation.decision = "A closing or an acknowledgement: \(knowledge.intents[best.intent].label)."
            executeIntent(best.intent, confidence: best.confidence, understanding: understanding, state: &state, turn: &turn, now: now)
            return turn
        }
        // "Who's the carrier?" about an order the conversation knows: the answer is in the data.
        let lookingUp = understanding.best.map { best in
            best.confidence >= settings.answerThreshold && best.intent.map { knowledge.intents[$0].action != nil } == true
        } ?? false
        if !lookingUp, let question = dataQuestion(text, state: state) {
            turn.explanation.acts.append(
                DialogueAct(
                    .request, detail: knowledge.intents[question.intent].name,
                    evidence: "asks for \(question.fields.joined(separator: ", ")) of a record the conversation names", won: true))
            turn.explanation.decision = "A question about \(question.fields.joined(separator: ", ")): looking it up."
            executeIntent(question.intent, confidence: 1, understanding: understanding, state: &state, turn: &turn, now: now)
            return turn
        }
        // "What about the other one?": the other value of a slot, for the same topic.
        if let switched = otherOne(text, state: &state) {
            turn.explanation.decision = "Read as the other \(switched.slot): \(switched.value), for the same topic."
            if let index = state.topic?.intent.flatMap({ intentIndex[$0] }) {
                executeIntent(index, confidence: 1, understanding: understanding, state: &state, turn: &turn, now: now)
                return turn
            }
        }
        // A value the topic's request needs, given unprompted ("oh wait, found it: A10209", "btw my
        // email is …"): it attaches to that request unless the message clearly asks something else.
        if let index = state.topic?.intent.flatMap({ intentIndex[$0] }), informs(text, request: index),
            (understanding.best.map { $0.confidence < settings.answerThreshold || $0.intent == index } ?? true)
        {
            state.declined.removeAll { name in knowledge.intents[index].slots.contains { $0.name == name && state.slots[name] != nil } }
            turn.explanation.acts.append(
                DialogueAct(.inform, detail: knowledge.intents[index].name, evidence: "a value the open request needs, given unprompted", won: true))
            turn.explanation.decision = "A value for \(knowledge.intents[index].label), given unprompted: answering it with the value."
            executeIntent(index, confidence: 1, understanding: understanding, state: &state, turn: &turn, now: now)
            return turn
        }
        // Only values ("A10234", "maya@example.com"), or values in words that read as nothing ("oh wait
        // found it in my emails, A10209"): use them for the current topic, or say they're noted; a
        // message that gives a value is never a failure to understand.
        let onlyValues = text.tokens.allSatisfy({ $0.isEntity || Self.valueWords.contains($0.text) || MessageSegmenter.fillerWords.contains($0.text) })
        let shortAndUnread = text.tokens.count <= PolicyThresholds.informWords && (understanding.best?.confidence ?? 0) < settings.fallbackThreshold
        if !text.entities.isEmpty, onlyValues || shortAndUnread {
            if let index = state.topic?.intent.flatMap({ intentIndex[$0] }) {
                turn.explanation.decision = "Only values in the message: using them for \(knowledge.intents[index].label)."
                executeIntent(index, confidence: 1, understanding: understanding, state: &state, turn: &turn, now: now)
            } else {
                let values = text.entities.map(\.value).joined(separator: ", ")
                turn.action = .smalltalk
                turn.reply = settings.fill(settings.texts.noted).replacingOccurrences(of: "{values}", with: values)
                turn.explanation.decision = "Only values in the message and no topic yet: remembered them."
            }
            return turn
        }
        decide(understanding, state: &state, turn: &turn, now: now, readAfresh: readAfresh)
        if let segments { answerAlso(segments.requests.filter { segments.standalone.contains($0.key) }, state: &state, turn: &turn) }
        markWinner(&turn)
        return turn
    }

    /// The small talk a closing stands for: that of its last part ("ok thanks, bye" says goodbye),
    /// else the small talk the matcher ranks first for the whole.
    func closingIntent(_ understanding: Understanding) -> IntentMatcher.Candidate? {
        let parts = MessageSegmenter.segments(of: understanding.text.sanitized)
        if parts.count >= 2, let last = parts.last {
            let match = matcher.match(analyzer.analyze(last))
            if let best = match.candidates.first, best.confidence >= PolicyThresholds.smallTalkFloor, knowledge.intents[best.intent].kind == .smalltalk {
                return best
            }
        }
        return understanding.intents.candidates.first { knowledge.intents[$0.intent].kind == .smalltalk }
    }

    /// True when the message gives a value that the intent's slots or its lookup's identity check use.
    func informs(_ text: AnalyzedText, request index: Int) -> Bool {
        let intent = knowledge.intents[index]
        let given = Set(text.entities.map(\.entity))
        guard !given.isEmpty else { return false }
        if intent.slots.contains(where: { given.contains($0.entity) }) { return true }
        if let name = intent.action, let action = knowledge.action(named: name), let verify = action.verifySlot {
            return given.contains(verify)
        }
        return false
    }

    /// The intent that stands for "a person, please" in this knowledge: the handoff intent whose
    /// reason is the customer's request.
    var personRequestIntent: Int? {
        knowledge.intents.firstIndex { $0.kind == .handoff && $0.handoffReason == .customerRequest }
    }

    /// True when the message read without its filler says at least as much as the whole message.
    func prefersCore(_ core: Understanding, over whole: Understanding) -> Bool {
        guard let coreBest = core.best else { return false }
        guard let wholeBest = whole.best else { return true }
        if let index = wholeBest.intent, [.smalltalk, .outOfScope].contains(knowledge.intents[index].kind) { return true }
        return coreBest.confidence >= wholeBest.confidence - 0.05
    }

    /// The request of one part of the message, when the message as a whole reads worse: unsure,
    /// "that didn't help" followed by what the customer wants instead, or an answer that needs none
    /// of the values given while a part's request needs one ("A10255 … has it shipped? im up in
    /// anchorage" asks about the order, not about Alaska).
    func promotedRequest(_ reading: SegmentReading, over current: Understanding) -> Understanding? {
        guard let best = current.best, !reading.requests.isEmpty, !reading.requests.contains(where: { $0.key == best.key }) || reading.requests.count > 1
        else { return nil }
        let given = Set(current.text.entities.map(\.entity))
        func supported(_ candidate: Understanding.Candidate) -> Bool {
            candidate.intent.map { knowledge.intents[$0].slots.contains { given.contains($0.entity) } } ?? false
        }
        let choice: Understanding.Candidate?
        if best.intent.map({ knowledge.intents[$0].name == Self.notHelpfulIntent }) == true || best.confidence < settings.answerThreshold {
            choice = reading.requests.first(where: supported) ?? reading.requests.first
        } else if !supported(best) {
            choice = reading.requests.first(where: supported)
        } else {
            choice = nil
        }
        guard var chosen = choice, chosen.key != best.key else { return nil }
        chosen.confidence = max(chosen.confidence, best.confidence)
        var promoted = current
        promoted.candidates = [chosen] + current.candidates.filter { $0.key != chosen.key && $0.confidence < chosen.confidence - settings.clarifyMargin }
        promoted.isOutOfScope = false
        return promoted
    }

    /// A second question in the same message ("…and how long do refunds take?"): when the turn
    /// answered one request, a plain answer to the other follows it, so no question goes unanswered.
    func answerAlso(_ requests: [Understanding.Candidate], state: inout ConversationState, turn: inout Turn) {
        guard turn.action == .answer, requests.count >= 2, let answered = turn.intent?.name else { return }
        for request in requests where request.confidence >= PolicyThresholds.secondRequestFloor {
            guard let index = request.intent, knowledge.intents[index].name != answered else { continue }
            let intent = knowledge.intents[index]
            guard intent.kind == .task, intent.action == nil, !intent.slots.contains(where: { $0.required && state.slots[$0.name] == nil }) else {
                continue
            }
            let text: String
            if let response = intent.response {
                text = fill(response, state: state)
            } else if let article = intent.answer.flatMap({ articleIndex[$0] }) {
                text = fill(knowledge.articles[article].chatText, state: state)
                turn.articles.append(Turn.ArticleScore(id: knowledge.articles[article].id, score: rounded(request.confidence)))
                remember(shown: knowledge.articles[article].id, in: &state)
            } else {
                continue
            }
            guard !turn.reply.contains(text) else { continue }
            turn.reply += "\n\n" + text
            turn.explanation.acts.append(
                DialogueAct(.request, detail: intent.name, evidence: "a second question in the message (\(format(request.confidence)))", won: true))
            turn.explanation.decision += " Also answered the second question: \(intent.label)."
            return
        }
    }

    /// Adds the act the policy acted on, when no reader recorded it: the request it answered, or
    /// what the customer's message was taken as.
    func markWinner(_ turn: inout Turn) {
        guard !turn.explanation.acts.contains(where: \.won) else { return }
        let act: DialogueAct
        switch turn.action {
        case .answer, .ask, .handoff:
            act = DialogueAct(.request, detail: turn.intent?.name ?? turn.articles.first?.id, evidence: turn.explanation.decision, won: true)
        case .clarify:
            act = DialogueAct(.request, detail: "unclear", evidence: turn.explanation.decision, won: true)
        case .smalltalk:
            act = DialogueAct(.smalltalk, detail: turn.intent?.name, evidence: turn.explanation.decision, won: true)
        case .fallback:
            act = DialogueAct(.outOfScope, detail: turn.intent?.name, evidence: turn.explanation.decision, won: true)
        }
        turn.explanation.acts.append(act)
    }

    /// Chooses between answering, clarifying and falling back.
    ///
    /// `readAfresh`: the message ignored a clarifying question for something new; if that too goes
    /// unread, it is a fallback (a person follows as fallbacks repeat), not a low-confidence handoff.
    func decide(_ understanding: Understanding, state: inout ConversationState, turn: inout Turn, now: Date, readAfresh: Bool = false) {
        let answerable = understanding.candidates.filter { isAnswer($0) }
        let askedBefore = state.clarifications > 0
        let onTopic = turn.explanation.followUpOf != nil || (understanding.best.map { $0.key == state.topic?.key } ?? false)
        if !onTopic, let options = oneWordOptions(understanding, clarifiedBefore: askedBefore) {
            clarify(options, state: &state, turn: &turn)
            turn.explanation.decision = "One word (“\(understanding.text.tokens.map(\.text).joined(separator: " "))”) could mean several things: asking which."
            return
        }
        guard let best = understanding.best, !understanding.isOutOfScope else {
            turn.explanation.decision =
                "Out of scope: no intent or article reached the fallback threshold (\(format(settings.fallbackThreshold)))."
            failed(lowConfidence: askedBefore && !readAfresh, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        }
        if best.confidence >= settings.answerThreshold {
            let close = answerable.filter { $0.key != best.key && best.confidence - $0.confidence < settings.clarifyMargin }
            if close.isEmpty || askedBefore || !answerable.contains(where: { $0.key == best.key }) {
                turn.explanation.decision =
                    "Answered: \(best.label) at confidence \(format(best.confidence)) ≥ answer threshold \(format(settings.answerThreshold))"
                    + (close.isEmpty ? "." : ", after one clarifying question already.")
                // The same answer again, right after it was given, means it did not help.
                if let topic = state.topic, topic.key == best.key, topic.turn == turn.number - 1, understanding.text.tokens.count >= 3,
                    turn.explanation.followUpOf == nil, repeatsPreviousMessage(understanding.text, state: state),
                    best.intent.map({ knowledge.intents[$0].kind == .task && knowledge.intents[$0].slots.isEmpty }) ?? true
                {
                    turn.explanation.decision = "The customer asked for \(best.label) again in other words: the last answer did not help."
                    notHelped(understanding: understanding, state: &state, turn: &turn, now: now)
                    return
                }
                execute(best, understanding: understanding, state: &state, turn: &turn, now: now)
                return
            }
            clarify([best] + close, state: &state, turn: &turn)
            turn.explanation.decision =
                "Clarifying: \(best.label) (\(format(best.confidence))) and the runner-up are within the margin \(format(settings.clarifyMargin))."
            return
        }
        // One candidate far ahead of the rest, or the only one that takes the values the message
        // gives (an order number for an order's problem): the message says enough to answer.
        if let reason = dominance(of: best, among: answerable, text: understanding.text, state: state) {
            turn.explanation.decision =
                "Answered: \(best.label) at confidence \(format(best.confidence)), below the answer threshold \(format(settings.answerThreshold)) but \(reason)."
            execute(best, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        }
        let plausible = answerable.filter { $0.confidence >= settings.fallbackThreshold }
        if !plausible.isEmpty && !askedBefore {
            clarify(plausible, state: &state, turn: &turn)
            turn.explanation.decision =
                "Clarifying: the best candidate's confidence \(format(best.confidence)) is below the answer threshold \(format(settings.answerThreshold))."
            return
        }
        turn.explanation.decision =
            "Not sure: the best candidate's confidence \(format(best.confidence)) is below the answer threshold \(format(settings.answerThreshold))"
            + (askedBefore ? " after a clarifying question." : ".")
        failed(lowConfidence: askedBefore && !readAfresh, understanding: understanding, state: &state, turn: &turn, now: now)
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
            tokens.filter({ !Stopwords.english.contains($0.text) }).count == 1,
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
        let options = understanding.candidates.filter { $0.confidence >= 0.02 && isAnswer($0, includingPolicyHandoffs: true) }
        return options.isEmpty ? nil : Array(options.prefix(settings.maximumChoices))
    }

    /// Nothing was good enough: hand off when confidence stayed low after clarifying or fallbacks
    /// repeat, otherwise say so honestly.
    func failed(lowConfidence: Bool, understanding: Understanding, state: inout ConversationState, turn: inout Turn, now: Date) {
        if lowConfidence, settings.handoff.triggers.contains(.lowConfidence) {
            turn.explanation.decision += " Confidence stayed low after a clarifying question: handing off."
            handOff(.lowConfidence, intent: nil, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        }
        if state.consecutiveFallbacks + 1 >= settings.handoff.fallbacksBeforeHandoff, settings.handoff.triggers.contains(.repeatedFailure) {
            turn.explanation.decision += " \(state.consecutiveFallbacks + 1) fallbacks in a row: handing off."
            handOff(.repeatedFailure, intent: nil, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        }
        fallback(state: &state, turn: &turn, offerHuman: state.consecutiveFallbacks >= 1)
    }

    /// Asks which of `candidates` the customer meant.
    func clarify(_ candidates: [Understanding.Candidate], state: inout ConversationState, turn: inout Turn) {
        let choices = candidates.prefix(settings.maximumChoices).map { ConversationState.Choice(key: $0.key, label: $0.label) }
        if choices.count == 1 {
            // One candidate: a yes-or-no question reads better than a list of one.
            turn.reply = settings.fill(settings.texts.clarifyOne).replacingOccurrences(of: "{choice}", with: choices[0].label)
        } else {
            var lines = [settings.fill(settings.texts.clarify)]
            for (i, choice) in choices.enumerated() { lines.append("  \(i + 1). \(choice.label)") }
            lines.append(settings.fill(settings.texts.clarifyFooter))
            turn.reply = lines.joined(separator: "\n")
        }
        turn.action = .clarify
        turn.articles = candidates.prefix(settings.maximumChoices).compactMap { candidate in
            guard candidate.intent == nil, let article = candidate.article else { return nil }
            return Turn.ArticleScore(id: knowledge.articles[article].id, score: rounded(candidate.confidence))
        }
        state.pending = .clarification(Array(choices))
        state.clarifications += 1
        state.consecutiveFallbacks = 0
    }

    /// Says honestly that the bot is not sure.
    func fallback(state: inout ConversationState, turn: inout Turn, offerHuman: Bool) {
        state.consecutiveFallbacks += 1
        state.clarifications = 0
        turn.action = .fallback
        turn.intent = nil
        turn.reply = settings.fill(settings.texts.fallback)
        if offerHuman, settings.handoff.triggers.contains(.repeatedFailure) || settings.handoff.triggers.contains(.customerRequest) {
            turn.reply = settings.fill(settings.texts.fallback) + " " + settings.fill(settings.texts.offerHuman)
            state.pending = .handoffOffer(reason: .repeatedFailure)
        }
    }

    /// Answers with a candidate: an intent's reply, or an article.
    func execute(_ candidate: Understanding.Candidate, understanding: Understanding, state: inout ConversationState, turn: inout Turn, now: Date) {
        state.consecutiveFallbacks = 0
        state.clarifications = 0
        if let index = candidate.intent {
            let intent = knowledge.intents[index]
            if intent.name == Self.notHelpfulIntent {
                turn.intent = Turn.IntentScore(name: intent.name, confidence: rounded(candidate.confidence))
                notHelped(understanding: understanding, state: &state, turn: &turn, now: now)
                return
            }
            executeIntent(index, confidence: candidate.confidence, understanding: understanding, state: &state, turn: &turn, now: now)
            if turn.action == .answer {
                state.alternatives = alternatives(to: candidate, in: understanding)
            }
        } else if let article = candidate.article {
            answer(article: article, key: candidate.key, intent: nil, understanding: understanding, state: &state, turn: &turn)
            state.alternatives = alternatives(to: candidate, in: understanding)
        }
    }

    /// Runs an intent: small talk, a handoff, a question for a missing slot, a lookup, or the answer.
    func executeIntent(_ index: Int, confidence: Double, understanding: Understanding, state: inout ConversationState, turn: inout Turn, now: Date) {
        let intent = knowledge.intents[index]
        turn.intent = Turn.IntentScore(name: intent.name, confidence: rounded(confidence))
        state.consecutiveFallbacks = 0
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
            handOff(intent.handoffReason ?? .policy, intent: index, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        case .task:
            break
        }
        state.topic = .init(key: "intent:" + intent.name, intent: intent.name, article: intent.answer, turn: turn.number)
        if let missing = intent.slots.first(where: { $0.required && state.slots[$0.name] == nil && !state.declined.contains($0.name) }) {
            ask(missing, for: intent, state: &state, turn: &turn)
            return
        }
        // A lookup needs its key; without it (declined) the intent's general answer does.
        if let name = intent.action, let action = knowledge.action(named: name),
            state.slots[action.keySlot] != nil || !state.declined.contains(action.keySlot)
        {
            lookup(action, intent: index, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        }
        if let response = intent.response {
            turn.action = .answer
            turn.reply = fill(response, state: state)
            if let article = intent.answer.flatMap({ articleIndex[$0] }) {
                turn.articles = [Turn.ArticleScore(id: knowledge.articles[article].id, score: score(of: article, in: understanding))]
                remember(shown: knowledge.articles[article].id, in: &state)
            }
            state.answered.append("intent:" + intent.name)
        } else if let article = intent.answer.flatMap({ articleIndex[$0] }) {
            answer(article: article, key: "intent:" + intent.name, intent: intent.name, understanding: understanding, state: &state, turn: &turn)
        }
        // A case a person must act on: offer one now, so "yes" is all it takes.
        if intent.offersHandoff, turn.action == .answer, settings.handoff.triggers.contains(.customerRequest) {
            turn.reply += " " + settings.fill(settings.texts.offerHuman)
            state.pending = .handoffOffer(reason: .customerRequest)
        }
    }

    /// Replies with an article's chat text.
    func answer(article: Int, key: String, intent: String?, understanding: Understanding, state: inout ConversationState, turn: inout Turn) {
        turn.action = .answer
        turn.reply = fill(knowledge.articles[article].chatText, state: state)
        turn.articles = [Turn.ArticleScore(id: knowledge.articles[article].id, score: score(of: article, in: understanding))]
        state.topic = .init(key: key, intent: intent, article: knowledge.articles[article].id, turn: turn.number)
        state.answered.append(key)
        remember(shown: knowledge.articles[article].id, in: &state)
    }

    /// Asks for a slot the intent still needs.
    func ask(
        _ slot: SlotRequirement, for intent: Intent, state: inout ConversationState, turn: inout Turn, hint: Bool = false, attempts: Int = 0,
        preamble: String? = nil
    ) {
        turn.action = .ask
        turn.asked = slot.name
        let prompt = fill(slot.prompt, state: state)
        turn.reply = hint
            ? [preamble ?? settings.texts.slotInvalid, slot.hint ?? "", Self.question(of: prompt)].filter { !$0.isEmpty }.joined(separator: " ") : prompt
        state.pending = .slot(intent: intent.name, slot: slot.name, attempts: attempts)
        state.resumeOffered = false
    }

    /// The customer said the last answer did not help: offer the next best answer, or a person.
    func notHelped(understanding: Understanding, state: inout ConversationState, turn: inout Turn, now: Date) {
        state.failures += 1
        if state.failures >= settings.handoff.notHelpfulBeforeHandoff, settings.handoff.triggers.contains(.repeatedFailure) {
            turn.explanation.decision = "The customer said \(state.failures) answers did not help: handing off."
            handOff(.repeatedFailure, intent: nil, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        }
        while let next = state.alternatives.first {
            state.alternatives.removeFirst()
            guard !state.answered.contains(next.key), let candidate = candidate(forKey: next.key, confidence: 0) else { continue }
            turn.explanation.decision = "The last answer did not help: offering the next best, \(next.label)."
            let remaining = state.alternatives
            execute(candidate, understanding: understanding, state: &state, turn: &turn, now: now)
            state.alternatives = remaining
            if turn.action == .answer { turn.reply = settings.texts.notHelpful + " " + turn.reply }
            return
        }
        turn.explanation.decision = "The last answer did not help and there is no other good answer: offering a person."
        turn.action = .fallback
        turn.reply = settings.fill(settings.texts.notHelpfulNoAlternative) + " " + settings.fill(settings.texts.offerHuman)
        state.pending = .handoffOffer(reason: .repeatedFailure)
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

/// Reads yes and no answers ("yes please", "nope", "sure, go ahead").
enum YesNo {
    enum Answer { case yes, no, unclear }

    static let yesWords: Set<String> = [
        "yes", "yeah", "yep", "yup", "ya", "yea", "sure", "ok", "okay", "please", "definitely", "absolutely", "correct", "y",
        "certainly", "right", "yess", "yesss", "affirmative",
    ]
    static let noWords: Set<String> = ["no", "nope", "nah", "n", "dont", "not", "nothing"]
    /// Words that say yes on their own, unlike "ok", which also closes a conversation.
    static let strongYes: Set<String> = ["yes", "yeah", "yep", "yup", "ya", "yea", "sure", "please", "definitely", "absolutely", "y"]
    static let filler: Set<String> = [
        "it", "is", "that", "thats", "would", "be", "great", "go", "ahead", "do", "thanks", "thank", "you", "its", "fine", "im",
        "good", "all", "i", "am", "the", "one", "need", "want", "to", "a", "person", "human", "agent", "now", "just", "really",
    ]

    /// Like `read`, and also a longer message that opens with the answer: "no thanks, I'll see if
    /// a second box turns up first", "yeah go on then". A question after a yes is not a yes.
    static func readLeading(_ words: [String], question: Bool) -> Answer {
        let plain = read(words)
        guard plain == .unclear, let first = words.first else { return plain }
        if ["no", "nope", "nah"].contains(first) { return .no }
        if strongYes.contains(first) || ["fine", "ok", "okay"].contains(first), !question, words.count <= 8 { return .yes }
        return .unclear
    }

    static func read(_ words: [String]) -> Answer {
        guard !words.isEmpty, words.count <= 7 else { return .unclear }
        let known = words.allSatisfy { yesWords.contains($0) || noWords.contains($0) || filler.contains($0) }
        guard known else { return .unclear }
        if words.contains(where: noWords.contains) { return .no }
        if words.contains(where: yesWords.contains) { return .yes }
        return .unclear
    }
}
