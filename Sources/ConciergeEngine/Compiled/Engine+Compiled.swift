/// Compiled knowledge: what building an engine computes from the knowledge (the spelling tables, the
/// trained classifier and its calibration, the retrieval index) as bytes, so the next start reads
/// them instead of computing them again.
///
/// ```swift
/// let bytes = engine.compiled()                       // [UInt8], written to a file by the caller
/// let again = try Engine(knowledge: knowledge, compiled: ByteStorage(copying: bytes))
/// ```
///
/// The bytes begin with the format version and a fingerprint of everything the computation read
/// (the texts of the knowledge, the settings it uses, the classifier's configuration, the word-vector
/// table's shape), so bytes compiled from other knowledge are refused (`CompiledFormatError`), never
/// used. An engine read back gives the same replies, bit for bit, as the engine they were written from.
/// The engine does no I/O: the caller reads and writes the bytes (`ConciergeKnowledge.CompiledCache`).
extension Engine {
    /// The version of the compiled layout; bumped whenever what is written, or how, changes.
    public static let compiledFormatVersion: UInt32 = 3

    /// The compiled form of this engine.
    public func compiled() -> [UInt8] {
        var writer = ByteWriter()
        writer.tag("CENG")
        writer.write(Self.compiledFormatVersion)
        writer.write(Self.fingerprint(of: knowledge, classifier: classifierConfiguration))
        analyzer.speller.write(to: &writer)
        matcher.write(to: &writer)
        retriever.write(to: &writer)
        writer.tag("DONE")
        return writer.bytes
    }

    /// An engine for `knowledge` from its compiled form; throws when the bytes are damaged, of another
    /// format version, or compiled from other knowledge or settings.
    public init(
        knowledge: KnowledgeBase, compiled storage: ByteStorage, classifier: IntentClassifier.Configuration = .init()
    ) throws(CompiledFormatError) {
        let configuration = Self.effectiveConfiguration(classifier, for: knowledge)
        var reader = ByteReader(storage)
        try reader.expect("CENG")
        let version = try reader.readUInt32()
        guard version == Self.compiledFormatVersion else { throw .unsupportedVersion(version) }
        guard try reader.readUInt64() == Self.fingerprint(of: knowledge, classifier: configuration) else {
            throw .corrupt("it was compiled from other knowledge or settings")
        }
        let speller = try SpellingCorrector(from: &reader)
        let analyzer = Self.analyzer(for: knowledge, speller: speller)
        let matcher = try IntentMatcher(
            from: &reader, intents: knowledge.intents, analyzer: analyzer, configuration: configuration, wordVectors: knowledge.wordVectors)
        let retriever = try ArticleRetriever(from: &reader, documentCount: knowledge.articles.count)
        try reader.expect("DONE")
        self.init(knowledge: knowledge, analyzer: analyzer, matcher: matcher, retriever: retriever, classifier: configuration)
    }

    /// The fingerprint compiled knowledge for `knowledge` carries: a stable hash of everything
    /// compiling reads (a cache names its files by it).
    public static func compiledFingerprint(of knowledge: KnowledgeBase, classifier: IntentClassifier.Configuration = .init()) -> UInt64 {
        fingerprint(of: knowledge, classifier: effectiveConfiguration(classifier, for: knowledge))
    }

    /// A stable 64-bit hash of everything compiling reads: the knowledge's texts in order, the
    /// settings compiling uses, the classifier's configuration and the word-vector table's shape.
    static func fingerprint(of knowledge: KnowledgeBase, classifier configuration: IntentClassifier.Configuration) -> UInt64 {
        var hasher = StableHasher()
        hasher.combine(knowledge.settings.maximumMessageLength)
        let features = configuration.features
        hasher.combine(features.wordNGrams.lowerBound)
        hasher.combine(features.wordNGrams.upperBound)
        hasher.combine(features.characterNGrams.lowerBound)
        hasher.combine(features.characterNGrams.upperBound)
        hasher.combine(features.wordWeight.bitPattern)
        hasher.combine(features.vectorWeight.bitPattern)
        hasher.combine(configuration.model.c.bitPattern)
        hasher.combine(configuration.model.maximumIterations)
        hasher.combine(configuration.model.tolerance.bitPattern)
        hasher.combine(configuration.model.bias.bitPattern)
        hasher.combine(configuration.calibrationFolds ?? -1)
        if features.vectorWeight > 0, let table = knowledge.wordVectors {
            hasher.combine(1)
            hasher.combine(table.fingerprint)
        } else {
            hasher.combine(0)
        }
        hasher.combine(knowledge.intents.count)
        for intent in knowledge.intents {
            hasher.combine(intent.name)
            hasher.combine(intent.label)
            hasher.combine(intent.examples)
            hasher.combine(intent.patterns)
        }
        hasher.combine(knowledge.articles.count)
        for article in knowledge.articles {
            hasher.combine(article.id)
            hasher.combine(article.title)
            hasher.combine(article.questions)
            hasher.combine(article.summary ?? "\u{0}none")
            hasher.combine(article.body)
        }
        hasher.combine(knowledge.synonyms.count)
        for entry in knowledge.synonyms {
            hasher.combine(entry.canonical)
            hasher.combine(entry.variants)
        }
        hasher.combine(knowledge.entities.count)
        for definition in knowledge.entities {
            hasher.combine(definition.name)
            hasher.combine(definition.patterns)
            hasher.combine(definition.values.count)
            for value in definition.values {
                hasher.combine(value.value)
                hasher.combine(value.synonyms)
            }
        }
        return hasher.value
    }
}

/// FNV-1a over typed values, each length-prefixed, so ["ab", "c"] and ["a", "bc"] differ.
struct StableHasher {
    private(set) var value = FNV1a.offset

    mutating func combine(_ number: Int) { combine(UInt64(bitPattern: Int64(number))) }
    mutating func combine(_ number: UInt32) { combine(UInt64(number)) }

    mutating func combine(_ number: UInt64) {
        var n = number
        for _ in 0..<8 {
            value = FNV1a.mix(value, UInt8(truncatingIfNeeded: n))
            n >>= 8
        }
    }

    mutating func combine(_ string: String) {
        combine(string.utf8.count)
        for byte in string.utf8 { value = FNV1a.mix(value, byte) }
    }

    mutating func combine(bytes: UnsafeRawBufferPointer) {
        combine(bytes.count)
        for byte in bytes { value = FNV1a.mix(value, byte) }
    }

    mutating func combine(_ strings: [String]) {
        combine(strings.count)
        for string in strings { combine(string) }
    }
}

extension SpellingCorrector {
    func write(to writer: inout ByteWriter) {
        writer.tag("SPEL")
        let entries = frequency.sorted { $0.key < $1.key }
        writer.write(entries.map(\.key))
        writer.write(array: entries.map { Int64($0.value) })
        writer.write(array: deletes)
    }

    init(from reader: inout ByteReader) throws(CompiledFormatError) {
        try reader.expect("SPEL")
        let words = try reader.readStrings()
        let counts = try reader.readArray(of: Int64.self)
        guard counts.count == words.count else { throw .corrupt("the spelling vocabulary's counts") }
        var frequency: [String: Int] = [:]
        frequency.reserveCapacity(words.count)
        for (i, word) in words.enumerated() { frequency[word] = Int(counts[i]) }
        let deletes = try reader.readArray(of: UInt64.self)
        self.init(frequencies: frequency, deletes: deletes)
        let wordCount = UInt64(correctableWordCount)
        let mask: UInt64 = (1 << UInt64(Self.idBits)) - 1
        let valid = deletes.withUnsafeBufferPointer { $0.allSatisfy { $0 & mask < wordCount } }
        guard valid else { throw .corrupt("a spelling table names a word it does not have") }
    }
}

extension IntentMatcher {
    func write(to writer: inout ByteWriter) {
        writer.tag("MTCH")
        writer.write(classifier != nil)
        classifier?.write(to: &writer)
    }

    /// Patterns are compiled again from the intents (it is quick); the classifier is read.
    init(
        from reader: inout ByteReader, intents: [Intent], analyzer: TextAnalyzer, configuration: IntentClassifier.Configuration,
        wordVectors: WordVectors?
    ) throws(CompiledFormatError) {
        try reader.expect("MTCH")
        self.init(intents: intents, analyzer: analyzer, configuration: configuration, wordVectors: wordVectors, train: false)
        let hasClassifier = try reader.readBool()
        guard hasClassifier == (classIntents.count >= 2) else { throw .corrupt("the classifier does not fit the intents") }
        if hasClassifier {
            classifier = try IntentClassifier(from: &reader, classCount: classIntents.count, configuration: configuration, wordVectors: wordVectors)
        }
    }
}

extension IntentClassifier {
    func write(to writer: inout ByteWriter) {
        writer.tag("CLSF")
        writer.write(classCount)
        // The features: their hashes in index order, idf, and which are words.
        writer.write(array: features.index.hashes)
        writer.write(array: features.idf)
        writer.write(array: features.isWordFeature.map { $0 ? UInt8(1) : 0 })
        writer.write(model.dimension)
        writer.write(array: model.weights)
        writer.write(array: centroids)
        writer.write(array: centroidSquaredNorms)
        writer.write(array: wordPostingStart)
        writer.write(array: wordPostingExample)
        writer.write(array: wordPostingValue)
        writer.write(array: exampleLabels)
        writer.write(array: confidenceModel.means)
        writer.write(array: confidenceModel.deviations)
        writer.write(array: confidenceModel.coefficients)
    }

    init(
        from reader: inout ByteReader, classCount: Int, configuration: Configuration, wordVectors: WordVectors?
    ) throws(CompiledFormatError) {
        try reader.expect("CLSF")
        guard try reader.readCount() == classCount else { throw .corrupt("the classifier's classes do not fit the intents") }
        let hashes = try reader.readArray(of: UInt64.self).array
        let idf = try reader.readArray(of: Float.self).array
        let isWord = try reader.readArray(of: UInt8.self).array.map { $0 != 0 }
        guard idf.count == hashes.count, isWord.count == hashes.count else { throw .corrupt("the feature tables' lengths") }
        let features = FeatureExtractor(
            configuration: configuration.features, wordVectors: wordVectors, hashes: hashes, idf: idf, isWordFeature: isWord)
        let dimension = try reader.readCount()
        guard dimension == features.dimension else { throw .corrupt("the model's dimension does not fit its features") }
        let weights = try reader.readArray(of: Float.self)
        guard weights.count == (dimension + 1) * classCount else { throw .corrupt("the model's weights") }
        let centroids = try reader.readArray(of: Float.self)
        guard centroids.count == dimension * classCount else { throw .corrupt("the centroids") }
        let norms = try reader.readArray(of: Float.self).array
        guard norms.count == classCount else { throw .corrupt("the centroid norms") }
        let start = try reader.readArray(of: Int32.self)
        let example = try reader.readArray(of: Int32.self)
        let value = try reader.readArray(of: Float.self)
        let labels = try reader.readArray(of: Int32.self)
        guard start.count == dimension + 1 else {
            throw .corrupt("the example postings' starts")
        }
        guard example.count == value.count, start.count > 0, start[0] == 0, Int(start[start.count - 1]) == example.count else {
            throw .corrupt("the example postings")
        }
        let ordered = start.withUnsafeBufferPointer { s in zip(s, s.dropFirst()).allSatisfy { $0 <= $1 } }
        let inRange = example.withUnsafeBufferPointer { $0.allSatisfy { $0 >= 0 && Int($0) < labels.count } }
        let labelled = labels.withUnsafeBufferPointer { $0.allSatisfy { $0 >= 0 && Int($0) < classCount } }
        guard ordered, inRange, labelled else { throw .corrupt("the example postings' indexes") }
        let means = try reader.readArray(of: Double.self).array
        let deviations = try reader.readArray(of: Double.self).array
        let coefficients = try reader.readArray(of: Double.self).array
        let width = ConfidenceModel.featureNames.count
        guard means.count == width, deviations.count == width, coefficients.count == width + 1 else { throw .corrupt("the calibration") }
        self.init(
            classCount: classCount, features: features, model: LinearModel(classCount: classCount, dimension: dimension, weights: weights),
            centroids: centroids, centroidSquaredNorms: norms, wordPostingStart: start, wordPostingExample: example, wordPostingValue: value,
            exampleLabels: labels, confidenceModel: ConfidenceModel(means: means, deviations: deviations, coefficients: coefficients))
    }
}

extension ArticleRetriever {
    func write(to writer: inout ByteWriter) {
        writer.tag("RETR")
        for value in [calibration.share, calibration.margin, calibration.intercept, calibration.noCoverage, calibration.fullCoverage] {
            writer.write(value)
        }
        index.write(to: &writer)
    }

    init(from reader: inout ByteReader, documentCount: Int) throws(CompiledFormatError) {
        try reader.expect("RETR")
        let calibration = Calibration(
            share: try reader.readDouble(), margin: try reader.readDouble(), intercept: try reader.readDouble(),
            noCoverage: try reader.readDouble(), fullCoverage: try reader.readDouble())
        let index = try BM25FIndex(from: &reader)
        guard index.documentCount == documentCount else { throw .corrupt("the index does not fit the articles") }
        self.init(index: index, calibration: calibration)
    }
}

extension BM25FIndex {
    func write(to writer: inout ByteWriter) {
        writer.tag("BM25")
        writer.write(array: parameters.weights)
        writer.write(array: parameters.b)
        writer.write(parameters.k1)
        writer.write(documentCount)
        writer.write(termIDs.sorted { $0.value < $1.value }.map(\.key))
        writer.write(array: idf)
        writer.write(array: lists.termBlocks)
        writer.write(array: lists.termMaximum)
        writer.write(array: lists.blockPostings)
        writer.write(array: lists.blockBytes)
        writer.write(array: lists.blockLast)
        writer.write(array: lists.blockMaximum)
        writer.write(array: lists.documentBytes)
        writer.write(array: lists.weights)
    }

    init(from reader: inout ByteReader) throws(CompiledFormatError) {
        try reader.expect("BM25")
        let weights = try reader.readArray(of: Double.self).array
        let b = try reader.readArray(of: Double.self).array
        let k1 = try reader.readDouble()
        guard weights.count == b.count else { throw .corrupt("the index's fields") }
        let documentCount = try reader.readCount()
        let terms = try reader.readStrings()
        let idf = try reader.readArray(of: Float.self).array
        let lists = PostingLists(
            termBlocks: try reader.readArray(), termMaximum: try reader.readArray(), blockPostings: try reader.readArray(),
            blockBytes: try reader.readArray(), blockLast: try reader.readArray(), blockMaximum: try reader.readArray(),
            documentBytes: try reader.readArray(), weights: try reader.readArray())
        guard idf.count == terms.count, lists.termCount == terms.count else { throw .corrupt("the index's tables") }
        guard lists.validate(documentCount: documentCount) else { throw .corrupt("the index's postings") }
        self.init(parameters: Parameters(weights: weights, b: b, k1: k1), documentCount: documentCount, terms: terms, lists: lists, idf: idf)
    }
}
