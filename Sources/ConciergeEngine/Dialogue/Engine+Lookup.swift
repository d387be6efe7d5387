import Foundation

/// Lookup actions: answering from a data table after checking the customer may see the row.
extension Engine {
    func lookup(_ action: LookupAction, intent index: Int, understanding: Understanding, state: inout ConversationState, turn: inout Turn, now: Date) {
        let intent = knowledge.intents[index]
        guard let table = knowledge.table(named: action.table) else {
            turn.explanation.decision = "The lookup \(action.name) has no table \(action.table): handing off."
            handOff(.actionFailed, intent: index, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        }
        guard let key = state.slots[action.keySlot] else {
            if let requirement = slotRequirement(action.keySlot, of: intent) { ask(requirement, for: intent, state: &state, turn: &turn) }
            return
        }
        let found = table.row(where: action.keyColumn, equals: key)
        if action.verifySlot != nil {
            // Checked before anything is said about the key, even whether it exists.
            guard checkIdentity(action, key: key, row: found, intent: index, understanding: understanding, state: &state, turn: &turn, now: now),
                let found
            else { return }
            state.lookupFailures[action.keySlot] = nil
            answer(action, row: found, key: key, intent: intent, understanding: understanding, state: &state, turn: &turn, now: now)
            return
        }
        guard let row = found else {
            let failures = (state.lookupFailures[action.keySlot] ?? 0) + 1
            state.lookupFailures[action.keySlot] = failures
            state.slots[action.keySlot] = nil  // Not a real value: forget it, so it is asked again.
            turn.explanation.rejected = action.keySlot
            if failures >= 2 || settings.handoff.triggers.contains(.actionFailed) == false {
                turn.explanation.decision = "No \(action.table) row has \(action.keyColumn) = \(key), twice: handing off."
                handOff(.actionFailed, intent: index, understanding: understanding, state: &state, turn: &turn, now: now)
                turn.reply = fill(action.notFound, state: state, extra: [action.keySlot: key]) + " " + turn.reply
                return
            }
            turn.explanation.decision = "No \(action.table) row has \(action.keyColumn) = \(key): asking again."
            if let requirement = slotRequirement(action.keySlot, of: intent) {
                ask(requirement, for: intent, state: &state, turn: &turn, attempts: 1)
                turn.reply = fill(action.notFound, state: state, extra: [action.keySlot: key]) + " " + (requirement.hint ?? "") + " "
                    + fill(requirement.prompt, state: state)
            }
            return
        }
        state.lookupFailures[action.keySlot] = nil
        answer(action, row: row, key: key, intent: intent, understanding: understanding, state: &state, turn: &turn, now: now)
    }

    /// Answers from the row: the reply its `by` column chooses, filled from its columns.
    private func answer(
        _ action: LookupAction, row: [String: String], key: String, intent: Intent, understanding: Understanding, state: inout ConversationState,
        turn: inout Turn, now: Date
    ) {
        // The reply chosen by the row.
        var values: [String: String] = [:]
        for (column, value) in row {
            values[column] = DateText.friendly(value)
            if Self.isISODate(value) { values[column + "_passed"] = DateText.iso(now, timeZone: timeZone) > value ? "yes" : "no" }
        }
        let choice = action.by.map { by -> String in
            let value = Self.isISODate(row[by] ?? "") ? (row[by] ?? "") : (values[by] ?? "")
            return value.isEmpty ? "none" : value.lowercased()
        }
        let template = choice.flatMap { action.replies[$0] } ?? action.replies["default"] ?? action.replies.values.sorted().first ?? ""
        turn.action = .answer
        turn.reply = ResponseTemplate.fillDroppingEmpty(settings.fill(template)) { name in values[name] ?? state.slots[name] }
        if let article = intent.answer.flatMap({ articleIndex[$0] }) {
            turn.articles = [Turn.ArticleScore(id: knowledge.articles[article].id, score: score(of: article, in: understanding))]
        }
        state.answered.append("intent:" + intent.name)
        turn.explanation.decision = "Looked up \(action.keyColumn) = \(key) in \(action.table)"
            + (choice.map { " (\(action.by ?? "") = \($0))" } ?? "") + " and answered from the row."
    }

    static func isISODate(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || ($0.element >= 0x30 && $0.element <= 0x39) }
    }
}
