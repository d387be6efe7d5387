import Foundation

/// The statistical half of intent matching: a linear model over word and character n-grams,
/// learned from the examples when the knowledge loads, with a calibrated confidence.
///
/// ```swift
/// let classifier = IntentClassifier(training: examples, labels: labels, classCount: 3)
/// let prediction = classifier.predict(analyzer.analyze("wheres my oder").tokens)
/// prediction.ranked.first?.label       // the best class
/// prediction.ranked.first?.confidence  // P(that class is right), 0...1
/// ```
///
/// The confidence weighs several kinds of evidence, because no single one tells an out-of-scope
/// message from an in-scope one: the decision value and its margin over the runner-up, how close the
/// message is to the class's examples on average (the class centroid) and to its nearest example
/// (by words), how close it is to any class or example, how many of its words the examples never
/// use, and its length.
public struct IntentClassifier: Sendable {
    /// Training options.
    public struct Configuration: Sendable, Hashable {
        public var features = FeatureExtractor.Configuration()
        public var model = LinearModel.Parameters()
        /// Cross-validation folds whose predictions calibrate the confidence (0: no calibration; nil:
        /// five for fewer than 1,000 examples, so each fold model still sees most of a small intent's
        /// examples, and three above, so large knowledge bases load fast).
        public var calibrationFolds: Int?
        public init() {}
    }

    /// The classifier's reading of one message: the best classes, each with its evidence and confidence.
    public struct Prediction: Sendable, Hashable {
        public struct Candidate: Sendable, Hashable {
            public var label: Int
            /// The linear model's decision value.
            public var score: Double
            /// The probability that this class is right.
            public var confidence: Double
            /// What the confidence was computed from (see `ConfidenceModel.featureNames`).
            public var evidence: [Double]
        }

        /// Best first, at most five.
        public var ranked: [Candidate]
    }

    public let classCount: Int
    let features: FeatureExtractor
    let model: LinearModel
    /// Per-class sums of the training vectors, feature-major: centroids[f * classCount + k].
    let centroids: PackedArray<Float>
    let centroidSquaredNorms: [Float]
    /// Word-feature postings of the training examples (feature → examples with their values), for the
    /// nearest-example evidence.
    let wordPostingStart: PackedArray<Int32>
    let wordPostingExample: PackedArray<Int32>
    let wordPostingValue: PackedArray<Float>
    let exampleLabels: PackedArray<Int32>
    /// The mapping from evidence to confidence; replace it to tune rejection on labelled data.
    public var confidenceModel: ConfidenceModel

    /// A classifier from its parts as `write(to:)` wrote them.
    init(
        classCount: Int, features: FeatureExtractor, model: LinearModel, centroids: PackedArray<Float>, centroidSquaredNorms: [Float],
        wordPostingStart: PackedArray<Int32>, wordPostingExample: PackedArray<Int32>, wordPostingValue: PackedArray<Float>,
        exampleLabels: PackedArray<Int32>, confidenceModel: ConfidenceModel
    ) {
        self.classCount = classCount
        self.features = features
        self.model = model
        self.centroids = centroids
        self.centroidSquaredNorms = centroidSquaredNorms
        self.wordPostingStart = wordPostingStart
        self.wordPostingExample = wordPostingExample
        self.wordPostingValue = wordPostingValue
        self.exampleLabels = exampleLabels
        self.confidenceModel = confidenceModel
    }

    /// Trains on token lists with labels in `0..<classCount`; `wordVectors` adds the word-vector
    /// block to the features (see `FeatureExtractor`).
    public init(
        training examples: [[Token]], labels: [Int], classCount: Int, configuration: Configuration = Configuration(),
        wordVectors: WordVectors? = nil
    ) {
        precondition(examples.count == labels.count, "one label per example")
        self.classCount = classCount
        let features = FeatureExtractor(training: examples, configuration: configuration.features, wordVectors: wordVectors)
        let vectors = examples.map { features.vector(for: $0) }
        self.features = features
        let model = LinearModel(
            examples: vectors, labels: labels, classCount: classCount, dimension: features.dimension, parameters: configuration.model)
        self.model = model

        var centroids = [Float](repeating: 0, count: features.dimension * classCount)
        for (vector, label) in zip(vectors, labels) {
            for (index, value) in zip(vector.indices, vector.values) { centroids[Int(index) * classCount + label] += value }
        }
        var norms = [Float](repeating: 0, count: classCount)
        for f in 0..<features.dimension { for k in 0..<classCount { norms[k] += centroids[f * classCount + k] * centroids[f * classCount + k] } }
        self.centroids = PackedArray(centroids)
        self.centroidSquaredNorms = norms
        var postings = [[(Int32, Float)]](repeating: [], count: features.dimension)
        for (i, vector) in vectors.enumerated() {
            for (index, value) in zip(vector.indices, vector.values) where features.isWord(index) {
                postings[Int(index)].append((Int32(i), value))
            }
        }
        // Words in more than a few percent of the examples ("my", "the") say little about which example
        // is nearest and would make the search slow: the search skips them (their tiny idf-weighted
        // share of a cosine is left out of the estimate).
        let common = max(32, vectors.count / 25)
        for i in postings.indices where postings[i].count > common { postings[i] = [] }
        var start: [Int32] = [0]
        var example: [Int32] = [], value: [Float] = []
        for list in postings {
            for (i, v) in list {
                example.append(i)
                value.append(v)
            }
            start.append(Int32(example.count))
        }
        wordPostingStart = PackedArray(start)
        wordPostingExample = PackedArray(example)
        wordPostingValue = PackedArray(value)
        exampleLabels = PackedArray(labels.map { Int32($0) })
        self.confidenceModel = ConfidenceModel()

        // Fit the confidence on evidence from models that did not train on the example.
        let folds = configuration.calibrationFolds ?? (examples.count < 1_000 ? 5 : 3)
        let heldOut = Self.heldOutPredictions(
            examples: examples, labels: labels, classCount: classCount, folds: folds, configuration: configuration, wordVectors: wordVectors)
        if let fitted = ConfidenceModel(fitting: heldOut.map(\.best.evidence), correct: heldOut.map { $0.best.label == labels[$0.example] }) {
            confidenceModel = fitted
        }
    }

    /// Each example's best reading by a model that did not train on it: `folds` folds, example i of
    /// each class in fold i mod `folds`. What calibrates the confidence, and what tells an author
    /// which examples read as another intent (`Engine.exampleOverlaps`). Empty when there are too
    /// few examples for the folds.
    static func heldOutPredictions(
        examples: [[Token]], labels: [Int], classCount: Int, folds: Int, configuration: Configuration, wordVectors: WordVectors?
    ) -> [(example: Int, best: Prediction.Candidate)] {
        guard folds > 1, examples.count >= folds * classCount else { return [] }
        var fold = [Int](repeating: 0, count: labels.count)
        var seen = [Int](repeating: 0, count: classCount)
        for (i, label) in labels.enumerated() {
            fold[i] = seen[label] % folds
            seen[label] += 1
        }
        var predictions: [(example: Int, best: Prediction.Candidate)] = []
        predictions.reserveCapacity(examples.count)
        for f in 0..<folds {
            let train = labels.indices.filter { fold[$0] != f }
            var foldConfiguration = configuration
            foldConfiguration.calibrationFolds = 0
            // Calibration needs the fold models' evidence to look like the full model's, not their
            // last digit of accuracy: a few passes are enough and keep loading fast.
            foldConfiguration.model.maximumIterations = min(configuration.model.maximumIterations, 4)
            let foldClassifier = IntentClassifier(
                training: train.map { examples[$0] }, labels: train.map { labels[$0] }, classCount: classCount,
                configuration: foldConfiguration, wordVectors: wordVectors)
            for i in labels.indices where fold[i] == f {
                guard let best = foldClassifier.predict(examples[i], limit: 1).ranked.first else { continue }
                predictions.append((i, best))
            }
        }
        return predictions
    }

    /// Classifies one message's tokens. When no word of the message appears in any example (nor in
    /// the word-vector table, when there is one), the classifier has no evidence and abstains (an
    /// empty prediction) rather than guess from spelling alone.
    public func predict(_ tokens: [Token], limit: Int = 5) -> Prediction {
        guard tokens.contains(where: { $0.isEntity || features.knowsWord($0.stem) || features.hasVector($0) }) else {
            return Prediction(ranked: [])
        }
        let vector = features.vector(for: tokens)
        let scores = model.scores(for: vector)
        let dots = centroidDots(vector)
        let nearest = nearestExamples(vector)
        var order: [Int] = []
        order.reserveCapacity(limit + 1)
        for label in 0..<classCount {
            if order.count == limit, scores[label] <= scores[order[limit - 1]] { continue }
            var i = order.count
            while i > 0, scores[order[i - 1]] < scores[label] { i -= 1 }
            order.insert(label, at: i)
            if order.count > limit { order.removeLast() }
        }
        let ranked = order.map { label -> Prediction.Candidate in
            let evidence = evidence(
                for: label, scores: scores, dots: dots, norms: { centroidSquaredNorms[$0] }, nearest: nearest, vector: vector, tokens: tokens)
            return .init(label: label, score: Double(scores[label]), confidence: confidenceModel.confidence(evidence), evidence: evidence)
        }
        return Prediction(ranked: ranked)
    }

    /// The evidence for class `label` (see `ConfidenceModel.featureNames`).
    func evidence(
        for label: Int, scores: [Float], dots: [Float], norms: (Int) -> Float, nearest: (overall: Float, perClass: [Float]),
        vector: SparseVector, tokens: [Token]
    ) -> [Double] {
        var other = -Float.infinity
        var maximum = -Float.infinity
        for (k, score) in scores.enumerated() {
            maximum = max(maximum, score)
            if k != label { other = max(other, score) }
        }
        var sum: Float = 0
        for score in scores { sum += exp(score - maximum) }
        let logSumExp = Double(maximum + log(sum))
        let length = max(vector.squaredNorm.squareRoot(), 1e-6)
        func cosine(_ k: Int) -> Double { Double(dots[k] / (length * max(norms(k).squareRoot(), 1e-6))) }
        var bestCosine = -1.0
        for k in 0..<classCount { bestCosine = max(bestCosine, cosine(k)) }
        let words = tokens.filter { !$0.isEntity }
        let unknown = words.isEmpty ? 1 : Double(words.filter { !features.knowsWord($0.stem) }.count) / Double(words.count)
        return [
            Double(scores[label]), Double(scores[label] - (other == -.infinity ? scores[label] - 1 : other)), logSumExp,
            cosine(label), bestCosine, unknown, log(1 + Double(tokens.count)), Double(nearest.overall), Double(nearest.perClass[label]),
        ]
    }

    /// The highest word-block cosine between `vector` and any training example, overall and per class.
    func nearestExamples(_ vector: SparseVector) -> (overall: Float, perClass: [Float]) {
        var perClass = [Float](repeating: 0, count: classCount)
        var norm: Float = 0
        var touched: [Int32] = []
        var dots = [Float](repeating: 0, count: exampleLabels.count)
        dots.withUnsafeMutableBufferPointer { dots in
            wordPostingExample.withUnsafeBufferPointer { examples in
                wordPostingValue.withUnsafeBufferPointer { values in
                    wordPostingStart.withUnsafeBufferPointer { starts in
                    for (index, value) in zip(vector.indices, vector.values) where features.isWord(index) {
                        norm += value * value
                        let from = Int(starts[Int(index)]), to = Int(starts[Int(index) + 1])
                        for p in from..<to {
                            let example = Int(examples[p])
                            if dots[example] == 0 { touched.append(examples[p]) }
                            dots[example] += value * values[p]
                        }
                    }
                    }
                }
            }
        }
        guard norm > 0 else { return (0, perClass) }
        let scale = 1 / norm.squareRoot()
        var overall: Float = 0
        exampleLabels.withUnsafeBufferPointer { exampleLabels in
            for i in touched {
                let cosine = dots[Int(i)] * scale
                let label = Int(exampleLabels[Int(i)])
                if cosine > perClass[label] { perClass[label] = cosine }
                if cosine > overall { overall = cosine }
            }
        }
        return (overall, perClass)
    }

    /// The dot product of `vector` with every class's centroid sum.
    func centroidDots(_ vector: SparseVector) -> [Float] {
        var dots = [Float](repeating: 0, count: classCount)
        centroids.withUnsafeBufferPointer { c in
            dots.withUnsafeMutableBufferPointer { d in
                for (position, feature) in vector.indices.enumerated() {
                    addScaled(vector.values[position], c.baseAddress! + Int(feature) * classCount, to: d.baseAddress!, count: classCount)
                }
            }
        }
        return dots
    }

    static func best(_ scores: [Float]) -> Int {
        var best = 0
        for (k, score) in scores.enumerated() where score > scores[best] { best = k }
        return best
    }
}
