/// Words and phrases that mean the same to a customer, read as one canonical word.
///
/// ```swift
/// let synonyms = SynonymTable(["refund": ["money back", "reimbursement"]])
/// synonyms.apply(to: ["i", "want", "my", "money", "back"])  // ["i", "want", "my", "refund"]
/// ```
public struct SynonymTable: Sendable {
    /// Variant phrases (as folded words) by their first word, longest first.
    private var phrases: [String: [(words: [String], canonical: String)]] = [:]

    /// The canonical words, in the order they were given.
    public private(set) var canonicalWords: [String] = []

    public init() {}

    /// Builds the table from canonical word → variants; variants are folded with `normalizer`.
    public init(_ entries: [(canonical: String, variants: [String])], normalizer: TextNormalizer = TextNormalizer()) {
        for (canonical, variants) in entries {
            let key = normalizer.tokenize(canonical).map(\.text).joined(separator: " ")
            guard !key.isEmpty else { continue }
            canonicalWords.append(key)
            for variant in variants {
                let words = normalizer.tokenize(variant).map(\.text)
                guard let first = words.first, words != [key] else { continue }
                phrases[first, default: []].append((words, key))
            }
        }
        for key in phrases.keys {
            phrases[key]!.sort { $0.words.count != $1.words.count ? $0.words.count > $1.words.count : $0.words.lexicographicallyPrecedes($1.words) }
        }
    }

    /// Convenience for dictionary literals in tests; entries are sorted by canonical word.
    public init(_ entries: [String: [String]]) {
        self.init(entries.sorted { $0.key < $1.key }.map { (canonical: $0.key, variants: $0.value) })
    }

    public var isEmpty: Bool { phrases.isEmpty }

    /// Replaces every variant phrase in `tokens` by its canonical word (longest match first).
    public func apply(to tokens: [Token]) -> [Token] {
        guard !phrases.isEmpty else { return tokens }
        var out: [Token] = []
        out.reserveCapacity(tokens.count)
        var i = 0
        outer: while i < tokens.count {
            if !tokens[i].isEntity, let candidates = phrases[tokens[i].text] {
                for candidate in candidates where i + candidate.words.count <= tokens.count {
                    var matches = true
                    for (offset, word) in candidate.words.enumerated() where tokens[i + offset].text != word {
                        matches = false
                        break
                    }
                    if matches {
                        let last = tokens[i + candidate.words.count - 1]
                        out.append(Token(text: candidate.canonical, range: tokens[i].range.lowerBound..<last.range.upperBound))
                        i += candidate.words.count
                        continue outer
                    }
                }
            }
            out.append(tokens[i])
            i += 1
        }
        return out
    }

    /// `apply(to:)` for plain words.
    public func apply(to words: [String]) -> [String] {
        apply(to: words.enumerated().map { Token(text: $1, range: $0..<$0 + 1) }).map(\.text)
    }

    /// Every word that appears in a canonical word or a variant (for the spelling vocabulary).
    public var allWords: [String] {
        var words = canonicalWords.flatMap { $0.split(separator: " ").map(String.init) }
        for key in phrases.keys.sorted() { for phrase in phrases[key]! { words.append(contentsOf: phrase.words) } }
        return words
    }
}
