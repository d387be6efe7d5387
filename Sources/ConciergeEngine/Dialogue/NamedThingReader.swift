/// "Can the linen duvet from my last order still go back?" asks about a return, not about linen:
/// a product or a store named in a request fills that request's slot; it is not the request. The
/// matcher learned care questions from examples full of product names, so a name can outweigh the
/// words that say what the customer wants. This reader reads the message again with each name (an
/// entity from a list of values, such as `product` or `store`) replaced by "it",
/// and takes that reading when the first one rested on the name alone, or when the name only
/// diluted the request (its words matched nothing, so the same request read unsure). A sure request
/// that keeps its reading without the name loses the rivals that rested on the name alone.
///
/// ```swift
/// // plain: care_linen 0.95; without the name: return_eligibility 0.81 → the return
/// ```
extension Engine {
    /// The message read with its named things replaced, when that reading is the better one.
    func readingWithoutNames(_ plain: Understanding) -> Understanding? {
        let named = plain.text.entities.filter { !analyzer.placeholderEntities.contains($0.entity) }
        guard !named.isEmpty, let plainBest = plain.best, plain.text.tokens.count >= 4 else { return nil }
        // "And the wool throw?": the name is all the message says, so it is the subject.
        let outside = plain.text.tokens.filter { token in !named.contains { $0.range.overlaps(token.range) } }
        var rest = plain.text
        rest.tokens = outside
        guard contentWords(rest).count >= PolicyThresholds.nameOnlyContentWords else { return nil }
        var scalars = Array(plain.text.sanitized.unicodeScalars)
        for match in named.sorted(by: { $0.start > $1.start }) where match.end <= scalars.count {
            scalars.replaceSubrange(match.start..<match.end, with: Array("it".unicodeScalars))
        }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        var unnamed = understand(String(view))
        guard let best = unnamed.best else { return nil }
        func without(_ candidate: Understanding.Candidate) -> Double { unnamed.candidates.first { $0.key == candidate.key }?.confidence ?? 0 }
        let plainWithout = without(plainBest)
        if plainBest.confidence >= settings.answerThreshold, plainWithout >= settings.fallbackThreshold {
            // The same request, sure, with a rival as sure that rested on the name alone ("can the
            // jute rug from my last order still go back?": the return, with rug care close behind
            // on "jute rug"): the rival is left out.
            let rivals = plain.candidates.dropFirst().filter { $0.confidence >= plainBest.confidence - settings.clarifyMargin }
            guard !rivals.isEmpty,
                rivals.allSatisfy({ without($0) < PolicyThresholds.nameOnlyResidue })
            else { return nil }
            var reading = plain
            reading.candidates.removeAll { candidate in rivals.contains { $0.key == candidate.key } }
            return reading
        }
        guard best.confidence >= settings.answerThreshold else { return nil }
        if best.key == plainBest.key {
            // The same request, which the name only diluted ("how do I get a refund on the round
            // wall mirror I bought?": the name's words match no article): read it without the name.
            unnamed.text = plain.text
            return unnamed
        }
        // The first reading must have rested on the name: without it, it all but disappears.
        guard plainWithout < PolicyThresholds.nameOnlyResidue, best.confidence >= plainBest.confidence - PolicyThresholds.nameOnlyMargin else {
            return nil
        }
        unnamed.text = plain.text
        return unnamed
    }
}
