/// The statistical half of intent matching: a linear model over word and character n-grams,
/// learned from the examples when the knowledge loads, with a calibrated confidence.
///
/// ```swift
/// let classifier = IntentClassifier(training: examples, labels: labels, classCount: 3)
/// let prediction = classifier.predict(analyzer.analyze("wheres my oder").tokens)
/// prediction.label        // the best class
/// prediction.confidence   // P(that class is right), 0...1
/// ```
public struct IntentClassifier: Sendable {
    /// Training options.
    public struct Configuration: Sendable, Hashable {
        public var features = FeatureExtractor.Configuration()
        public var model = LinearModel.Parameters()
        /// Whether to fit the confidence calibration (on leave-one-out estimates of the training scores).
        public var calibrate = true
        public init() {}
    }

    /// The classifier's reading of one message.
    public struct Prediction: Sendable, Hashable {
        /// The best class.
        public var label: Int
        /// The probability that `label` is right.
        public var confidence: Double
        /// The best classes with their decision values, best first (at most five).
        public var ranked: [(label: Int, score: Double)]
        /// The best decision value minus the runner-up's.
        public var margin: Double

        public static func == (a: Prediction, b: Prediction) -> Bool {
            a.label == b.label && a.confidence == b.confidence && a.margin == b.margin
                && a.ranked.elementsEqual(b.ranked) { $0.label == $1.label && $0.score == $1.score }
        }

        public func hash(into hasher: inout Hasher) {
            hasher.combine(label)
            hasher.combine(confidence)
        }
    }

    public let classCount: Int
    let features: FeatureExtractor
    let model: LinearModel
    public let calibrator: PlattCalibrator

    /// Trains on token lists with labels in `0..<classCount`.
    public init(training examples: [[Token]], labels: [Int], classCount: Int, configuration: Configuration = Configuration()) {
        precondition(examples.count == labels.count, "one label per example")
        self.classCount = classCount
        let features = FeatureExtractor(training: examples, configuration: configuration.features)
        let vectors = examples.map(features.vector(for:))
        self.features = features
        self.model = LinearModel(
            examples: vectors, labels: labels, classCount: classCount, dimension: features.dimension, parameters: configuration.model)

        // Calibrate on scores the model would give each example had it not trained on it.
        guard configuration.calibrate, classCount > 1, examples.count >= 2 * classCount else {
            calibrator = PlattCalibrator()
            return
        }
        var samples: [(best: Double, margin: Double, correct: Bool)] = []
        samples.reserveCapacity(vectors.count)
        for (i, vector) in vectors.enumerated() {
            let (best, second) = Self.topTwo(model.leaveOneOutScores(forTrainingExample: i, vector: vector))
            samples.append((Double(best.score), Double(best.score - second.score), best.label == labels[i]))
        }
        calibrator = PlattCalibrator(fitting: samples)
    }

    /// Classifies one message's tokens.
    public func predict(_ tokens: [Token]) -> Prediction {
        let scores = model.scores(for: features.vector(for: tokens))
        var ranked: [(label: Int, score: Double)] = []
        ranked.reserveCapacity(6)
        for (label, score) in scores.enumerated() {
            let value = Double(score)
            if ranked.count == 5, value <= ranked[4].score { continue }
            var i = ranked.count
            while i > 0, ranked[i - 1].score < value { i -= 1 }
            ranked.insert((label, value), at: i)
            if ranked.count > 5 { ranked.removeLast() }
        }
        let best = ranked.first ?? (0, 0)
        let margin = ranked.count > 1 ? best.score - ranked[1].score : best.score + 1
        return Prediction(
            label: best.label, confidence: calibrator.confidence(best: best.score, margin: margin), ranked: ranked, margin: margin)
    }

    static func topTwo(_ scores: [Float]) -> (best: (label: Int, score: Float), second: (label: Int, score: Float)) {
        var best = (label: 0, score: -Float.infinity), second = (label: 0, score: -Float.infinity)
        for (label, score) in scores.enumerated() {
            if score > best.score {
                second = best
                best = (label, score)
            } else if score > second.score {
                second = (label, score)
            }
        }
        if second.score == -.infinity { second = (best.label, best.score - 1) }
        return (best, second)
    }
}
