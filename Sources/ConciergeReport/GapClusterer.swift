public import ConciergeEngine

/// Groups the messages the bot could not answer into clusters of similar questions, the same way
/// every time: each message is read as its set of content stems (the engine's `TextAnalyzer`:
/// normalised, spelling-corrected, synonyms applied, stemmed, entity values as `@entity`; function
/// words left out); identical sets are one group; groups are taken most frequent first (ties: by
/// their stems), and each joins the earlier cluster whose first group it overlaps most, when the
/// overlap (Jaccard: shared stems / all stems) reaches ``threshold``, or starts a cluster.
///
/// ```swift
/// let clusters = GapClusterer(analyzer: engine.analyzer).clusters(of: [("do you ship to mars", "fallback"), ...])
/// ```
public struct GapClusterer: Sendable {
    /// Reads a message into words; nil splits on anything not a letter or digit, lower-cased.
    public var analyzer: TextAnalyzer?
    /// The overlap at which a message joins a cluster.
    public var threshold = 0.5

    public init(analyzer: TextAnalyzer? = nil, threshold: Double = 0.5) {
        self.analyzer = analyzer
        self.threshold = threshold
    }

    /// One cluster: its messages (indices into the input), largest group first.
    public struct Cluster: Sendable, Hashable {
        /// The stems of its first (most frequent) group.
        public var stems: [String]
        /// Indices of its messages in the input, in input order.
        public var members: [Int]
    }

    /// Words that say little about what a message asks.
    static let functionWords: Set<String> = [
        "a", "an", "the", "i", "im", "ive", "id", "me", "my", "mine", "you", "your", "youre", "we", "our", "us", "it", "its", "is",
        "are", "was", "were", "be", "been", "am", "do", "does", "did", "doe", "to", "of", "in", "on", "at", "for", "and", "or", "so",
        "but", "if", "this", "that", "these", "those", "there", "here", "with", "can", "could", "would", "will", "should", "please",
        "pls", "hi", "hello", "hey", "thanks", "thank", "just", "what", "whats", "how", "hows", "why", "when", "where", "wheres",
        "which", "who", "any", "some", "get", "got", "have", "has", "had", "about", "from", "up", "out", "not", "no", "yes", "ok",
        "okay", "then", "than", "too", "very", "really", "also", "want", "need", "like",
    ]

    /// The content stems of a message, sorted and unique.
    public func stems(of message: String) -> [String] {
        var stems: Set<String> = []
        if let analyzer {
            for token in analyzer.analyze(message).tokens where !Self.functionWords.contains(token.text) && !Self.functionWords.contains(token.stem) {
                stems.insert(token.stem)
            }
        } else {
            var word = ""
            for character in message.lowercased() {
                if character.isLetter || character.isNumber {
                    word.append(character)
                } else if !word.isEmpty {
                    if !Self.functionWords.contains(word) { stems.insert(word) }
                    word = ""
                }
            }
            if !word.isEmpty, !Self.functionWords.contains(word) { stems.insert(word) }
        }
        return stems.sorted()
    }

    /// The clusters of `messages`, largest first (ties: by their stems).
    public func clusters(of messages: [String]) -> [Cluster] {
        // Each distinct text is analysed once; each distinct set of stems is one group.
        var stemsByText: [String: Int] = [:]
        var groups: [[String]] = []
        var groupIndex: [[String]: Int] = [:]
        var members: [[Int]] = []
        for (index, message) in messages.enumerated() {
            let group: Int
            if let known = stemsByText[message] {
                group = known
            } else {
                let stems = stems(of: message)
                if let existing = groupIndex[stems] {
                    group = existing
                } else {
                    group = groups.count
                    groups.append(stems)
                    groupIndex[stems] = group
                    members.append([])
                }
                stemsByText[message] = group
            }
            members[group].append(index)
        }
        let order = groups.indices.sorted { a, b in
            members[a].count != members[b].count ? members[a].count > members[b].count : groups[a].lexicographicallyPrecedes(groups[b])
        }
        var clusters: [Cluster] = []
        var seeds: [Set<String>] = []
        var byStem: [String: [Int]] = [:]
        for group in order {
            let stems = groups[group]
            let set = Set(stems)
            var best: (cluster: Int, overlap: Double)?
            var seen: Set<Int> = []
            for stem in stems {
                for cluster in byStem[stem] ?? [] where seen.insert(cluster).inserted {
                    let shared = seeds[cluster].intersection(set).count
                    let overlap = Double(shared) / Double(seeds[cluster].union(set).count)
                    if overlap >= threshold, overlap > (best?.overlap ?? 0) || (overlap == best?.overlap && cluster < best!.cluster) {
                        best = (cluster, overlap)
                    }
                }
            }
            if let best {
                clusters[best.cluster].members += members[group]
            } else {
                for stem in stems { byStem[stem, default: []].append(clusters.count) }
                seeds.append(set)
                clusters.append(Cluster(stems: stems, members: members[group]))
            }
        }
        for index in clusters.indices { clusters[index].members.sort() }
        return clusters.sorted { a, b in
            a.members.count != b.members.count ? a.members.count > b.members.count : a.stems.lexicographicallyPrecedes(b.stems)
        }
    }
}
