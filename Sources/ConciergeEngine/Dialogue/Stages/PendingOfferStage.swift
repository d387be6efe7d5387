/// The answer to the offer of a person: yes (in words, or by naming a person), no, or something
/// else, which is read as a new message.
enum PendingOfferStage: TurnStage {
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool {
        guard case .handoffOffer(let reason) = context.pending else { return false }
        context.state.pending = .nothing
        let words = context.words
        // "ok thats everything", "ok thanks": a closing, not a yes to a person.
        if context.closing, !words.contains(where: YesNo.strongYes.contains) { return false }
        // "can someone just do both for me": after the offer, naming a person is taking it.
        let namesPerson = words.contains(where: PersonRequestReader.personNouns.contains) && !PersonRequestReader.declinesAPerson(words)
        let answer = namesPerson ? .yes : YesNo.readLeading(words, question: context.asksQuestion)
        switch answer {
        case .yes:
            context.read(
                DialogueAct(.answerPending, detail: "yes", evidence: namesPerson ? "takes the offer of a person" : "says yes to a person", won: true))
            context.decide("The customer accepted the offer of a person.")
            engine.handOff(reason, intent: nil, in: &context)
            return true
        case .no where reason == .repeatedFailure && saysNotHelped(context.understanding, engine: engine):
            // "no, that didn't help either": a no to the answers, not to a person.
            context.state.failures += 1
            context.read(DialogueAct(.notHelpful, evidence: "says again that the answers did not help", won: true))
            context.decide("Offered a person after answers that did not help, the customer said again they did not: handing off.")
            engine.handOff(reason, intent: nil, in: &context)
            return true
        case .no:
            context.read(DialogueAct(.answerPending, detail: "no", evidence: "declines the offer of a person", won: true))
            context.turn.action = .smalltalk
            context.turn.reply = engine.settings.texts.declined + " " + engine.settings.fill(engine.settings.texts.anythingElse)
            context.decide("The customer declined the offer of a person.")
            return true
        case .unclear:
            return false
        }
    }

    /// True when the message reads as "that didn't help" (the knowledge's not-helpful intent leads).
    static func saysNotHelped(_ understanding: Understanding, engine: Engine) -> Bool {
        engine.isNotHelpful(understanding.intents.best?.intent)
    }
}
