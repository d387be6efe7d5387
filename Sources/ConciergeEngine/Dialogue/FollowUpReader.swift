/// Follow-ups: a short message read against the conversation's topic ("and for express?", "is
/// that yearly?", "what about furniture?"), and when another reading wins over it.
extension Engine {
    /// Follow-up cues: words that lean on what was said before.
    static let followUpCues: Set<String> = [
        "that", "it", "this", "those", "these", "and", "also", "about", "what", "how", "then", "same", "too", "there", "one", "them",
        "they", "else", "either", "instead", "thing", "ones",
    ]

    /// Words that point back at the subject without naming it ("is *that* yearly?", "and *there*?").
    static let pointingWords: Set<String> = ["that", "it", "its", "thats", "this", "those", "these", "there", "them", "they", "same", "too", "one", "ones", "either"]

    /// The words of a message that name a subject: not stop words, cues or question shapes.
    func contentWords(_ text: AnalyzedText) -> [String] {
        text.tokens.filter {
            !$0.isEntity && !Stopwords.english.contains($0.stem) && !Self.followUpCues.contains($0.text) && !Self.questionWords.contains($0.text)
                && !MessageSegmenter.fillerWords.contains($0.text)
        }.map(\.stem)
    }

    /// True for a message that leans on the topic without naming a subject of its own: a pointing
    /// word or an opening like "and…", with at most two content words ("is that yearly?", "and the
    /// address?", "does it cost anything?").
    func isElliptical(_ text: AnalyzedText) -> Bool {
        let words = text.tokens.map(\.text)
        guard words.count <= 9 else { return false }
        let leans = Self.leansOnTopic(words) || words.contains(where: Self.pointingWords.contains)
        return (leans && contentWords(text).count <= 2) || isShapeOnly(text)
    }

    /// "How often?", "how much?": only the shape of a question, its subject left to the topic.
    func isShapeOnly(_ text: AnalyzedText) -> Bool {
        text.tokens.contains(where: { Self.questionWords.contains($0.text) }) && contentWords(text).isEmpty
    }

    /// Openings that always lean on the topic: "and for express?", "what about returns?".
    static func leansOnTopic(_ words: [String]) -> Bool {
        guard let first = words.first else { return false }
        return first == "and" || first == "also" || first == "same" || (words.count >= 2 && ["what", "how"].contains(first) && words[1] == "about")
    }

    /// A short message read against `topic` (the one it leans on, `leanedOnTopic`), when that
    /// reading is clearly better.
    func followUp(_ plain: Understanding, topic: ConversationState.Topic, state: ConversationState) -> Understanding? {
        guard state.turnCount - topic.turn <= PolicyThresholds.topicLifetime else { return nil }
        // The answer to a question for a value ("banana" for the order number) is read as such,
        // and a message that gives a value the topic's request takes ("oh wait, found it: A10235")
        // is an inform for that request: neither is a question about the topic.
        if case .slot = state.pending { return nil }
        if let index = topic.intent.flatMap({ intentIndex[$0] }), UnpromptedValueStage.informs(plain.text, request: index, engine: self) { return nil }
        let words = plain.text.tokens.map(\.text)
        guard words.count <= 9, words.contains(where: Self.followUpCues.contains) || words.count <= 3 || refersToAnswer(plain.text, topic: topic) else {
            return nil
        }
        let plainBest = plain.best?.confidence ?? 0
        let leaning = Self.leansOnTopic(words)
        if asksAnotherAspect(plain, topic: topic) { return nil }
        // "That didn't help" is about the last answer, never a question on its topic.
        if let best = plain.best, let index = best.intent, knowledge.intents[index].name == Self.notHelpfulIntent,
            best.confidence >= settings.answerThreshold
        {
            return nil
        }
        // "k", "ok thanks", "cool ty": an acknowledgement, not a question about the topic.
        if let best = plain.best, let index = best.intent, knowledge.intents[index].kind == .smalltalk,
            best.confidence >= PolicyThresholds.smallTalkFloor
                || (contentWords(plain.text).isEmpty && !words.contains(where: Self.questionWords.contains)), !leaning
        {
            return nil
        }
        // Nothing to lean with: no subject, no pointing word, no question shape ("how often?" has one).
        if contentWords(plain.text).isEmpty, !leaning, !words.contains(where: Self.pointingWords.contains),
            !words.contains(where: Self.questionWords.contains)
        {
            return nil
        }
        // "What about furniture?" after the return policy: on its own it reads as furniture delivery,
        // but the same team's furniture returns is what it means. A candidate from the topic's team
        // wins over a better one from another team when the message leans on the topic.
        let topicTeam = topic.intent.flatMap { intentIndex[$0] }.flatMap { knowledge.intents[$0].queue }
        // The sibling must read better than the topic itself: "and for express?" after shipping
        // options is still about shipping options, however a weak late-delivery reading ranks.
        let topicOnItsOwn = plain.candidates.first { $0.key == topic.key }?.confidence ?? 0
        if leaning, let team = topicTeam, let best = plain.best, self.team(of: best) != team,
            let related = plain.candidates.first(where: { candidate in
                candidate.key != topic.key && candidate.confidence >= 0.1 && self.team(of: candidate) == team
                    && candidate.intent.map { knowledge.intents[$0].kind == .task } == true
            }), related.confidence > topicOnItsOwn
        {
            // Read within the topic's team: its candidates only, the related one in the place of
            // the best reading it displaced.
            var promoted = plain
            var first = related
            first.confidence = max(related.confidence, best.confidence)
            promoted.candidates = [first] + plain.candidates.filter { candidate in
                candidate.key != related.key && candidate.confidence < first.confidence - settings.clarifyMargin
                    && self.team(of: candidate) == team
            }
            promoted.isOutOfScope = false
            return promoted
        }
        // "What about rugs?" after returning an order at a store: the kind of thing the shop sells is
        // all the fragment names, so it asks the topic's question about that thing, however well
        // "rugs" alone reads as rug care. A reading from the topic's own team is that question
        // about the other thing, and stands: "and the wool throw?" after linen care is wool care.
        if leaning, let index = topic.intent.flatMap({ intentIndex[$0] }), knowledge.intents[index].kind == .task,
            plain.best.map({ self.team(of: $0) != topicTeam }) ?? true,
            namesOnlyThings(plain.text), let topicCandidate = candidate(forKey: topic.key, confidence: 1)
        {
            return reading(plain, ledBy: topicCandidate)
        }
        // "Does it expire?" after the points answer, which says when points expire: the topic's own
        // answer holds every word the customer asks about, so it is about the topic; so is "and my
        // Circle points?" after the answer on deleting an account, which says what happens to them.
        // A pronoun and one word ("does *it* expire?") point at the subject just answered, so when
        // that answer covers the word asked about, the topic wins however well the word alone reads
        // elsewhere ("can I return it at a store?" says more, and is read on its own). This comes
        // after the team's own reading above, so a sibling that answers the word specifically
        // ("what about furniture?" → furniture returns) wins over the answer that only mentions it.
        let pointing = words.contains(where: Self.pointingWords.contains) && contentWords(plain.text).count <= 1
        if isElliptical(plain.text), let topicCandidate = candidate(forKey: topic.key, confidence: 1), echoesTopic(plain.text, topic: topic),
            pointing || (Self.isFragment(words) && !(plain.best.map { refines($0, topic: topic) } ?? false))
                || (plain.best.map({ $0.key == topic.key || $0.confidence < PolicyThresholds.followUpOverride }) ?? true)
        {
            return reading(plain, ledBy: topicCandidate)
        }
        // A message that leans on the topic without naming its own subject is read against the topic
        // first: another reading wins only by a clear margin (below).
        let elliptical = isElliptical(plain.text) || refersToAnswer(plain.text, topic: topic)
        guard leaning || elliptical || plainBest < settings.answerThreshold || plain.best?.key == topic.key else { return nil }
        var context = ""
        if let name = topic.intent, let index = intentIndex[name] { context += " " + knowledge.intents[index].label }
        if let id = topic.article, let index = articleIndex[id] { context += " " + knowledge.articles[index].title }
        guard !context.isEmpty else { return nil }
        let contextual = understand(withContext: plain.text.sanitized + " —" + context)
        guard let best = contextual.best, best.confidence >= settings.answerThreshold,
            leaning || elliptical || best.confidence > plainBest + 0.1
        else {
            // "How often?", "how long?": only the shape of a question, so it asks about the topic
            // itself, unless an intent reads the words alone confidently (an article that merely
            // shares "how long" with them does not count).
            if isShapeOnly(plain.text), words.count <= 4, (plain.intents.candidates.first?.confidence ?? 0) < settings.answerThreshold,
                let topicCandidate = candidate(forKey: topic.key, confidence: 1)
            {
                return reading(plain, ledBy: topicCandidate)
            }
            return nil
        }
        // Read in context it is the answer just given, but on its own it is a confident new subject
        // ("what about furniture returns?" after an order's status), or a plausible sibling question
        // of the same team ("and does it expire?" after the gift card balance): that wins.
        if best.key == topic.key, let other = plain.best, other.key != topic.key {
            let sibling = topicTeam != nil && team(of: other) == topicTeam
            // A message with no subject of its own ("how often?") cannot be about a sibling.
            if sibling && other.confidence >= settings.fallbackThreshold && !isShapeOnly(plain.text) { return nil }
            // "And how much is the pickup?" right after an answer that mentions the pickup fee is
            // about that answer, however confidently "pickup" alone reads as store pickup.
            // "And to a debit card?": a fragment, the question's verb left to the last answer, is
            // as much the topic's as a message with no subject of its own.
            // An article read on word overlap alone ("you send also?" → unsubscribing from emails
            // we send) is no confident new subject either.
            let needed =
                (elliptical && !leaning) || Self.isFragment(words) || other.intent == nil ? PolicyThresholds.followUpOverride : settings.answerThreshold
            if other.confidence >= needed && !echoesTopic(plain.text, topic: topic) { return nil }
        }
        // Keep the customer's own analysis (entities, words) for memory and explanations.
        var merged = contextual
        merged.text = plain.text
        // "Why only that much though?" right after the refund's status: read in context it is the
        // answer just given, which the customer has read and questions. The same team's next
        // reading ("Why was I refunded only part?") says something new; the same answer would not.
        if best.key == topic.key, topic.turn == state.turnCount - 1, Self.questionsTheAnswer(words),
            let sibling = contextual.candidates.dropFirst().first(where: { candidate in
                candidate.confidence >= PolicyThresholds.questionedAnswerSibling && topicTeam != nil && team(of: candidate) == topicTeam
                    && candidate.intent.map { knowledge.intents[$0].kind == .task } == true
            })
        {
            var first = sibling
            first.confidence = best.confidence
            // The topic, read as surely as the sibling, is left behind it.
            merged = reading(merged, ledBy: first)
        }
        return merged
    }

    /// True when every content word of `text` names a kind of thing the shop's list entities hold
    /// ("rugs", "the denver one"), and there is at least one.
    func namesOnlyThings(_ text: AnalyzedText) -> Bool {
        let words = contentWords(text)
        return !words.isEmpty && words.allSatisfy(thingStems.contains)
    }

    /// "And to a debit card?", "what about for furniture?", "also with express?": an opening that
    /// leans on the topic followed by a preposition, the rest of the question left unsaid.
    /// "And my Circle points?" too: a noun phrase alone, its verb ("will I lose…") left unsaid.
    static func isFragment(_ words: [String]) -> Bool {
        guard leansOnTopic(words) else { return false }
        let rest = words.drop { ["and", "also", "same", "what", "how", "about", "then", "so"].contains($0) }
        return rest.first.map { fragmentPrepositions.contains($0) || fragmentDeterminers.contains($0) } ?? false
    }

    static let fragmentPrepositions: Set<String> = ["to", "for", "with", "on", "in", "at", "by", "from", "into", "onto", "via", "over", "under"]
    static let fragmentDeterminers: Set<String> = ["my", "the", "your", "our", "his", "her", "their", "a", "an"]

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

    /// "Why…", "how come…": a question about the answer itself rather than for it again.
    static func questionsTheAnswer(_ words: [String]) -> Bool {
        words.first == "why" || (words.count >= 2 && words[0] == "how" && words[1] == "come")
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

    /// Words that shape a question rather than name its subject ("how much", "how long").
    static let questionWords: Set<String> = ["much", "many", "long", "often", "soon", "far", "big", "old", "cost", "costs", "price"]

}
