/// "Is the dutch oven covered if the enamel chips?" asks about the warranty, not how to care for
/// cast iron. The classifier learned its care intents from examples full of product names, so a
/// name alone can carry its reading to one of them while the rest of the message asks something
/// else. The matcher therefore also reads a message that names a product or a store (an entity from a
/// list of values) without the name's words, and takes that reading when the first one rested on
/// the name: without it, the first reading's intent all but disappears, while the reading without
/// the name is nearly as confident. "How do I clean my oak table" keeps its care reading: without
/// "oak table" nothing else is as confident. "Can I return a sofa" keeps the furniture return:
/// without "sofa" it is still a return. Only a request can replace a reading: without its name,
/// "hey, did my dutch oven ship?" must not become a greeting.
///
/// `NamedThingReader` works on the whole reading (classifier and articles together) after it; this
/// works on the classifier's evidence alone, so an article that rightly shares the product's
/// words still counts.
///
/// ```swift
/// // "is the dutch oven covered if the enamel chips": care_cast_iron leads on "dutch oven";
/// // without the name it all but disappears and what the warranty covers leads: the warranty.
/// let intents = engine.matchIntents(engine.analyzer.analyze(message), patterns: true)
/// intents.namesSetAside   // ["dutch oven"]
/// ```
extension Engine {
    /// The intents for `text`, read without its named things when the first reading rests on them.
    func matchIntents(_ text: AnalyzedText, patterns: Bool) -> IntentMatcher.Match {
        let match = matcher.match(text, patterns: patterns)
        guard let first = match.best, let unnamed = withoutNamedThings(text) else { return match }
        let nameFree = matcher.match(unnamed, patterns: patterns)
        guard let other = nameFree.best, other.intent != first.intent, knowledge.intents[other.intent].kind == .task,
            other.confidence >= first.confidence * PolicyThresholds.nameFreeShare
        else { return match }
        let residue = nameFree.candidates.first { $0.intent == first.intent }?.confidence ?? 0
        guard residue < first.confidence * PolicyThresholds.nameCarriedResidue else { return match }
        var reading = nameFree
        reading.namesSetAside = namedThings(in: text).map(\.text)
        return reading
    }

    private func namedThings(in text: AnalyzedText) -> [EntityMatch] {
        text.entities.filter { !analyzer.placeholderEntities.contains($0.entity) }
    }

    /// `text` without the words of the product and store names in it, or nil when it names none or
    /// fewer than two words would be left.
    private func withoutNamedThings(_ text: AnalyzedText) -> AnalyzedText? {
        let names = namedThings(in: text).map { $0.start..<$0.end }
        guard !names.isEmpty else { return nil }
        var unnamed = text
        unnamed.tokens.removeAll { token in names.contains { $0.overlaps(token.range) } }
        guard unnamed.tokens.count >= 2, unnamed.tokens.count < text.tokens.count else { return nil }
        return unnamed
    }
}

