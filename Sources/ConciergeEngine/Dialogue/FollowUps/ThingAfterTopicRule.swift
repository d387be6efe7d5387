/// "What about rugs?" after returning an order at a store: the kind of thing the shop sells is all
/// the fragment names, so it asks the topic's question about that thing, however well "rugs" alone
/// reads as rug care. A reading from the topic's own team is that question about the other thing,
/// and stands: "and the wool throw?" after linen care is wool care.
enum ThingAfterTopicRule: FollowUpRule {
    static func read(_ message: FollowUp, engine: Engine) -> FollowUpOutcome {
        guard message.leaning, let index = message.topicIntent, engine.knowledge.intents[index].kind == .task,
            message.plain.best.map({ engine.team(of: $0) != message.topicTeam }) ?? true,
            engine.namesOnlyThings(message.plain.text), let topic = engine.candidate(forKey: message.topic.key, confidence: 1)
        else { return .undecided }
        return .reading(engine.reading(message.plain, ledBy: topic))
    }
}
