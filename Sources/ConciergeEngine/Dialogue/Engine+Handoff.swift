public import Foundation

/// Handing a conversation to a person: the decision, the summary, and what the customer is told.
extension Engine {
    /// Hands the conversation off: sets the handoff state and fills the turn. `intent` is the intent
    /// that asked for it (a request for a person, a policy intent), if any.
    func handOff(_ reason: HandoffReason, intent: Int?, in context: inout TurnContext) {
        // A policy intent names its team; otherwise the team of the topic the customer was on.
        let topicQueue = context.state.topic?.intent.flatMap { intentIndex[$0] }.flatMap { knowledge.intents[$0].queue }
        let intentQueue = intent.flatMap { knowledge.intents[$0].queue }
        let queue = (reason == .customerRequest ? topicQueue ?? intentQueue : intentQueue ?? topicQueue) ?? settings.handoff.defaultQueue
        var request = HandoffRequest(id: "", reason: reason, queue: queue)
        request.sentiment = sentiment(of: context.state)
        request.priority = priority(reason: reason, sentiment: request.sentiment)
        request.summary = summary(reason: reason, intent: intent, state: context.state)
        request.suggestedArticles = suggestions(state: context.state, understanding: context.understanding)
        context.state.handoff = .init(id: "", reason: reason, queue: queue)
        context.state.pending = .nothing
        context.turn.action = .handoff
        context.turn.handoff = request
        if let intent { context.turn.intent = Turn.IntentScore(name: knowledge.intents[intent].name, confidence: context.turn.intent?.confidence ?? 1) }
        let text: String
        if let intent, let response = knowledge.intents[intent].response {
            text = fill(response, state: context.state)
        } else {
            let texts = settings.texts
            switch reason {
            case .frustration: text = settings.fill(texts.handoffFrustration)
            case .lowConfidence: text = settings.fill(texts.handoffLowConfidence)
            case .repeatedFailure: text = settings.fill(texts.handoffRepeatedFailure)
            case .actionFailed: text = settings.fill(texts.handoffActionFailed)
            case .customerRequest: text = settings.fill(texts.handoffCustomerRequest)
            case .policy: text = settings.fill(texts.handoffPolicy)
            }
        }
        context.turn.reply = text
    }

    /// `frustrated`, `negative`, `neutral` or `positive`, from the conversation's mood.
    func sentiment(of state: ConversationState) -> String {
        if state.mood >= settings.handoff.frustrationThreshold { return "frustrated" }
        if state.mood >= 0.25 || state.failures > 0 { return "negative" }
        return "neutral"
    }

    /// 1 (most urgent) to 4: frustrated customers and policy matters first.
    func priority(reason: HandoffReason, sentiment: String) -> Int {
        switch reason {
        case .frustration: return 1
        case .policy, .repeatedFailure: return sentiment == "frustrated" ? 1 : 2
        case .actionFailed, .lowConfidence, .customerRequest: return sentiment == "frustrated" ? 1 : sentiment == "negative" ? 2 : 3
        }
    }

    /// A short, deterministic account for the agent: what the customer wants, with which order, what
    /// they read, whether it helped, and how they feel.
    public func summary(reason: HandoffReason, intent: Int?, state: ConversationState) -> String {
        var parts: [String] = []
        var want: String
        if let intent, knowledge.intents[intent].kind == .handoff, knowledge.intents[intent].handoffReason != .customerRequest {
            want = knowledge.intents[intent].label
        } else if let name = state.topic?.intent, let index = intentIndex[name] {
            want = knowledge.intents[index].label
        } else if let article = state.topic?.article, let index = articleIndex[article] {
            want = knowledge.articles[index].title
        } else if let last = state.recentMessages.last {
            want = "Asked “" + (last.count > 60 ? String(last.prefix(57)) + "..." : last) + "”"
        } else {
            want = "Wants to talk to a person"
        }
        if let record = recordSummary(state) { want += " for " + record }
        parts.append(want)
        let read = state.shownArticles.suffix(2).compactMap { articleIndex[$0].map { "“\(knowledge.articles[$0].title)”" } }
        if !read.isEmpty { parts.append("read " + read.joined(separator: " and ")) }
        if state.failures == 1 { parts.append("said it didn't help") }
        if state.failures > 1 { parts.append("said \(state.failures) answers didn't help") }
        switch reason {
        case .customerRequest: parts.append("asked for a person")
        case .lowConfidence: parts.append("the bot wasn't sure what they meant")
        case .repeatedFailure: if state.failures == 0 { parts.append("the bot couldn't answer twice") }
        case .actionFailed: parts.append("the lookup failed")
        case .policy, .frustration: break
        }
        if state.mood >= settings.handoff.frustrationThreshold {
            parts.append("frustrated" + (state.frustrationSignals.isEmpty ? "" : " (" + state.frustrationSignals.prefix(2).joined(separator: ", ") + ")"))
        }
        return parts.joined(separator: "; ")
    }

    /// Articles for the agent: the one about the topic, what the customer's recent questions
    /// retrieve with some confidence (not "yes" or "that didn't help"), then what they were shown.
    func suggestions(state: ConversationState, understanding: Understanding) -> [HandoffRequest.SuggestedArticle] {
        var ids: [String] = []
        if let topic = state.topic?.article { ids.append(topic) }
        let questions = state.recentMessages.suffix(3).filter { message in
            let words = analyzer.analyze(message).tokens.map(\.text)
            return words.count >= 3 && YesNo.read(words) == .unclear
        }
        if !questions.isEmpty {
            let recent = analyzer.analyze(questions.joined(separator: " "))
            for hit in retriever.search(recent, limit: 3) where hit.confidence >= 0.5 && !ids.contains(knowledge.articles[hit.article].id) {
                ids.append(knowledge.articles[hit.article].id)
            }
        }
        for id in state.shownArticles.reversed() where !ids.contains(id) { ids.append(id) }
        return ids.prefix(3).compactMap { id in articleIndex[id].map { .init(id: id, title: knowledge.articles[$0].title) } }
    }

    // MARK: - What the customer is told

    /// The team's time zone.
    public var timeZone: TimeZone { TimeZone(identifier: settings.handoff.timeZone) ?? TimeZone(secondsFromGMT: 0)! }

    /// Whether agents are on duty at `date`.
    public func teamIsOpen(at date: Date) -> Bool {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        guard let hours = settings.handoff.hours[parts.weekday ?? 1] else { return false }
        return hours.contains((parts.hour ?? 0) * 60 + (parts.minute ?? 0))
    }

    /// When the team next opens after `date` (or `date` itself when open).
    public func nextOpening(after date: Date) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if teamIsOpen(at: date) { return date }
        let start = calendar.startOfDay(for: date)
        for offset in 0..<8 {
            guard let day = calendar.date(byAdding: .day, value: offset, to: start) else { continue }
            let weekday = calendar.component(.weekday, from: day)
            guard let hours = settings.handoff.hours[weekday] else { continue }
            let opening = day.addingTimeInterval(TimeInterval(hours.lowerBound * 60))
            if opening > date { return opening }
        }
        return nil
    }

    /// "by 10:00 tomorrow" style promise for a reply when nobody is on duty.
    public func replyPromise(after date: Date) -> (deadline: Date, text: String)? {
        guard let opening = nextOpening(after: date) else { return nil }
        let deadline = opening.addingTimeInterval(TimeInterval(settings.handoff.replyWithinHours * 3600))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute], from: deadline)
        let time = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
        let day = Self.relativeDay(deadline, now: date, timeZone: timeZone)
        return (deadline, "\(time) " + (["today", "tomorrow"].contains(day) ? day : "on " + day))
    }

    /// What the customer is told once the handoff is in the queue: their place and the wait, or,
    /// out of hours, the reference number and the promise.
    public func handoffNotice(id: String, position: Int?, promise: String?) -> String {
        if let promise {
            return settings.fill(settings.texts.handoffClosed).replacingOccurrences(of: "{id}", with: id)
                .replacingOccurrences(of: "{promise}", with: promise)
        }
        let place = max(position ?? 1, 1)
        return settings.fill(settings.texts.handoffQueued).replacingOccurrences(of: "{position}", with: String(place))
            .replacingOccurrences(of: "{wait}", with: waitText(position: place)).replacingOccurrences(of: "{id}", with: id)
    }

    /// The estimated wait for the customer at `position` ("6 minutes").
    public func waitText(position: Int) -> String {
        let minutes = Int((Double(position) * settings.handoff.minutesPerCustomer).rounded(.up))
        return minutes <= 1 ? "a minute" : "\(minutes) minutes"
    }

    /// What the customer is told about a message sent while still waiting.
    public func waitingNotice(position: Int?) -> String {
        settings.fill(settings.texts.handoffWaiting).replacingOccurrences(of: "{position}", with: String(max(position ?? 1, 1)))
    }
}

/// What Concierge hands over to the agent, beyond the conversation state.
extension Settings {
    /// The first-response target of `queue`, in minutes.
    public func firstResponseMinutes(queue: String) -> Double { queues[queue]?.firstResponseMinutes ?? 10 }
}
