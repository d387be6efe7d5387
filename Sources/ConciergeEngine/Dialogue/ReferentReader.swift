/// "How do I wash *them* so they stay fluffy?" after the customer said which towels: the pronoun
/// stands for the thing the conversation named, and the message alone says too little to read
/// with confidence. This reader reads it again with the pronoun replaced by the remembered name
/// (a value of a list entity, such as a product or a store) and takes that reading when it is
/// confident and the plain one was not. It never overrides a confident reading: "can I return
/// it?" is a return whatever "it" is.
///
/// ```swift
/// // remembered product: Turkish Cotton Bath Towel
/// // "how do i wash them" → read as "how do i wash Turkish Cotton Bath Towel" → care_towels
/// ```
extension Engine {
    /// Pronouns that may stand for a thing named earlier ("the new *one*").
    static let referringPronouns: Set<String> = ["it", "them", "they", "those", "these", "one", "ones"]

    /// The message read with its first pronoun replaced by a remembered name, when that reading is
    /// confident and `plain` is not; nil otherwise.
    func readingWithReferent(_ plain: Understanding, state: ConversationState) -> Understanding? {
        guard (plain.best?.confidence ?? 0) < settings.answerThreshold,
            plain.text.tokens.count <= PolicyThresholds.referentWords,
            !plain.text.entities.contains(where: { !analyzer.placeholderEntities.contains($0.entity) }),
            let pronoun = plain.text.tokens.first(where: { !$0.isEntity && Self.referringPronouns.contains($0.text) })
        else { return nil }
        var names: [String] = []
        for definition in knowledge.entities where !analyzer.placeholderEntities.contains(definition.name) {
            for slot in slotNames(forEntity: definition.name) {
                if let value = state.slots[slot], !names.contains(value) { names.append(value) }
            }
        }
        var best: Understanding?
        let scalars = Array(plain.text.sanitized.unicodeScalars)
        guard pronoun.range.upperBound <= scalars.count else { return nil }
        for name in names {
            var replaced = scalars
            replaced.replaceSubrange(pronoun.range, with: Array(name.unicodeScalars))
            var view = String.UnicodeScalarView()
            view.append(contentsOf: replaced)
            let reading = understand(String(view))
            guard let candidate = reading.best, candidate.confidence >= settings.answerThreshold,
                candidate.intent.map({ knowledge.intents[$0].kind == .task }) ?? true,
                candidate.confidence > (best?.best?.confidence ?? 0)
            else { continue }
            best = reading
        }
        guard var reading = best else { return nil }
        reading.text = plain.text
        return reading
    }
}
