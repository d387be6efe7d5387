public import Foundation

/// Conversation memory: every value the customer mentions, slot filling, corrections and follow-ups.
extension Engine {
    /// Keeps every entity value mentioned, under the slot names that use its entity (an order number
    /// fills `order_id`) or its own name. Returns the slot whose known value the message changed.
    @discardableResult
    func remember(_ entities: [EntityMatch], in state: inout ConversationState) -> (slot: String, value: String)? {
        var changed: (slot: String, value: String)?
        for entity in entities {
            for slot in slotNames(forEntity: entity.entity) {
                if let old = state.slots[slot], old != entity.value { changed = (slot, entity.value) }
                state.slots[slot] = entity.value
                note(slot: slot, value: entity.value, in: &state)
            }
        }
        return changed
    }

    /// Records a value in the per-slot history of mentions (for "the other one").
    func note(slot: String, value: String, in state: inout ConversationState) {
        var values = state.mentioned[slot] ?? []
        values.removeAll { $0 == value }
        values.append(value)
        if values.count > 5 { values.removeFirst(values.count - 5) }
        state.mentioned[slot] = values
    }

    /// The slot names an entity fills: every intent slot that uses it, or the entity's own name.
    func slotNames(forEntity entity: String) -> [String] {
        slotsByEntity[entity] ?? [entity]
    }

    /// Words that mark a message as a correction of something said before.
    static let correctionCues: Set<String> = ["sorry", "actually", "mean", "meant", "oops", "wrong", "typo", "correction", "instead", "rather", "mistake"]

    static func isCorrection(_ text: AnalyzedText) -> Bool {
        let words = text.tokens.map(\.text)
        return words.contains(where: correctionCues.contains) || (words.count <= 4 && words.first == "no")
    }

    /// Handles the customer's reply to a slot question; false when the message is something else and
    /// should be read afresh.
    func handleSlotAnswer(
        intent intentName: String, slot slotName: String, attempts: Int, in context: inout TurnContext
    ) -> Bool {
        let upset = context.upset
        guard let index = intentIndex[intentName] else {
            context.state.pending = .nothing
            return false
        }
        let intent = knowledge.intents[index]
        let requirement = slotRequirement(slotName, of: intent)
        let entity = requirement?.entity ?? slotName
        let words = context.understanding.text.tokens.map(\.text)

        // The value itself (remember() has already stored it).
        if context.understanding.text.entities.contains(where: { $0.entity == entity }), context.state.slots[slotName] != nil {
            context.state.pending = .nothing
            // Giving the value confirms the reading: the other readings are no longer the next best.
            context.state.alternatives = []
            context.turn.explanation.decision = "The customer gave \(slotName) = \(context.state.slots[slotName] ?? "")."
            executeIntent(index, confidence: 1, in: &context)
            return true
        }
        // "The other one": let the topic logic switch values.
        if words.contains(where: Self.otherCues.contains), (context.state.mentioned.values.contains { $0.count >= 2 }) {
            context.state.pending = .nothing
            return false
        }
        // Declining: answer as well as possible without it.
        if Self.isDecline(words) {
            context.state.pending = .nothing
            context.state.declined.append(slotName)
            context.turn.explanation.decision = "The customer declined to give \(slotName); answering without it."
            if let article = intent.answer.flatMap({ articleIndex[$0] }) {
                answer(article: article, key: "intent:" + intent.name, intent: intent.name, in: &context)
                context.turn.intent = Turn.IntentScore(name: intent.name, confidence: 1)
                context.turn.reply = settings.texts.declined + " " + context.turn.reply
            } else {
                context.turn.action = .smalltalk
                context.turn.reply = settings.texts.declined + " " + settings.fill(settings.texts.anythingElse)
            }
            return true
        }
        // "btw my email is …" while the order number is asked: a value for the conversation, not a
        // new request (not how to change an email); noted, and the question still stands.
        if Self.givesOnlyValues(context.text), let requirement {
            let values = context.text.entities.map(\.value).joined(separator: ", ")
            context.read(DialogueAct(.inform, detail: values, evidence: "only values, while \(slotName) is asked", won: true))
            ask(requirement, for: intent, in: &context, attempts: attempts)
            context.turn.intent = Turn.IntentScore(name: intent.name, confidence: 1)
            context.turn.reply = settings.fill(settings.texts.notedBeforeChoice).replacingOccurrences(of: "{values}", with: values) + " "
                + Self.question(of: fill(requirement.prompt, state: context.state))
            context.decide("Only values (no \(slotName)) while \(slotName) is asked: noted them and asked again.")
            return true
        }
        // Something else entirely: answer it, then come back to the question once. "It's the blue
        // one" has the shape of an answer to the question, however its words read on their own.
        let answersInShape = words.count <= 6 && (["its", "thats"].contains(words.first) || words.starts(with: ["it", "is"]))
        if !answersInShape, let best = context.understanding.best, best.confidence >= settings.answerThreshold, best.intent != index,
            best.intent.map({ knowledge.intents[$0].kind != .smalltalk }) ?? true
        {
            let pending = context.state.pending
            let resumed = context.state.resumeOffered
            context.state.pending = .nothing
            context.turn.explanation.decision = "A new question while waiting for \(slotName): answering it, then returning to \(intent.label)."
            execute(best, in: &context)
            // "That didn't help" is about the request the question serves: it is not resumed.
            if case .nothing = context.state.pending, context.state.handoff == nil, context.turn.action == .answer, !resumed, !isNotHelpful(best.intent),
                let requirement
            {
                context.state.pending = pending
                context.state.resumeOffered = true
                let label = intent.label.prefix(1).lowercased() + intent.label.dropFirst()
                context.turn.reply += "\n\n" + settings.texts.resume.replacingOccurrences(of: "{label}", with: label) + " "
                    + Self.question(of: fill(requirement.prompt, state: context.state))
                context.turn.asked = slotName
            }
            return true
        }
        // Not a valid value: say so once, with the hint; then stop asking.
        guard let requirement else {
            context.state.pending = .nothing
            return false
        }
        if attempts == 0, words.count <= 8 {
            // An upset customer hears an apology, not "that doesn't look right".
            ask(requirement, for: intent, in: &context, hint: true, attempts: 1, preamble: upset ? settings.fill(settings.texts.apology) : nil)
            context.turn.explanation.decision = "The answer was not a valid \(slotName)\(upset ? " (and the customer is upset)" : ""): asking again with a hint."
            return true
        }
        context.state.pending = .nothing
        if attempts > 0 {
            context.turn.explanation.decision = "Still no valid \(slotName) after a hint: stop asking."
            context.state.declined.append(slotName)
            fallback(in: &context, offerHuman: true)
            context.turn.reply = settings.fill(settings.texts.unreadable) + " " + settings.fill(settings.texts.offerHuman)
            return true
        }
        return false
    }

    /// The requirement for `slot`: one of the intent's slots, or its lookup's verification slot.
    func slotRequirement(_ slot: String, of intent: Intent) -> SlotRequirement? {
        if let declared = intent.slots.first(where: { $0.name == slot }) { return declared }
        if let name = intent.action, let action = knowledge.action(named: name), action.verifySlot == slot {
            return SlotRequirement(name: slot, entity: slot, prompt: action.verifyPrompt ?? "What's the \(slot)?")
        }
        return nil
    }

    static let declines: Set<String> = [
        "dont", "know", "idk", "dunno", "no", "not", "sure", "skip", "cant", "find", "have", "it", "i", "lost", "remember",
        "rather", "prefer", "no", "nope", "none", "without", "later", "forgot", "the", "number", "that", "one", "any", "do",
        "sorry", "its", "unknown", "n/a", "na",
    ]
    static let declineCores: Set<String> = ["dont", "idk", "dunno", "skip", "cant", "lost", "forgot", "rather", "prefer", "none", "no", "nope", "not", "without", "unknown", "na"]

    /// "I don't know", "ugh i dont have the number on me rn": a short message that says the customer
    /// hasn't got the value, with at most a few words besides.
    static func isDecline(_ words: [String]) -> Bool {
        guard !words.isEmpty, words.count <= 12, words.contains(where: declineCores.contains), !words.contains("help") else { return false }
        if words.count <= 4 || words.allSatisfy(declines.contains) { return words.allSatisfy(declines.contains) }
        // Longer: a core that says "haven't got it" (not a bare "no"), and at most three other words.
        let strong = words.contains { declineCores.contains($0) && !["no", "not", "nope"].contains($0) }
        return strong && words.filter { !declines.contains($0) }.count <= 3
    }

    static let otherCues: Set<String> = ["other", "another", "second", "first", "previous", "earlier"]

    /// "What about the other one?" when two values of a slot were mentioned: switches to the other.
    func otherOne(_ text: AnalyzedText, state: inout ConversationState) -> (slot: String, value: String)? {
        let words = text.tokens.map(\.text)
        guard words.count <= 7, words.contains(where: Self.otherCues.contains), text.entities.isEmpty,
            let topic = state.topic, let name = topic.intent, let index = intentIndex[name]
        else { return nil }
        for slot in knowledge.intents[index].slots {
            guard let values = state.mentioned[slot.name], values.count >= 2, let current = state.slots[slot.name],
                let other = values.last(where: { $0 != current })
            else { continue }
            state.slots[slot.name] = other
            note(slot: slot.name, value: other, in: &state)
            return (slot.name, other)
        }
        return nil
    }

    // MARK: - Returning customers

    /// Prepares a conversation for a returning customer: what is known about them is remembered
    /// (never asked again), and the welcome mentions the order they last asked about when it is recent.
    ///
    /// - Returns: the welcome text.
    public func welcomeBack(
        _ state: inout ConversationState, customerID: String, name: String?, known: [String: String], recentOrder: (id: String, learnedAt: Date)?,
        now: Date
    ) -> String {
        state.customerID = customerID
        for (slot, value) in known.sorted(by: { $0.key < $1.key }) where state.slots[slot] == nil {
            state.slots[slot] = value
            note(slot: slot, value: value, in: &state)
        }
        let first = (name ?? "").split(separator: " ").first.map(String.init) ?? "there"
        guard let order = recentOrder else {
            return settings.fill(settings.texts.welcomeBack).replacingOccurrences(of: "{name}", with: first)
        }
        state.pending = .confirmation(slot: "order_id", value: order.id)
        return settings.fill(settings.texts.welcomeBackOrder).replacingOccurrences(of: "{name}", with: first)
            .replacingOccurrences(of: "{order}", with: order.id)
            .replacingOccurrences(of: "{when}", with: Self.relativeDay(order.learnedAt, now: now, timeZone: timeZone))
    }

    /// "today", "yesterday", "Monday" (within a week) or "November 3".
    static func relativeDay(_ date: Date, now: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let days = calendar.dateComponents([.day], from: calendar.startOfDay(for: date), to: calendar.startOfDay(for: now)).day ?? 0
        let weekday = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"][calendar.component(.weekday, from: date) - 1]
        switch days {
        case 0: return "today"
        case 1: return "yesterday"
        case -1: return "tomorrow"
        case 2...6: return "last " + weekday
        case -6 ... -2: return weekday
        default:
            return DateText.long(date, timeZone: timeZone)
        }
    }
}

/// Dates as a support team writes them: "November 3".
enum DateText {
    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    static func long(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.month, .day], from: date)
        return "\(months[(parts.month ?? 1) - 1]) \(parts.day ?? 1)"
    }

    /// "2026-11-03" → "November 3"; anything else unchanged.
    static func friendly(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let month = Int(parts[1]), let day = Int(parts[2]), (1...12).contains(month) else {
            return iso
        }
        return "\(months[month - 1]) \(day)"
    }

    /// The ISO date ("2026-11-03") of `date` in `timeZone`.
    static func iso(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts.year ?? 1970)-\(two(parts.month ?? 1))-\(two(parts.day ?? 1))"
    }
}
