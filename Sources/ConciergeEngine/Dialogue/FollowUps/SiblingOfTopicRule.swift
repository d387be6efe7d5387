/// "What about furniture?" after the return policy: on its own it reads as furniture delivery,
/// but the same team's furniture returns is what it means. A candidate from the topic's team wins
/// over a better one from another team when the message leans on the topic ("and…", "what
/// about…"), provided it reads better than the topic itself: "and for express?" after shipping
/// options is still about shipping options, however a weak late-delivery reading ranks.
enum SiblingOfTopicRule: FollowUpRule {
    static func read(_ message: FollowUp, engine: Engine) -> FollowUpOutcome {
        let plain = message.plain, topic = message.topic
        let topicOnItsOwn = plain.candidates.first { $0.key == topic.key }?.confidence ?? 0
        guard message.leaning, let team = message.topicTeam, let best = plain.best, engine.team(of: best) != team,
            let related = plain.candidates.first(where: { candidate in
                candidate.key != topic.key && candidate.confidence >= 0.1 && engine.team(of: candidate) == team
                    && candidate.intent.map { engine.knowledge.intents[$0].kind == .task } == true
            }), related.confidence > topicOnItsOwn
        else { return .undecided }
        // Read within the topic's team: its candidates only, the related one in the place of the
        // best reading it displaced.
        var promoted = plain
        var first = related
        first.confidence = max(related.confidence, best.confidence)
        promoted.candidates = [first] + plain.candidates.filter { candidate in
            candidate.key != related.key && candidate.confidence < first.confidence - engine.settings.clarifyMargin
                && engine.team(of: candidate) == team
        }
        promoted.isOutOfScope = false
        return .reading(promoted)
    }
}
