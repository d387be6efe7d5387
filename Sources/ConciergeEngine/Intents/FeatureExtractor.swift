import Foundation

/// Turns analysed text into the hashed n-gram features the intent classifier reads.
///
/// Two blocks, each TF-IDF weighted with sublinear term frequency and scaled to unit length: word
/// unigrams and bigrams of stems (what the customer talks about), and character n-grams of each word
/// padded with spaces (robust to typos and inflections the stemmer misses). Features are identified
/// by a stable 64-bit hash of their text, then by a dense index learned from the training examples;
/// features never seen in training are ignored.
///
/// Given a word-vector table, a third, dense block follows the hashed ones: the mean of the message's
/// word vectors (the table's vectors carry their words' weights, so "the" counts less than "refund"),
/// scaled to unit length times `vectorWeight`. It knows words no example
/// used ("money back" is near "refund"), so the model generalises beyond the authors' words.
public struct FeatureExtractor: Sendable {
    /// Which n-grams are extracted.
    public struct Configuration: Sendable, Hashable {
        /// Word n-gram lengths (1 = unigrams).
        public var wordNGrams: ClosedRange<Int>
        /// Character n-gram lengths, within each word padded with a space on both sides.
        public var characterNGrams: ClosedRange<Int>
        /// The weight of the word block relative to the character block.
        public var wordWeight: Float
        /// The length of the word-vector block relative to the character block (0: no such block).
        public var vectorWeight: Float

        public init(
            wordNGrams: ClosedRange<Int> = 1...2, characterNGrams: ClosedRange<Int> = 2...5, wordWeight: Float = 1,
            vectorWeight: Float = FeatureExtractor.defaultVectorWeight
        ) {
            self.wordNGrams = wordNGrams
            self.characterNGrams = characterNGrams
            self.wordWeight = wordWeight
            self.vectorWeight = vectorWeight
        }
    }

    /// The word-vector block's weight when a table is given.
    public static let defaultVectorWeight: Float = 1.5

    public let configuration: Configuration
    /// The word vectors of the dense block, nil when there is none.
    public let wordVectors: WordVectors?
    /// The first index of the dense block (the number of hashed features).
    public var vectorBlockStart: Int { idf.count }
    /// Feature hash → dense index.
    private(set) var index: FeatureIndex
    /// Inverse document frequency per dense index.
    private(set) var idf: [Float] = []
    /// Whether a dense index belongs to the word block.
    private(set) var isWordFeature: [Bool] = []

    /// The number of features: the distinct hashed ones learned, then the dense block.
    public var dimension: Int { idf.count + (wordVectors?.dimension ?? 0) }

    /// Learns the feature index and IDF weights from training token lists; `wordVectors` adds the
    /// dense block (unless the configuration's `vectorWeight` is 0).
    public init(training documents: [[Token]], configuration: Configuration = Configuration(), wordVectors: WordVectors? = nil) {
        self.configuration = configuration
        self.wordVectors = configuration.vectorWeight > 0 ? wordVectors : nil
        var index: [UInt64: Int32] = [:]
        var documentFrequency: [Int] = []
        var hashes: [(UInt64, Bool)] = []
        var seen: Set<Int32> = []
        for document in documents {
            hashes.removeAll(keepingCapacity: true)
            Self.hashes(of: document, configuration: configuration, into: &hashes)
            seen.removeAll(keepingCapacity: true)
            for (hash, isWord) in hashes {
                let id: Int32
                if let existing = index[hash] {
                    id = existing
                } else {
                    id = Int32(documentFrequency.count)
                    index[hash] = id
                    documentFrequency.append(0)
                    isWordFeature.append(isWord)
                }
                if seen.insert(id).inserted { documentFrequency[Int(id)] += 1 }
            }
        }
        let n = Float(documents.count)
        idf = documentFrequency.map { log((1 + n) / (1 + Float($0))) + 1 }
        var byFeature = [UInt64](repeating: 0, count: index.count)
        for (hash, id) in index { byFeature[Int(id)] = hash }
        self.index = FeatureIndex(hashes: byFeature)
    }

    /// An extractor from its parts as `write(to:)` wrote them: `hashes[i]` is the hash of feature `i`.
    init(configuration: Configuration, wordVectors: WordVectors?, hashes: [UInt64], idf: [Float], isWordFeature: [Bool]) {
        self.configuration = configuration
        self.wordVectors = configuration.vectorWeight > 0 ? wordVectors : nil
        self.index = FeatureIndex(hashes: hashes)
        self.idf = idf
        self.isWordFeature = isWordFeature
    }

    /// True when the feature at a dense index is a word n-gram (not a character n-gram nor a vector component).
    public func isWord(_ feature: Int32) -> Bool { Int(feature) < isWordFeature.count && isWordFeature[Int(feature)] }

    /// True when `stem` was a word of some training example.
    public func knowsWord(_ stem: String) -> Bool { index[Self.unigramHash(stem)] != nil }

    /// True when the word-vector table has `token`'s word.
    public func hasVector(_ token: Token) -> Bool { !token.isEntity && wordVectors?.contains(token.text) == true }

    static func unigramHash(_ stem: String) -> UInt64 {
        let wordSeed = FNV1a.mix(FNV1a.offset, UInt8(ascii: "w"))
        var h = FNV1a.mix(wordSeed, 1)
        for byte in stem.utf8 { h = FNV1a.mix(h, byte) }
        return h
    }

    /// The message's word-vector block: the sum of its known words' vectors at unit length (empty
    /// when no word is known, or there is no table).
    public func meanVector(for tokens: [Token]) -> [Float] {
        guard let wordVectors else { return [] }
        var sum = [Float](repeating: 0, count: wordVectors.dimension)
        var found = false
        for token in tokens where !token.isEntity {
            if wordVectors.add(token.text, weight: 1, to: &sum) { found = true }
        }
        guard found else { return [] }
        var norm: Float = 0
        for value in sum { norm += value * value }
        guard norm > 0 else { return [] }
        let scale = 1 / norm.squareRoot()
        for k in sum.indices { sum[k] *= scale }
        return sum
    }

    /// The TF-IDF vector of `tokens`, each block scaled to unit length.
    public func vector(for tokens: [Token]) -> SparseVector {
        var hashes: [(UInt64, Bool)] = []
        hashes.reserveCapacity(tokens.count * 20)
        Self.hashes(of: tokens, configuration: configuration, into: &hashes)
        var ids: [Int32] = []
        ids.reserveCapacity(hashes.count)
        for (hash, _) in hashes {
            if let id = index[hash] { ids.append(id) }
        }
        ids.withUnsafeMutableBufferPointer { Self.sortInPlace($0) }
        var pairs: [(Int32, Float)] = []
        pairs.reserveCapacity(ids.count)
        var i = 0
        while i < ids.count {
            var j = i + 1
            while j < ids.count && ids[j] == ids[i] { j += 1 }
            pairs.append((ids[i], (1 + log(Float(j - i))) * idf[Int(ids[i])]))
            i = j
        }
        var wordNorm: Float = 0, charNorm: Float = 0
        for (id, value) in pairs {
            if isWordFeature[Int(id)] { wordNorm += value * value } else { charNorm += value * value }
        }
        let wordScale = wordNorm > 0 ? configuration.wordWeight / wordNorm.squareRoot() : 0
        let charScale = charNorm > 0 ? 1 / charNorm.squareRoot() : 0
        var vector = SparseVector()
        vector.indices.reserveCapacity(pairs.count)
        vector.values.reserveCapacity(pairs.count)
        for (id, value) in pairs {
            vector.indices.append(id)
            vector.values.append(value * (isWordFeature[Int(id)] ? wordScale : charScale))
        }
        let dense = meanVector(for: tokens)
        if !dense.isEmpty {
            let start = Int32(idf.count)
            vector.indices.reserveCapacity(pairs.count + dense.count)
            vector.values.reserveCapacity(pairs.count + dense.count)
            for (k, value) in dense.enumerated() {
                vector.indices.append(start + Int32(k))
                vector.values.append(value * configuration.vectorWeight)
            }
        }
        return vector
    }

    /// Sorts a message's feature ids ascending: a quicksort (median of three) that hands short
    /// ranges to insertion sort. The same order as `sort()`, several times faster on the hundred
    /// or so ids of a message, where the standard library's generic merge sort dominated.
    static func sortInPlace(_ ids: UnsafeMutableBufferPointer<Int32>) {
        var ranges: [(Int, Int)] = [(0, ids.count - 1)]
        while let (low, high) = ranges.popLast() {
            if high - low < 16 {
                if high > low {
                    for i in (low + 1)...high {
                        let value = ids[i]
                        var j = i - 1
                        while j >= low, ids[j] > value {
                            ids[j + 1] = ids[j]
                            j -= 1
                        }
                        ids[j + 1] = value
                    }
                }
                continue
            }
            let middle = low + (high - low) / 2
            if ids[middle] < ids[low] { ids.swapAt(middle, low) }
            if ids[high] < ids[low] { ids.swapAt(high, low) }
            if ids[high] < ids[middle] { ids.swapAt(high, middle) }
            let pivot = ids[middle]
            var i = low, j = high
            while i <= j {
                while ids[i] < pivot { i += 1 }
                while ids[j] > pivot { j -= 1 }
                if i <= j {
                    ids.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if low < j { ranges.append((low, j)) }
            if i < high { ranges.append((i, high)) }
        }
    }

    /// Appends the hash of every n-gram of `tokens` (with whether it is a word n-gram).
    static func hashes(of tokens: [Token], configuration: Configuration, into out: inout [(UInt64, Bool)]) {
        // Word n-grams over stems.
        let wordSeed = FNV1a.mix(FNV1a.offset, UInt8(ascii: "w"))
        for n in configuration.wordNGrams where n <= tokens.count {
            for start in 0...(tokens.count - n) {
                var h = FNV1a.mix(wordSeed, UInt8(n))
                for k in start..<(start + n) {
                    if k > start { h = FNV1a.mix(h, 0x20) }
                    for byte in tokens[k].stem.utf8 { h = FNV1a.mix(h, byte) }
                }
                out.append((h, true))
            }
        }
        // Character n-grams within each padded word.
        let charSeed = FNV1a.mix(FNV1a.offset, UInt8(ascii: "c"))
        var padded: [UInt8] = []
        for token in tokens {
            padded.removeAll(keepingCapacity: true)
            padded.append(0x20)
            padded.append(contentsOf: token.text.utf8)
            padded.append(0x20)
            let length = padded.count
            for n in configuration.characterNGrams {
                if n > length { break }
                for start in 0...(length - n) {
                    var h = FNV1a.mix(charSeed, UInt8(n))
                    for k in start..<(start + n) { h = FNV1a.mix(h, padded[k]) }
                    out.append((h, false))
                }
            }
        }
    }
}
