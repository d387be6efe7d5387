public import Foundation

/// A turn, stage by stage. `respond` masks and reads the message (`begin`), lets the readers
/// narrow the reading (`readActs`), then runs the stages in order until one replies:
///
/// | stage | file | what it handles |
/// |---|---|---|
/// | held by a person | `Stages/HeldByPersonStage.swift` | the conversation is with an agent: the bot stays quiet |
/// | empty message | `Stages/EmptyMessageStage.swift` | nothing, or only symbols |
/// | a person, please | `Stages/PersonRequestStage.swift` | any phrasing of a request for a person |
/// | no person | `Stages/DeclinedPersonStage.swift` | "no thanks, I don't need a person" |
/// | frustration | `Stages/FrustrationStage.swift` | mood over the threshold |
/// | correction | `Stages/CorrectionStage.swift` | "sorry, it's A10235" |
/// | pending question | `Stages/Pending*Stage.swift` | the answer to what the bot asked |
/// | closing | `Stages/ClosingStage.swift` | thanks, goodbye, "k" |
/// | data question | `Stages/DataQuestionStage.swift` | "who's the carrier?" about a known record |
/// | the other one | `Stages/OtherValueStage.swift` | "what about the other order?" |
/// | unprompted value | `Stages/UnpromptedValueStage.swift` | "btw my email is …" for the open request |
/// | values only | `Stages/ValuesOnlyStage.swift` | "A10234" |
/// | decision | `Stages/DecisionStage.swift` | answer, clarify or fall back on the reading |
extension Engine {
    /// The policy's stages, in the order they read a message.
    static let stages: [any TurnStage.Type] = [
        PersonRequestStage.self,
        DeclinedPersonStage.self,
        FrustrationStage.self,
        CorrectionStage.self,
        PendingClarificationStage.self,
        PendingSlotStage.self,
        PendingOfferStage.self,
        PendingConfirmationStage.self,
        ClosingStage.self,
        DataQuestionStage.self,
        OtherValueStage.self,
        UnpromptedValueStage.self,
        ValuesOnlyStage.self,
        DecisionStage.self,
    ]

    /// Replies to one customer message and updates the conversation. `now` is the conversation's
    /// clock (injected, so replays are exact); it decides return windows and the like.
    public func respond(to message: String, in state: inout ConversationState, now: Date) -> Turn {
        var context = begin(message, state: state, now: now)
        run(&context)
        state = context.state
        var turn = context.turn
        if let what = turn.explanation.masked.first {
            let notice = settings.fill(settings.texts.masked).replacingOccurrences(of: "{what}", with: what)
            turn.reply = turn.reply.isEmpty ? notice : notice + "\n" + turn.reply
        }
        turn.slots = state.slots
        turn.explanation.mood = rounded(state.mood)
        return turn
    }

    /// Masks the message, reads it, remembers the values it gives and updates the mood.
    func begin(_ message: String, state initial: ConversationState, now: Date) -> TurnContext {
        var state = initial
        state.turnCount += 1
        let pending = state.pending
        let masked = Redactor.mask(message, continuingCard: state.cardInProgress == true)
        state.cardInProgress = masked.endsWithPartialCard ? true : nil
        var turn = Turn(
            number: state.turnCount, customer: masked.text, reply: "", action: .fallback, intent: nil, articles: [], asked: nil,
            slots: [:], handoff: nil, explanation: Explanation())
        turn.explanation.masked = masked.masked

        let understanding = understand(masked.text)
        let text = understanding.text
        turn.explanation.stems = text.stems
        turn.explanation.corrections = text.corrections
        turn.explanation.entities = text.entities
        let corrected = remember(text.entities, in: &state)
        let words = text.tokens.map(\.text)
        let reading = FrustrationDetector.read(masked.text, words: words)
        state.mood = FrustrationDetector.mood(previous: state.mood, reading: reading)
        state.frustrationSignals.append(contentsOf: reading.signals.filter { !state.frustrationSignals.contains($0) })
        if !text.tokens.isEmpty {
            state.recentMessages.append(masked.text.count > 300 ? String(masked.text.prefix(300)) : masked.text)
            if state.recentMessages.count > 6 { state.recentMessages.removeFirst(state.recentMessages.count - 6) }
        }
        return TurnContext(
            message: message, now: now, state: state, turn: turn, text: text, words: words, understanding: understanding, pending: pending,
            corrected: corrected, upset: !reading.signals.isEmpty, closing: ClosingReader.read(words, asks: masked.text.contains("?"), values: !text.entities.isEmpty))
    }

    /// Runs the turn: the stages that need no reading, the readers, then the policy's stages.
    func run(_ context: inout TurnContext) {
        if HeldByPersonStage.reply(&context, engine: self) || EmptyMessageStage.reply(&context, engine: self) { return }
        readActs(&context)
        explain(context.understanding, into: &context.turn)
        for stage in Self.stages where stage.reply(&context, engine: self) { break }
        markWinner(&context.turn)
    }

    /// The act readers, each of which may replace the reading the policy acts on, in order: the
    /// values given (informs), the request without greetings and filler (`MessageSegmenter`), a
    /// question about what the bot is (`BotQuestionReader`), the request without product and store
    /// names (`NamedThingReader`), against the topic (`FollowUpReader`) and with a pronoun read as
    /// the thing named before (`ReferentReader`).
    func readActs(_ context: inout TurnContext) {
        for entity in context.text.entities {
            context.read(DialogueAct(.inform, detail: "\(entity.entity) = \(entity.value)", evidence: "a value in the message"))
        }
        if let best = context.understanding.intents.best, !context.understanding.intents.namesSetAside.isEmpty {
            let names = context.understanding.intents.namesSetAside.joined(separator: ", ")
            context.read(
                DialogueAct(
                    .request, detail: knowledge.intents[best.intent].name,
                    evidence: "the classifier's reading rested on the names in it (\(names)): read without them"))
        }
        // "That didn't help" needs something that was said: as the first message it is not a reading.
        if context.turn.number == 1 { context.understanding = withoutNotHelpful(context.understanding) }
        readSegments(&context)
        if let talk = readingOfBotQuestion(context.understanding, words: context.words) {
            context.read(DialogueAct(.smalltalk, detail: talk.best?.label, evidence: "asks what the bot is"))
            context.understanding = talk
        }
        if let unnamed = readingWithoutNames(context.understanding) {
            let names = unnamed.text.entities.filter { !analyzer.placeholderEntities.contains($0.entity) }.map(\.text)
            context.read(DialogueAct(.request, detail: unnamed.best?.label, evidence: "read without the names in it (\(names.joined(separator: ", ")))"))
            context.understanding = unnamed
        }
        // "ok thanks, going to do it now" is a closing, never a follow-up.
        if !context.closing, let topic = leanedOnTopic(context.understanding, state: context.state),
            let contextual = followUp(context.understanding, topic: topic, state: context.state)
        {
            context.turn.explanation.followUpOf = topic.intent ?? topic.article
            context.read(
                DialogueAct(
                    .followUp, detail: context.turn.explanation.followUpOf,
                    evidence: "leans on the last answer" + (contextual.best.map { ": reads as \($0.label) (\(format($0.confidence)))" } ?? "")))
            context.understanding = contextual
        }
        if let referent = readingWithReferent(context.understanding, state: context.state) {
            context.read(DialogueAct(.request, detail: referent.best?.label, evidence: "read with the thing named earlier in the place of the pronoun"))
            context.understanding = referent
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
}
