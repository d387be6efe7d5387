import Foundation

/// Lookup actions: answering from a data table after checking the customer may see the row.
extension Engine {
    func lookup(_ action: LookupAction, intent index: Int, in context: inout TurnContext) {
        let intent = knowledge.intents[index]
        guard let table = knowledge.table(named: action.table) else {
            context.turn.explanation.decision = "The lookup \(action.name) has no table \(action.table): handing off."
            handOff(.actionFailed, intent: index, in: &context)
            return
        }
        guard let key = context.state.slots[action.keySlot] else {
            if let requirement = slotRequirement(action.keySlot, of: intent) { ask(requirement, for: intent, in: &context) }
            return
        }
        let found = table.row(where: action.keyColumn, equals: key)
        if action.verifySlot != nil {
            // Checked before anything is said about the key, even whether it exists.
            guard checkIdentity(action, key: key, row: found, intent: index, in: &context),
                let found
            else { return }
            context.state.lookupFailures[action.keySlot] = nil
            answer(action, row: found, key: key, intent: intent, in: &context)
            return
        }
        guard let row = found else {
            let failures = (context.state.lookupFailures[action.keySlot] ?? 0) + 1
            context.state.lookupFailures[action.keySlot] = failures
            context.state.slots[action.keySlot] = nil  // Not a real value: forget it, so it is asked again.
            context.turn.explanation.rejected = action.keySlot
            if failures >= 2 || settings.handoff.triggers.contains(.actionFailed) == false {
                context.turn.explanation.decision = "No \(action.table) row has \(action.keyColumn) = \(key), twice: handing off."
                handOff(.actionFailed, intent: index, in: &context)
                context.turn.reply = fill(action.notFound, state: context.state, extra: [action.keySlot: key]) + " " + context.turn.reply
                return
            }
            context.turn.explanation.decision = "No \(action.table) row has \(action.keyColumn) = \(key): asking again."
            if let requirement = slotRequirement(action.keySlot, of: intent) {
                ask(requirement, for: intent, in: &context, attempts: 1)
                context.turn.reply = fill(action.notFound, state: context.state, extra: [action.keySlot: key]) + " " + (requirement.hint ?? "") + " "
                    + fill(requirement.prompt, state: context.state)
            }
            return
        }
        context.state.lookupFailures[action.keySlot] = nil
        answer(action, row: row, key: key, intent: intent, in: &context)
    }

    /// Answers from the row: the reply its `by` column chooses, filled from its columns.
    private func answer(
        _ action: LookupAction, row: [String: String], key: String, intent: Intent, in context: inout TurnContext
    ) {
        let values = Self.values(of: row, now: context.now, timeZone: timeZone)
        let choice = Self.choice(of: action, row: row, values: values)
        let template = Self.template(in: action.replies, choice: choice) ?? ""
        context.turn.action = .answer
        context.turn.reply = ResponseTemplate.fillDroppingEmpty(settings.fill(template)) { name in values[name] ?? context.state.slots[name] }
        if let article = intent.answer.flatMap({ articleIndex[$0] }) {
            context.turn.articles = [Turn.ArticleScore(id: knowledge.articles[article].id, score: score(of: article, in: context.understanding))]
        }
        context.state.answered.append("intent:" + intent.name)
        context.turn.explanation.decision = "Looked up \(action.keyColumn) = \(key) in \(action.table)"
            + (choice.map { " (\(action.by ?? "") = \($0))" } ?? "") + " and answered from the row."
    }

    /// The row's values as replies show them (dates as "November 3"), with `X_passed` for each
    /// date column `X`: `yes` once the date is behind `now`.
    static func values(of row: [String: String], now: Date?, timeZone: TimeZone) -> [String: String] {
        var values: [String: String] = [:]
        for (column, value) in row {
            values[column] = DateText.friendly(value)
            if let now, isISODate(value) { values[column + "_passed"] = DateText.iso(now, timeZone: timeZone) > value ? "yes" : "no" }
        }
        return values
    }

    /// The record the conversation is about, as the first lookup whose key it knows names it (its
    /// `summary`, else the key slot and its value): "order A10234 (delivered November 3)".
    func recordSummary(_ state: ConversationState) -> String? {
        for action in knowledge.actions {
            guard let key = state.slots[action.keySlot] else { continue }
            if let row = knowledge.table(named: action.table)?.row(where: action.keyColumn, equals: key) {
                let values = Self.values(of: row, now: nil, timeZone: timeZone)
                if let template = Self.template(in: action.summaries, choice: Self.choice(of: action, row: row, values: values)) {
                    return ResponseTemplate.fillDroppingEmpty(template) { values[$0] ?? state.slots[$0] }
                }
            }
            return Self.words(ofSlot: action.keySlot) + " " + key
        }
        return nil
    }

    /// A slot's name as words: `order_id` → "order", `account_number` → "account number".
    static func words(ofSlot name: String) -> String {
        var words = name.split(separator: "_").map(String.init)
        if words.count > 1, words.last == "id" { words.removeLast() }
        return words.joined(separator: " ")
    }

    /// The value of the action's `by` column that picks the text (`none` when empty), or nil
    /// when the action has no `by`.
    static func choice(of action: LookupAction, row: [String: String], values: [String: String]) -> String? {
        action.by.map { by -> String in
            let value = isISODate(row[by] ?? "") ? (row[by] ?? "") : (values[by] ?? "")
            return value.isEmpty ? "none" : value.lowercased()
        }
    }

    /// The text `choice` picks from `templates`: its own, else `default`, else the first by name.
    static func template(in templates: [String: String], choice: String?) -> String? {
        choice.flatMap { templates[$0] } ?? templates["default"] ?? templates.values.sorted().first
    }

    static func isISODate(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || ($0.element >= 0x30 && $0.element <= 0x39) }
    }
}
