/// Decides which intent a message expresses: authored patterns first (high precision), then the
/// classifier learned from the examples, each candidate with a calibrated confidence.
public struct IntentMatcher: Sendable {
    /// One intent the message might mean.
    public struct Candidate: Sendable, Hashable {
        /// The intent's index in the knowledge base.
        public var intent: Int
        public var confidence: Double
        /// The classifier's decision value (0 for a pattern match).
        public var score: Double
    }

    /// How the best candidate was found.
    public enum Evidence: Sendable, Hashable {
        /// An authored pattern matched.
        case pattern(String)
        /// The classifier, learned from the examples.
        case examples
    }

    /// The matcher's reading of one message.
    public struct Match: Sendable, Hashable {
        /// Candidates, best first.
        public var candidates: [Candidate]
        public var evidence: Evidence
        /// The product and store names the reading was made without, when it rested on them
        /// (`Engine.matchIntents`); empty for a reading of the whole message.
        public var namesSetAside: [String] = []
        public var best: Candidate? { candidates.first }
        public var runnerUp: Candidate? { candidates.count > 1 ? candidates[1] : nil }
    }

    /// The confidence a pattern match carries.
    public static let patternConfidence = 0.97

    let patterns: [(intent: Int, pattern: TokenPattern, specificity: Int)]
    /// Stem → the patterns that need it (see `TokenPattern.anchors`).
    let patternsByAnchor: [String: [Int]]
    /// Patterns without anchors, tried on every message.
    let unanchoredPatterns: [Int]
    public var classifier: IntentClassifier?
    /// Classifier class → intent index.
    let classIntents: [Int]

    /// Compiles patterns and trains the classifier on the intents' examples.
    public init(
        intents: [Intent], analyzer: TextAnalyzer, configuration: IntentClassifier.Configuration = .init(), wordVectors: WordVectors? = nil
    ) {
        self.init(intents: intents, analyzer: analyzer, configuration: configuration, wordVectors: wordVectors, train: true)
    }

    /// Compiles patterns; trains the classifier only when `train` (compiled knowledge reads it instead).
    init(intents: [Intent], analyzer: TextAnalyzer, configuration: IntentClassifier.Configuration, wordVectors: WordVectors?, train: Bool) {
        var patterns: [(Int, TokenPattern, Int)] = []
        for (index, intent) in intents.enumerated() {
            for source in intent.patterns {
                guard let pattern = try? TokenPattern(source, stems: analyzer.stems(ofAuthored:)) else { continue }
                patterns.append((index, pattern, pattern.specificity))
            }
        }
        self.patterns = patterns
        var byAnchor: [String: [Int]] = [:]
        var unanchored: [Int] = []
        for (i, entry) in patterns.enumerated() {
            if let anchors = entry.1.anchors {
                for anchor in anchors { byAnchor[anchor, default: []].append(i) }
            } else {
                unanchored.append(i)
            }
        }
        patternsByAnchor = byAnchor
        unanchoredPatterns = unanchored
        var examples: [[Token]] = []
        var labels: [Int] = []
        var classIntents: [Int] = []
        for (index, intent) in intents.enumerated() where !intent.examples.isEmpty {
            let label = classIntents.count
            classIntents.append(index)
            guard train else { continue }
            for example in intent.examples {
                examples.append(analyzer.analyze(example).tokens)
                labels.append(label)
            }
        }
        self.classIntents = classIntents
        classifier = train && classIntents.count >= 2
            ? IntentClassifier(
                training: examples, labels: labels, classCount: classIntents.count, configuration: configuration, wordVectors: wordVectors)
            : nil
    }

    /// Ranks the intents for an analysed message (at most `limit` candidates). `patterns: false`
    /// reads with the classifier alone: for a message with words added to it (a follow-up read with
    /// its topic's label), where a pattern would match the added words rather than the customer's.
    public func match(_ text: AnalyzedText, limit: Int = 5, patterns usePatterns: Bool = true) -> Match {
        var candidates: [Candidate] = []
        var evidence = Evidence.examples
        if let classifier, !text.tokens.isEmpty {
            // Ranked by the classifier's decision; a runner-up is never more confident than the choice above it.
            var ceiling = 1.0
            for entry in classifier.predict(text.tokens, limit: limit).ranked {
                ceiling = min(ceiling, entry.confidence)
                candidates.append(Candidate(intent: classIntents[entry.label], confidence: ceiling, score: entry.score))
            }
        }
        // The most specific matching pattern wins; its intent moves to the front with high confidence.
        var winner: (intent: Int, pattern: TokenPattern, specificity: Int)?
        if usePatterns, !patterns.isEmpty {
            let stems = text.stems
            var tried = Set(unanchoredPatterns)
            for stem in stems { if let ids = patternsByAnchor[stem] { tried.formUnion(ids) } }
            // In definition order, so equally specific patterns resolve the same way every time.
            for id in tried.sorted() {
                let entry = patterns[id]
                if entry.specificity > (winner?.specificity ?? -1) && entry.pattern.matches(stems: stems) { winner = entry }
            }
        }
        if let winner {
            evidence = .pattern(winner.pattern.source)
            let score = candidates.first { $0.intent == winner.intent }?.score ?? 0
            candidates.removeAll { $0.intent == winner.intent }
            candidates.insert(Candidate(intent: winner.intent, confidence: Self.patternConfidence, score: score), at: 0)
            // Others stay as runners-up, but below the pattern's evidence.
            for i in candidates.indices.dropFirst() { candidates[i].confidence = min(candidates[i].confidence, 0.5) }
            if candidates.count > limit { candidates.removeLast() }
        }
        return Match(candidates: candidates, evidence: evidence)
    }
}

extension TokenPattern {
    /// How specific the pattern is: the number of literal words and entities it requires.
    var specificity: Int {
        func count(_ elements: [Element]) -> Int {
            elements.reduce(0) { total, element in
                switch element {
                case .word, .entity: return total + 1
                case .wildcard, .optional: return total
                case .choice(let alternatives): return total + (alternatives.map(count).min() ?? 0)
                }
            }
        }
        return count(elements)
    }
}
