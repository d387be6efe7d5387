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
    /// The parts of a message between sentence and clause marks (. ! ? ; , : and new lines), trimmed,
    /// in order. A dot inside a word (an email address, "3.5") does not cut.
    static func segments(of text: String) -> [String] {
        cut(text, clauses: true).flatMap(splitAtJoinedQuestion).flatMap(splitOpeningGreeting)
    }

    /// "hey did my skillet ship yet?": a greeting run into the question, with no comma, as its own
    /// part ("hey", "did my skillet ship yet?"), so it is left out like a greeting written apart.
    static func splitOpeningGreeting(_ part: String) -> [String] {
        let words = part.split(separator: " ", omittingEmptySubsequences: true)
        var count = 0
        while count < words.count, count < 3 {
            let word = String(words[count]).lowercased().filter(\.isLetter)
            let opens = count == 0 ? greetings.contains(word) : (greetingFollowers.contains(word) || greetings.contains(word))
            guard opens else { break }
            count += 1
        }
        guard count > 0, words.count - count >= 3 else { return [part] }
        return [words[..<count].joined(separator: " "), words[count...].joined(separator: " ")]
    }

    /// Words that greet at the start of a message.
    static let greetings: Set<String> = ["hi", "hello", "hey", "hiya", "heya", "howdy", "yo", "hii", "helo"]
    /// Words that may follow a greeting and belong to it ("hi there", "hello team").
    static let greetingFollowers: Set<String> = ["there", "team", "all", "guys", "folks", "again", "everyone", "good", "morning", "afternoon", "evening"]

    /// The sentences of a long message (cut at . ! ? and new lines only), when it has several;
    /// empty otherwise.
    static func sentences(of text: String) -> [String] {
        let sentences = cut(text, clauses: false)
        return sentences.count >= 2 ? sentences : []
    }

    /// `text` cut at sentence marks and, with `clauses`, at clause marks too; trimmed, none empty.
    private static func cut(_ text: String, clauses: Bool) -> [String] {
        var parts: [String] = []
        var current = ""
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            let beforeSpace = i + 1 == scalars.count || scalars[i + 1].properties.isWhitespace
            let cuts: Bool
            switch scalar {
            case "?", "!", "\n", "\r": cuts = true
            case ";": cuts = clauses
            case ".": cuts = beforeSpace
            // "two things: is pickup free, and…": a colon before a space leads into what follows.
            case ",", ":": cuts = clauses && beforeSpace
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

    /// "has it shipped and when does it get here": two questions joined by "and", "but" or "or"
    /// before a question word, as two parts (the second keeps its "and").
    static func splitAtJoinedQuestion(_ part: String) -> [String] {
        let words = part.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 5 else { return [part] }
        for i in 2..<(words.count - 2) {
            let joiner = words[i].lowercased(), next = words[i + 1].lowercased()
            if ["and", "but", "or", "plus"].contains(joiner), questionOpeners.contains(next), !["is", "are", "do", "does", "have", "has", "am"].contains(next) || words.count - i >= 4 {
                return [words[..<i].joined(separator: " "), words[i...].joined(separator: " ")]
            }
        }
        return [part]
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
        guard parts.count >= 2, parts.count <= PolicyThresholds.maximumParts else { return nil }
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
            // Clauses, and the whole sentences of a long message: "the date was Monday and it is
            // two days past that, so could you tell me what can be done?" asks only as a sentence.
            var pieces = kept
            for sentence in MessageSegmenter.sentences(of: whole.text.sanitized) where !kept.contains(where: { $0.part == sentence }) {
                let text = analyzer.analyze(sentence)
                if !MessageSegmenter.isFiller(text) { pieces.append((sentence, text)) }
            }
            for (part, text) in pieces {
                let alone = understand(analyzed: text)
                guard let best = alone.best, best.confidence >= settings.answerThreshold, let index = best.intent,
                    knowledge.intents[index].kind == .task, !isNotHelpful(index),
                    !reading.requests.contains(where: { $0.key == best.key })
                else { continue }
                reading.requests.append(best)
                // A part too short to stand on its own ("is that normal?") says too little out of
                // context to be answered as a second question.
                if MessageSegmenter.isQuestion(part, words: alone.text.tokens.map(\.text)) {
                    reading.asking.insert(best.key)
                    if contentWords(alone.text).count >= PolicyThresholds.partContentWords { reading.standalone.insert(best.key) }
                }
            }
        }
        return reading
    }

    /// Reads the message's parts: without greetings, thanks and bare values when that says at
    /// least as much, and the request of one part when the whole reads worse.
    func readSegments(_ context: inout TurnContext) {
        guard context.text.tokens.count >= 4, let reading = segmentReading(context.understanding) else { return }
        context.segments = reading
        if !reading.dropped.isEmpty, prefersCore(reading.core, over: context.understanding) {
            context.read(DialogueAct(.smalltalk, evidence: "read the request without " + reading.dropped.map { "“\($0)”" }.joined(separator: ", ")))
            context.understanding = reading.core
        }
        guard let promoted = promotedRequest(reading, over: context.understanding, state: context.state) else { return }
        // "That didn't help, I want to make the claim": it counts as not helped, and the request
        // that follows is answered.
        if isNotHelpful(context.understanding.best?.intent) {
            context.state.failures += 1
            context.read(DialogueAct(.notHelpful, evidence: "says the last answer did not help"))
        }
        context.read(DialogueAct(.request, detail: promoted.best?.label, evidence: "the part of the message that asks it, read on its own"))
        context.understanding = promoted
    }

    /// True when the message read without its filler says at least as much as the whole message.
    func prefersCore(_ core: Understanding, over whole: Understanding) -> Bool {
        guard let coreBest = core.best else { return false }
        guard let wholeBest = whole.best else { return true }
        if let index = wholeBest.intent, [.smalltalk, .outOfScope].contains(knowledge.intents[index].kind) { return true }
        return coreBest.confidence >= wholeBest.confidence - 0.05
    }

    /// The request of one part of the message, when the message as a whole reads worse: unsure,
    /// "that didn't help" followed by what the customer wants instead, or an answer that needs none
    /// of the values given while a part's request needs one ("A10255 … has it shipped? im up in
    /// anchorage" asks about the order, not about Alaska). When the whole is unsure and no part's
    /// request takes a value the message gives, one that takes a value the conversation already
    /// holds goes first, unless it is the topic just answered: "it was due on the 16th. can you open
    /// a trace?" after an order's status is about that order being late, not about opening hours.
    func promotedRequest(_ reading: SegmentReading, over current: Understanding, state: ConversationState) -> Understanding? {
        guard let best = current.best, !reading.requests.isEmpty else { return nil }
        // A long paragraph with its question in the middle: the whole reads the same request as the
        // question alone, only unsure, the other sentences diluting it. The part's confidence counts.
        // The part must be the only request, or one that asks ("…I was wondering whether I can
        // spread the cost?" beside a statement about a table, which reads as its care).
        if best.confidence < settings.answerThreshold,
            let part = reading.requests.first(where: { $0.key == best.key && (reading.requests.count == 1 || reading.asking.contains($0.key)) })
        {
            var lead = best
            lead.confidence = part.confidence
            return self.reading(current, ledBy: lead)
        }
        guard !reading.requests.contains(where: { $0.key == best.key }) || reading.requests.count > 1 else { return nil }
        let given = Set(current.text.entities.map(\.entity))
        func supported(_ candidate: Understanding.Candidate) -> Bool {
            candidate.intent.map { knowledge.intents[$0].slots.contains { given.contains($0.entity) } } ?? false
        }
        // The parts that ask something first: in a pasted confirmation email ("Ship to: …") the
        // customer's own question is what they want answered.
        let requests = reading.requests.filter { reading.asking.contains($0.key) } + reading.requests.filter { !reading.asking.contains($0.key) }
        let choice: Understanding.Candidate?
        if isNotHelpful(best.intent) || best.confidence < settings.answerThreshold {
            // Not the topic just answered: a part that reads as it again ("can't wait 30 minutes")
            // restates the situation, while the customer asks what to do instead.
            func remembered(_ candidate: Understanding.Candidate) -> Bool {
                candidate.key != state.topic?.key
                    && (candidate.intent.map { knowledge.intents[$0].slots.contains { state.slots[$0.name] != nil } } ?? false)
            }
            choice = requests.first(where: supported) ?? requests.first(where: remembered) ?? requests.first
        } else if !supported(best) {
            choice = requests.first(where: supported)
        } else {
            choice = nil
        }
        guard var chosen = choice, chosen.key != best.key else { return nil }
        chosen.confidence = max(chosen.confidence, best.confidence)
        return self.reading(current, ledBy: chosen)
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
    /// The keys of those requests whose part asks something, however briefly.
    var asking: Set<String> = []
}
