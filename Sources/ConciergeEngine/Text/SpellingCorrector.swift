/// Corrects typing mistakes against the knowledge base's own vocabulary.
///
/// A word the knowledge never uses is replaced by the known word nearest to it: one edit away for
/// words of four to seven letters, two for longer ones (insertions, deletions, substitutions and
/// swaps of neighbours each count one). Ties go to the more frequent word, then the alphabetically
/// first, so the same input always gives the same correction. Lookup uses precomputed deletions
/// (the "symmetric delete" method), so a correction costs a few dictionary probes.
///
/// ```swift
/// let speller = SpellingCorrector(words: ["receive", "order", "address"])
/// speller.correct("recieve")  // "receive"
/// speller.correct("adress")   // "address"
/// ```
public struct SpellingCorrector: Sendable {
    private(set) var frequency: [String: Int] = [:]
    private var words: [[UInt8]] = []
    private var wordStrings: [String] = []
    /// One entry per (word, variant of it with up to two letters deleted): the variant's hash with its
    /// low `idBits` bits replaced by the word's id, sorted, so the entries of one variant are a run
    /// found by binary search. Eight bytes an entry; a hash that agrees only in its top bits adds a
    /// candidate the edit distance then rejects, so it never changes a correction.
    private(set) var deletes = PackedArray<UInt64>([])

    /// The bits of an entry that hold the word id: at most 2^24 (16.7 million) correctable words.
    static let idBits = 24
    private static let idMask: UInt64 = (1 << UInt64(idBits)) - 1

    /// Words shorter than this are never corrected (too many near neighbours).
    public static let minimumLength = 4

    public init() {}

    /// Learns the vocabulary; each occurrence of a word counts towards its frequency.
    public init(words vocabulary: some Sequence<String>) {
        var frequency: [String: Int] = [:]
        for word in vocabulary { frequency[word, default: 0] += 1 }
        self.init(frequencies: frequency)
    }

    /// Learns the vocabulary from each word's number of occurrences.
    public init(frequencies: [String: Int]) {
        frequency = frequencies
        setWords()
        var entries: [UInt64] = []
        entries.reserveCapacity(words.count * 16)
        var variants: [UInt64] = []
        for (id, word) in words.enumerated() {
            variants.removeAll(keepingCapacity: true)
            Self.addDeletes(of: word, depth: word.count >= 6 ? 2 : 1, into: &variants)
            for key in Self.distinctKeys(variants) { entries.append(key | UInt64(id)) }
        }
        entries.sort()
        deletes = PackedArray(entries)
    }

    /// A corrector from its parts as `write(to:)` wrote them.
    init(frequencies: [String: Int], deletes: PackedArray<UInt64>) {
        frequency = frequencies
        setWords()
        self.deletes = deletes
    }

    /// The correctable words (plain letters, three or more), sorted: their positions are the word ids.
    private mutating func setWords() {
        wordStrings = frequency.keys.filter { word in
            word.utf8.count >= 3 && word.utf8.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
        }.sorted().prefix(1 << Self.idBits).map { $0 }
        words = wordStrings.map { Array($0.utf8) }
    }

    /// The number of correctable words (the range of the word ids in `deletes`).
    var correctableWordCount: Int { words.count }

    /// The number of distinct words known.
    public var vocabularySize: Int { frequency.count }

    /// True when the knowledge uses `word` (no correction needed).
    public func contains(_ word: String) -> Bool { frequency[word] != nil }

    /// The correction for `word`, or nil when it is known, too short, not plain letters, or nothing is near.
    public func correct(_ word: String) -> String? {
        guard !deletes.isEmpty, frequency[word] == nil, !CommonWords.english.contains(word) else { return nil }
        let bytes = Array(word.utf8)
        guard bytes.count >= Self.minimumLength, bytes.count <= 30,
            bytes.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A })
        else { return nil }
        let limit = Self.maximumDistance(forLength: bytes.count)
        var variants: [UInt64] = []
        Self.addDeletes(of: bytes, depth: limit, into: &variants)

        var best: (distance: Int, frequency: Int, word: String)?
        var seen: Set<Int> = []
        for key in Self.distinctKeys(variants) {
            var index = lowerBound(of: key)
            while index < deletes.count, deletes[index] & ~Self.idMask == key {
                let id = Int(deletes[index] & Self.idMask)
                index += 1
                guard seen.insert(id).inserted else { continue }
                let candidate = words[id]
                guard abs(candidate.count - bytes.count) <= limit, candidate.count >= 3 else { continue }
                let distance = Self.editDistance(bytes, candidate, limit: limit)
                guard distance <= limit else { continue }
                let text = wordStrings[id]
                let count = frequency[text] ?? 0
                if let current = best {
                    if distance > current.distance { continue }
                    if distance == current.distance {
                        if count < current.frequency { continue }
                        if count == current.frequency && text >= current.word { continue }
                    }
                }
                best = (distance, count, text)
            }
        }
        return best?.word
    }

    static func maximumDistance(forLength length: Int) -> Int {
        length >= 8 ? 2 : (length >= minimumLength ? 1 : 0)
    }

    /// The first entry at or after `key` (an entry's hash bits with a zero id).
    private func lowerBound(of key: UInt64) -> Int {
        var low = 0, high = deletes.count
        while low < high {
            let mid = (low + high) / 2
            if deletes[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// The entry keys (hash bits, id bits zero) of `hashes`, each once, in order.
    private static func distinctKeys(_ hashes: [UInt64]) -> [UInt64] {
        var keys = hashes.map { $0 & ~idMask }
        keys.sort()
        var last: UInt64?
        keys.removeAll { key in
            defer { last = key }
            return key == last
        }
        return keys
    }

    /// Appends the hashes of `word` and of every variant with up to `depth` letters deleted (a
    /// variant reached by two orders of deletion appears twice).
    private static func addDeletes(of word: [UInt8], depth: Int, into set: inout [UInt64]) {
        set.append(FNV1a.hash(word))
        guard depth > 0, word.count > 1 else { return }
        var shorter = word
        for i in word.indices {
            shorter.remove(at: i)
            addDeletes(of: shorter, depth: depth - 1, into: &set)
            shorter.insert(word[i], at: i)
        }
    }

    /// Optimal string alignment distance (Levenshtein with adjacent swaps), stopping early past `limit`.
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int) -> Int {
        if a == b { return 0 }
        let n = a.count, m = b.count
        if n == 0 { return m }
        if m == 0 { return n }
        var previous2 = [Int](repeating: 0, count: m + 1)
        var previous = Array(0...m)
        var current = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            current[0] = i
            var rowMinimum = i
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
                rowMinimum = min(rowMinimum, value)
            }
            if rowMinimum > limit { return rowMinimum }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[m]
    }
}
