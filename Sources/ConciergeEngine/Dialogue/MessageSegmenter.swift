import Foundation

/// Finds the request inside a message that says more than its request: "hello there, bought towels
/// last week, order A10237, email me@…, did it leave the warehouse yet?" is a greeting, two values
/// and one question. Greetings, thanks and bare values dilute a classifier trained on questions, so
/// the message is read again without them, and each remaining part is read on its own so a second
/// question ("…and how long do refunds take?") is not lost.
///
/// ```swift
/// let parts = MessageSegmenter.segments(of: "hi! it's A10234. has it shipped?")
/// // ["hi", "it's A10234", "has it shipped?"]
/// ```
enum MessageSegmenter {
    /// The parts of a message between sentence and clause marks (. ! ? ; , and new lines), trimmed,
    /// in order. A dot inside a word (an email address, "3.5") does not cut.
    static func segments(of text: String) -> [String] {
        var parts: [String] = []
        var current = ""
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            let next = i + 1 < scalars.count ? scalars[i + 1] : " "
            let cuts: Bool
            switch scalar {
            case "?", "!", ";", "\n", "\r": cuts = true
            case ".", ",": cuts = next.properties.isWhitespace || i + 1 == scalars.count
            default: cuts = false
            }
            if cuts {
                // A question keeps its mark, so the policy knows which parts ask something.
                if scalar == "?" { current.unicodeScalars.append(scalar) }
                parts.append(current)
                current = ""
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        parts.append(current)
        return parts.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// Words that carry no request on their own: greetings, politeness and what introduces a value.
    static let fillerWords: Set<String> = [
        "hi", "hello", "hey", "hiya", "heya", "howdy", "yo", "there", "good", "morning", "afternoon", "evening", "day", "thanks",
        "thank", "you", "thx", "ty", "cheers", "please", "pls", "plz", "so", "um", "uhm", "ok", "okay", "well", "guys", "team",
        "folks", "dear", "sir", "madam", "all", "again", "btw", "anyway", "quick", "question", "hope", "youre", "doing", "great",
        "just", "wondering", "help", "me", "with", "something", "here", "is", "my", "email", "mail", "address", "order",
        "number", "the", "a", "an", "its", "it", "im", "i", "am", "and", "also", "yes", "sure", "of", "for", "on", "in", "at",
        "to", "ref", "reference", "confirmation", "by", "way", "oh", "ah", "hmm", "right", "alright", "cool", "phone", "name", "actually", "really", "usually", "still", "even", "already", "exactly", "ever",
        "much", "very", "maybe", "probably", "then",
    ]

    /// True when a part asks something: it ends with a question mark or opens (after "and",
    /// "also", "so"…) with a question word. Only such a part is answered as a second question.
    static func isQuestion(_ part: String, words: [String]) -> Bool {
        if part.hasSuffix("?") { return true }
        let opening = words.drop { ["and", "also", "so", "oh", "btw", "but", "ok", "okay", "then", "plus"].contains($0) }
        return opening.first.map(questionOpeners.contains) ?? false
    }

    static let questionOpeners: Set<String> = [
        "how", "what", "whats", "when", "where", "wheres", "why", "who", "which", "can", "could", "do", "does", "did", "is", "are",
        "will", "would", "should", "may", "am", "have", "has",
    ]

    /// True when a part holds no request: only filler words and values.
    static func isFiller(_ text: AnalyzedText) -> Bool {
        !text.tokens.isEmpty && text.tokens.allSatisfy { $0.isEntity || fillerWords.contains($0.text) }
    }
}

extension Engine {
    /// The message read without its filler parts, and the other requests it holds; nil when the
    /// message is one part, or nothing was left out and no part reads as a request of its own.
    func segmentReading(_ whole: Understanding) -> SegmentReading? {
        let parts = MessageSegmenter.segments(of: whole.text.sanitized)
        guard parts.count >= 2, parts.count <= 12 else { return nil }
        var kept: [(part: String, text: AnalyzedText)] = []
        var dropped: [String] = []
        for part in parts {
            let text = analyzer.analyze(part)
            if MessageSegmenter.isFiller(text) || isSmallTalk(text) { dropped.append(part) } else { kept.append((part, text)) }
        }
        guard !kept.isEmpty else { return nil }
        var reading = SegmentReading(core: whole, dropped: dropped, requests: [])
        if !dropped.isEmpty {
            var core = understand(kept.map(\.part).joined(separator: ". "))
            core.text = whole.text
            reading.core = core
        }
        // Each remaining part on its own: a second confident request of another intent is kept, so
        // the reply can answer it too.
        if kept.count >= 2 || !dropped.isEmpty {
            for (part, text) in kept {
                let alone = understand(analyzed: text)
                guard let best = alone.best, best.confidence >= settings.answerThreshold, let index = best.intent,
                    knowledge.intents[index].kind == .task, knowledge.intents[index].name != Self.notHelpfulIntent,
                    !reading.requests.contains(where: { $0.key == best.key })
                else { continue }
                reading.requests.append(best)
                // A part too short to stand on its own ("is that normal?") says too little out of
                // context to be answered as a second question.
                if contentWords(alone.text).count >= PolicyThresholds.partContentWords,
                    MessageSegmenter.isQuestion(part, words: alone.text.tokens.map(\.text))
                {
                    reading.standalone.insert(best.key)
                }
            }
        }
        return reading
    }

    /// A short part that the matcher reads as small talk ("hope you're well", "good morning").
    func isSmallTalk(_ text: AnalyzedText) -> Bool {
        guard text.tokens.count <= 5, !text.tokens.contains(where: \.isEntity) else { return false }
        let match = matcher.match(text)
        guard let best = match.candidates.first, best.confidence >= 0.6 else { return false }
        let intent = knowledge.intents[best.intent]
        return intent.kind == .smalltalk && !["affirm", "deny"].contains(intent.name)
    }
}

/// What `segmentReading` found.
struct SegmentReading {
    /// The message read without greetings, thanks and bare values.
    var core: Understanding
    /// The parts left out.
    var dropped: [String]
    /// The confident requests of the parts read one by one, in message order.
    var requests: [Understanding.Candidate]
    /// The keys of those requests whose part says enough to be answered on its own.
    var standalone: Set<String> = []
}
