/// "Who's the carrier?", "and the tracking number?", "eta": a question about a field of a record
/// the conversation already names (an order). The answer is in the data, so the lookup runs (after
/// its identity check), whatever article the words alone would match. Fields are the columns of
/// the lookup's table that its replies show, so another company's tables work the same way.
///
/// ```swift
/// // order A10239 known; "whos the carrier on it" → lookup_order (asks for the email, then "… with UPS …")
/// ```
extension Engine {
    /// The intent whose lookup answers a question about a field of a record the conversation
    /// knows, or nil. `message` is how many words the message has; long messages say more than a
    /// field name and are left to the matcher.
    func dataQuestion(_ text: AnalyzedText, state: ConversationState) -> (intent: Int, fields: [String])? {
        guard text.tokens.count <= PolicyThresholds.dataQuestionWords else { return nil }
        let words = Set(text.tokens.map(\.text))
        var best: (intent: Int, fields: [String])?
        for (index, intent) in knowledge.intents.enumerated() {
            guard let name = intent.action, let action = knowledge.action(named: name), state.slots[action.keySlot] != nil,
                let table = knowledge.table(named: action.table)
            else { continue }
            let shown = Set(action.replies.values.flatMap { ResponseTemplate.placeholders(in: $0).map(\.name) })
            let fields = table.columns.filter { column in
                column != action.keyColumn && column != action.verifyColumn && shown.contains(column) && words.contains(column)
            }
            if !fields.isEmpty, fields.count > (best?.fields.count ?? 0) { best = (index, fields) }
        }
        return best
    }
}
