import Foundation

/// Turns the classifier's evidence about one candidate intent into the probability that the
/// candidate is right: a logistic regression over standardised evidence.
///
/// It is fitted when the knowledge loads, on leave-one-out evidence for the training examples, so a
/// confidence of 0.8 means "right about 8 times in 10" on messages like the examples. Given labelled
/// messages that include out-of-scope ones (`concierge eval intents --tune-on`), it can be refitted
/// to learn what out-of-scope messages look like as well.
public struct ConfidenceModel: Sendable, Hashable {
    /// The evidence, in the order `IntentClassifier.Evidence.values` lists it.
    public static let featureNames = [
        "score", "margin", "log_sum_exp", "centroid_cosine", "best_centroid_cosine", "unknown_words", "length",
        "nearest_example", "nearest_example_of_class",
    ]

    var means: [Double]
    var deviations: [Double]
    /// Weights of the standardised evidence, then the intercept.
    public private(set) var coefficients: [Double]

    /// A conservative mapping used when there is nothing to fit on: confidence grows with the margin.
    public init() {
        let width = Self.featureNames.count
        means = [Double](repeating: 0, count: width)
        deviations = [Double](repeating: 1, count: width)
        coefficients = [0, 6, 0, 0, 0, 0, 0, 0, 0, -1]
    }

    /// A model from its parts as `write(to:)` wrote them.
    init(means: [Double], deviations: [Double], coefficients: [Double]) {
        self.means = means
        self.deviations = deviations
        self.coefficients = coefficients
    }

    /// Fits on evidence vectors labelled with whether the candidate was right; nil when they are all
    /// right or all wrong.
    public init?(fitting samples: [[Double]], correct: [Bool]) {
        guard let first = samples.first else { return nil }
        let width = first.count
        var means = [Double](repeating: 0, count: width)
        var deviations = [Double](repeating: 0, count: width)
        for sample in samples { for i in 0..<width { means[i] += sample[i] } }
        for i in 0..<width { means[i] /= Double(samples.count) }
        for sample in samples { for i in 0..<width { deviations[i] += (sample[i] - means[i]) * (sample[i] - means[i]) } }
        for i in 0..<width { deviations[i] = max((deviations[i] / Double(samples.count)).squareRoot(), 1e-6) }
        let standardised = samples.map { sample in (0..<width).map { (sample[$0] - means[$0]) / deviations[$0] } }
        guard let coefficients = LogisticFit.fit(features: standardised, targets: correct) else { return nil }
        self.means = means
        self.deviations = deviations
        self.coefficients = coefficients
    }

    /// The probability that the candidate with this evidence is right.
    public func confidence(_ evidence: [Double]) -> Double {
        var z = coefficients[evidence.count]
        for i in evidence.indices { z += coefficients[i] * (evidence[i] - means[i]) / deviations[i] }
        return 1 / (1 + exp(-z))
    }
}
