/// Messages that lean on nothing, however short: the answer to the bot's question for a value, a
/// value the topic's request takes, another question about the same record, "that didn't help",
/// an acknowledgement, and a message with nothing to lean with. Each is read on its own. A longer
/// message, or one without a word that leans, is a follow-up only when it reads unsure right after
/// the answer and names little of its own.
enum NotAFollowUpRule: FollowUpRule {
    static func read(_ message: FollowUp, engine: Engine) -> FollowUpOutcome {
        let plain = message.plain, topic = message.topic, words = message.words
        guard message.state.turnCount - topic.turn <= PolicyThresholds.topicLifetime else { return .notAFollowUp }
        // The answer to a question for a value ("banana" for the order number) is read as such,
        // and a message that gives a value the topic's request takes ("oh wait, found it: A10235")
        // is an inform for that request: neither is a question about the topic.
        if case .slot = message.state.pending { return .notAFollowUp }
        if let index = message.topicIntent, UnpromptedValueStage.informs(plain.text, request: index, engine: engine) { return .notAFollowUp }
        // "So the robe is stuck with me?" right after what can't be returned: no pointing word, but
        // unsure on its own and with little subject of its own, it may still be about the answer.
        let unsure = message.plainBest < engine.settings.answerThreshold && topic.turn == message.state.turnCount - 1
            && message.contentWords.count <= PolicyThresholds.unsureFollowUpSubjects
        guard words.count <= 9 || (unsure && words.count <= PolicyThresholds.unsureFollowUpWords),
            words.contains(where: Engine.followUpCues.contains) || words.count <= 3 || engine.refersToAnswer(plain.text, topic: topic) || unsure
        else { return .notAFollowUp }
        if engine.asksAnotherAspect(plain, topic: topic) { return .notAFollowUp }
        // "That didn't help" is about the last answer, never a question on its topic.
        if let best = plain.best, engine.isNotHelpful(best.intent),
            best.confidence >= engine.settings.answerThreshold
        {
            return .notAFollowUp
        }
        // "k", "ok thanks", "cool ty": an acknowledgement, not a question about the topic.
        if let best = plain.best, let index = best.intent, engine.knowledge.intents[index].kind == .smalltalk,
            best.confidence >= PolicyThresholds.smallTalkFloor
                || (message.contentWords.isEmpty && !words.contains(where: Engine.questionWords.contains)), !message.leaning
        {
            return .notAFollowUp
        }
        // Nothing to lean with: no subject, no pointing word, no question shape ("how often?" has one).
        if message.contentWords.isEmpty, !message.leaning, !words.contains(where: Engine.pointingWords.contains),
            !words.contains(where: Engine.questionWords.contains)
        {
            return .notAFollowUp
        }
        return .undecided
    }
}
