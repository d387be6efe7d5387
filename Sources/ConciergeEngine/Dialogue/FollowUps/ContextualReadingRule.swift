/// The last rule: a message that leans on the topic without naming its own subject, or that the
/// classifier reads unsure, is read again with the topic's label beside it ("is that yearly? —
/// Larkspur Circle membership"). That reading wins when it is sure enough, and another reading
/// only by a clear margin: a confident new subject ("what about furniture returns?" after an
/// order's status) or a plausible sibling question of the same team ("and does it expire?" after
/// the gift card balance).
enum ContextualReadingRule: FollowUpRule {
    static func read(_ message: FollowUp, engine: Engine) -> FollowUpOutcome {
        let plain = message.plain, topic = message.topic, words = message.words, settings = engine.settings
        let leaning = message.leaning, plainBest = message.plainBest
        let elliptical = engine.isElliptical(plain.text) || engine.refersToAnswer(plain.text, topic: topic)
        guard leaning || elliptical || plainBest < settings.answerThreshold || plain.best?.key == topic.key else { return .notAFollowUp }
        var context = ""
        if let index = message.topicIntent { context += " " + engine.knowledge.intents[index].label }
        if let id = topic.article, let index = engine.articleIndex[id] { context += " " + engine.knowledge.articles[index].title }
        guard !context.isEmpty else { return .notAFollowUp }
        let contextual = engine.understand(withContext: plain.text.sanitized + " —" + context)
        guard let best = contextual.best, best.confidence >= settings.answerThreshold, leaning || elliptical || best.confidence > plainBest + 0.1
        else {
            // "How often?", "how long?": only the shape of a question, so it asks about the topic
            // itself, unless an intent reads the words alone confidently (an article that merely
            // shares "how long" with them does not count).
            if engine.isShapeOnly(plain.text), words.count <= 4, (plain.intents.candidates.first?.confidence ?? 0) < settings.answerThreshold,
                let topicCandidate = engine.candidate(forKey: topic.key, confidence: 1)
            {
                return .reading(engine.reading(plain, ledBy: topicCandidate))
            }
            return .notAFollowUp
        }
        // Read in context it is the answer just given, but on its own it is a confident new subject,
        // or a plausible sibling question of the same team: that wins.
        if best.key == topic.key, let other = plain.best, other.key != topic.key {
            let sibling = message.topicTeam != nil && engine.team(of: other) == message.topicTeam
            // A message with no subject of its own ("how often?") cannot be about a sibling.
            // The sibling leads, so a reading of another team that only shares a word ("does it cost
            // anything?" after a return: shipping costs) is no rival to it.
            if sibling && other.confidence >= settings.fallbackThreshold && !engine.isShapeOnly(plain.text) {
                return .reading(engine.reading(plain, ledBy: other))
            }
            // "And how much is the pickup?" right after an answer that mentions the pickup fee is
            // about that answer, however confidently "pickup" alone reads as store pickup.
            // "And to a debit card?": a fragment, the question's verb left to the last answer, is
            // as much the topic's as a message with no subject of its own.
            // An article read on word overlap alone ("you send also?" → unsubscribing from emails
            // we send) is no confident new subject either.
            let needed =
                (elliptical && !leaning) || Engine.isFragment(words) || other.intent == nil ? PolicyThresholds.followUpOverride : settings.answerThreshold
            if other.confidence >= needed && !engine.echoesTopic(plain.text, topic: topic) { return .notAFollowUp }
        }
        // Keep the customer's own analysis (entities, words) for memory and explanations.
        var merged = contextual
        merged.text = plain.text
        // "Why only that much though?" right after the refund's status: read in context it is the
        // answer just given, which the customer has read and questions. The same team's next
        // reading ("Why was I refunded only part?") says something new; the same answer would not.
        if best.key == topic.key, topic.turn == message.state.turnCount - 1, Engine.questionsTheAnswer(words),
            let sibling = contextual.candidates.dropFirst().first(where: { candidate in
                candidate.confidence >= PolicyThresholds.questionedAnswerSibling && message.topicTeam != nil
                    && engine.team(of: candidate) == message.topicTeam
                    && candidate.intent.map { engine.knowledge.intents[$0].kind == .task } == true
            })
        {
            var first = sibling
            first.confidence = best.confidence
            // The topic, read as surely as the sibling, is left behind it.
            merged = engine.reading(merged, ledBy: first)
        }
        return .reading(merged)
    }
}
