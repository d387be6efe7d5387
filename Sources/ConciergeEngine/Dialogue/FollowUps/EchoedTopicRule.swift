/// "Does it expire?" after the points answer, which says when points expire: the topic's own
/// answer holds every word the customer asks about, so it is about the topic; so is "and my Circle
/// points?" after the answer on deleting an account, which says what happens to them.
///
/// A pronoun and one word ("does *it* expire?") point at the subject just answered, so when that
/// answer covers the word asked about, the topic wins however well the word alone reads elsewhere
/// ("can I return it at a store?" says more, and is read on its own). This comes after
/// ``SiblingOfTopicRule``, so a sibling that answers the word specifically ("what about
/// furniture?" → furniture returns) wins over the answer that only mentions it.
enum EchoedTopicRule: FollowUpRule {
    static func read(_ message: FollowUp, engine: Engine) -> FollowUpOutcome {
        let plain = message.plain, topic = message.topic, words = message.words
        let pointing = words.contains(where: Engine.pointingWords.contains) && message.contentWords.count <= 1
        guard engine.isElliptical(plain.text), let topicCandidate = engine.candidate(forKey: topic.key, confidence: 1),
            engine.echoesTopic(plain.text, topic: topic),
            pointing || (Engine.isFragment(words) && !(plain.best.map { engine.refines($0, topic: topic) } ?? false))
                || (plain.best.map({ $0.key == topic.key || $0.confidence < PolicyThresholds.followUpOverride }) ?? true)
        else { return .undecided }
        return .reading(engine.reading(plain, ledBy: topicCandidate))
    }
}
