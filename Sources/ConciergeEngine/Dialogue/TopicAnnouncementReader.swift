/// "Question about my gift card", "got a q about my circle membership thing", "need help with a
/// return": the customer names a subject and has not yet asked anything about it. Answering the
/// likeliest question of that subject is a guess; a good agent asks which, so the bot offers the
/// subject's questions (the reading's candidates from the same team as the best one).
///
/// ```swift
/// // "question about my gift card" → "did you mean: 1. Gift card balance 2. Redeem a gift card …"
/// ```
extension Engine {
    /// Words that announce a subject rather than ask about it.
    static let announcementNouns: Set<String> = [
        "question", "questions", "q", "qs", "query", "queries", "issue", "issues", "problem", "problems", "help", "something", "enquiry", "inquiry",
    ]
    /// What ties the announcement to its subject ("about my gift card", "with a return").
    static let announcementLinks: Set<String> = ["about", "with", "regarding", "re", "concerning", "on", "abt", "bout"]
    /// Words that carry no subject of their own in an announcement.
    static let announcementFiller: Set<String> = [
        "got", "have", "had", "i", "a", "an", "the", "my", "our", "quick", "small", "little", "one", "thing", "stuff", "need", "want",
        "some", "another", "hi", "hello", "hey", "please", "pls", "so", "um", "just", "general", "few",
    ]

    /// The subject's questions to offer, when the message only announces a subject; nil otherwise.
    func announcementOptions(_ understanding: Understanding) -> [Understanding.Candidate]? {
        let words = understanding.text.tokens.map(\.text)
        guard words.count <= PolicyThresholds.announcementWords,
            let link = words.firstIndex(where: Self.announcementLinks.contains), link > 0,
            words[..<link].contains(where: Self.announcementNouns.contains),
            words[..<link].allSatisfy({ Self.announcementNouns.contains($0) || Self.announcementFiller.contains($0) })
        else { return nil }
        // The subject: at most a few words, and no question of its own ("…about my order, where is it?").
        let subject = understanding.text.tokens[(link + 1)...].filter { token in
            !Self.announcementFiller.contains(token.text) && !Stopwords.english.contains(token.stem)
        }
        guard !subject.isEmpty, subject.count <= PolicyThresholds.announcementSubjectWords,
            !subject.contains(where: { MessageSegmenter.questionOpeners.contains($0.text) || Self.questionWords.contains($0.text) }),
            let best = understanding.best
        else { return nil }
        // The subject's questions: the intents whose label names the subject ("Gift card balance",
        // "Redeem a gift card"), the best-read first; else the reading's candidates of the best one's team.
        let stems = Set(subject.map(\.stem))
        let confidence = Dictionary(understanding.candidates.map { ($0.key, $0.confidence) }, uniquingKeysWith: max)
        var named: [(candidate: Understanding.Candidate, overlap: Int)] = []
        for (index, intent) in knowledge.intents.enumerated() where intent.kind == .task {
            let overlap = Set(analyzer.analyzeAuthored(intent.label).map(\.stem)).intersection(stems).count
            guard overlap > 0 else { continue }
            let key = "intent:" + intent.name
            let article = intent.answer.flatMap { articleIndex[$0] }
            named.append((Understanding.Candidate(key: key, label: intent.label, confidence: confidence[key] ?? 0, intent: index, article: article), overlap))
        }
        named.sort { ($0.overlap, $0.candidate.confidence) > ($1.overlap, $1.candidate.confidence) }
        if named.count >= 2 { return Array(named.prefix(settings.maximumChoices).map(\.candidate)) }
        guard let bestTeam = team(of: best) else { return nil }
        let options = understanding.candidates.filter { candidate in
            candidate.confidence >= PolicyThresholds.announcementOptionFloor && team(of: candidate) == bestTeam
                && candidate.intent.map { knowledge.intents[$0].kind == .task } == true
        }
        return options.count >= 2 ? Array(options.prefix(settings.maximumChoices)) : nil
    }
}
