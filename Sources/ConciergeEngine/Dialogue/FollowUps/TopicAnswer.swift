/// What a follow-up is measured against: the answer the topic gave (its words, its team), and
/// which answer a message leans on when a turn gave two.
extension Engine {
    /// True when every content word of `text` names a kind of thing the shop's list entities hold
    /// ("rugs", "the denver one"), and there is at least one.
    func namesOnlyThings(_ text: AnalyzedText) -> Bool {
        let words = contentWords(text)
        return !words.isEmpty && words.allSatisfy(thingStems.contains)
    }

    /// True when `candidate` elaborates the topic rather than changes the subject: its answer speaks
    /// of everything the topic's label names (furniture returns' answer speaks of returns, so "what
    /// about my furniture?" after the return policy is for it; the points answer says nothing of
    /// deleting an account, so "and my Circle points?" after that answer stays with it).
    func refines(_ candidate: Understanding.Candidate, topic: ConversationState.Topic) -> Bool {
        guard candidate.key != topic.key, let index = candidate.intent, let name = topic.intent, let topicIndex = intentIndex[name] else { return false }
        let subject = Set(analyzer.analyzeAuthored(knowledge.intents[topicIndex].label).map(\.stem).filter { !Stopwords.english.contains($0) })
        guard !subject.isEmpty else { return false }
        let intent = knowledge.intents[index]
        let answer = answerText(of: .init(key: candidate.key, intent: intent.name, article: intent.answer, turn: topic.turn))
        return subject.isSubset(of: Set(analyzer.analyzeAuthored(answer).map(\.stem)))
    }

    /// "So when does it arrive?" after an order's status: "it" is the order, and the message asks a
    /// confident question of its own about that same record. True when the plain reading is another
    /// task intent, read at the answer threshold, that takes a value of the same kind as the topic's
    /// request (both are about an order, a gift card…). "Does it expire?" after the points answer
    /// stays on the topic: gift-card expiry takes a card, which points are not.
    func asksAnotherAspect(_ plain: Understanding, topic: ConversationState.Topic) -> Bool {
        guard let best = plain.best, best.key != topic.key, best.confidence >= settings.answerThreshold, let index = best.intent,
            let topicIndex = topic.intent.flatMap({ intentIndex[$0] })
        else { return false }
        let asked = knowledge.intents[index], answered = knowledge.intents[topicIndex]
        guard asked.kind == .task else { return false }
        let entities = Set(answered.slots.map(\.entity))
        return asked.slots.contains { entities.contains($0.entity) }
    }

    /// The team (queue) of an intent candidate; nil for an article.
    func team(of candidate: Understanding.Candidate) -> String? {
        candidate.intent.flatMap { knowledge.intents[$0].queue }
    }

    /// "Is *the collection* free?" after an answer that said the piece is collected: a short message
    /// naming with "the" something the last answer spoke of points back at that answer.
    func refersToAnswer(_ text: AnalyzedText, topic: ConversationState.Topic) -> Bool {
        let tokens = text.tokens
        guard tokens.count <= PolicyThresholds.definiteReferenceWords else { return false }
        let named = tokens.indices.dropFirst().filter { tokens[$0 - 1].text == "the" && !tokens[$0].isEntity && !Stopwords.english.contains(tokens[$0].stem) }
        guard !named.isEmpty else { return false }
        let said = Set(analyzer.analyzeAuthored(answerText(of: topic)).map(\.stem))
        return named.contains { said.contains(tokens[$0].stem) }
    }

    /// The text the topic's answer showed: the intent's response and its article.
    func answerText(of topic: ConversationState.Topic) -> String {
        var answer = ""
        if let name = topic.intent, let index = intentIndex[name] { answer += (knowledge.intents[index].response ?? "") + " " }
        if let id = topic.article, let index = articleIndex[id] { answer += knowledge.articles[index].chatText }
        return answer
    }

    /// The answer a follow-up leans on: the topic, or when its turn answered two questions, the
    /// answer that speaks of more of the message's words ("how quickly is it ready?" after pickup
    /// and sales tax is about pickup).
    func leanedOnTopic(_ plain: Understanding, state: ConversationState) -> ConversationState.Topic? {
        guard let topic = state.topic else { return nil }
        if let also = state.alsoAnswered, also.turn == topic.turn, echoCount(plain.text, topic: also) > echoCount(plain.text, topic: topic) {
            return also
        }
        return topic
    }

    /// How many content words of the message appear in the answer the topic gave.
    func echoCount(_ text: AnalyzedText, topic: ConversationState.Topic) -> Int {
        let said = Set(analyzer.analyzeAuthored(answerText(of: topic)).map(\.stem))
        return Set(contentWords(text)).filter(said.contains).count
    }

    /// True when every content word of the message appears in the answer the topic gave.
    func echoesTopic(_ text: AnalyzedText, topic: ConversationState.Topic) -> Bool {
        let words = Set(
            text.tokens.filter { !$0.isEntity && !Stopwords.english.contains($0.stem) && !Self.questionWords.contains($0.text) }.map(\.stem))
        guard !words.isEmpty else { return false }
        let said = Set(analyzer.analyzeAuthored(answerText(of: topic)).map(\.stem))
        return words.isSubset(of: said)
    }
}
