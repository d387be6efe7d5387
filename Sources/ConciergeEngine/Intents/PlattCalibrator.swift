import Foundation

/// Maps a classifier's raw evidence to the probability that its best guess is right.
///
/// A logistic function of the best decision value and its margin over the runner-up, fitted on
/// predictions for examples the model did not train on (cross-validation folds), so a confidence of
/// 0.8 means "right about 8 times in 10" on messages like the examples.
public struct PlattCalibrator: Sendable, Hashable {
    /// Weights of (best score, margin) and the intercept.
    public private(set) var coefficients: [Double]

    /// An uncalibrated mapping for when there is too little data to fit: a steep logistic of the margin.
    public init(coefficients: [Double] = [2.0, 6.0, -1.0]) {
        precondition(coefficients.count == 3, "two weights and an intercept")
        self.coefficients = coefficients
    }

    /// Fits on (best score, margin, was the best guess right) triples; keeps the default when they
    /// are all right or all wrong.
    public init(fitting samples: [(best: Double, margin: Double, correct: Bool)]) {
        self.init()
        if let fitted = LogisticFit.fit(features: samples.map { [$0.best, $0.margin] }, targets: samples.map(\.correct)) {
            coefficients = fitted
        }
    }

    /// The probability that the best guess is right.
    public func confidence(best: Double, margin: Double) -> Double {
        LogisticFit.probability(coefficients, [best, margin])
    }
}

/// Logistic regression on a few dense features, fitted by Newton's method: the calibration tool.
public enum LogisticFit {
    /// The weights (one per feature, then the intercept) that best predict `targets`, or nil when the
    /// targets are all the same. Targets are smoothed as Platt (1999) suggests, so the fit stays finite.
    public static func fit(features: [[Double]], targets: [Bool], iterations: Int = 50) -> [Double]? {
        precondition(features.count == targets.count, "one target per sample")
        let positives = targets.filter { $0 }.count
        guard positives > 0, positives < targets.count, let width = features.first?.count else { return nil }
        let n = width + 1
        let high = (Double(positives) + 1) / (Double(positives) + 2)
        let low = 1 / (Double(targets.count - positives) + 2)
        var beta = [Double](repeating: 0, count: n)
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: n)
            var hessian = (0..<n).map { i in (0..<n).map { $0 == i ? 1e-6 : 0.0 } }
            for (sample, target) in zip(features, targets) {
                let x = sample + [1]
                let p = probability(beta, sample)
                let t = target ? high : low
                let weight = max(p * (1 - p), 1e-9)
                for a in 0..<n {
                    gradient[a] += (p - t) * x[a]
                    for b in 0..<n { hessian[a][b] += weight * x[a] * x[b] }
                }
            }
            guard let step = solve(hessian, gradient) else { break }
            for a in 0..<n { beta[a] -= step[a] }
            if step.map(abs).max()! < 1e-7 { break }
        }
        return beta.allSatisfy(\.isFinite) ? beta : nil
    }

    /// σ(w·x + b) for weights `w` followed by the intercept `b`.
    public static func probability(_ coefficients: [Double], _ x: [Double]) -> Double {
        var z = coefficients[x.count]
        for i in x.indices { z += coefficients[i] * x[i] }
        return 1 / (1 + exp(-z))
    }

    /// Solves a small linear system by Gaussian elimination with partial pivoting.
    static func solve(_ matrix: [[Double]], _ vector: [Double]) -> [Double]? {
        var a = matrix
        var b = vector
        let n = b.count
        for column in 0..<n {
            guard let pivot = (column..<n).max(by: { abs(a[$0][column]) < abs(a[$1][column]) }), abs(a[pivot][column]) > 1e-12 else {
                return nil
            }
            a.swapAt(column, pivot)
            b.swapAt(column, pivot)
            for row in (column + 1)..<n {
                let factor = a[row][column] / a[column][column]
                for k in column..<n { a[row][k] -= factor * a[column][k] }
                b[row] -= factor * b[column]
            }
        }
        var x = [Double](repeating: 0, count: n)
        for row in stride(from: n - 1, through: 0, by: -1) {
            var sum = b[row]
            for k in (row + 1)..<n { sum -= a[row][k] * x[k] }
            x[row] = sum / a[row][row]
        }
        return x
    }

    /// Expected calibration error: the mean gap between confidence and accuracy over ten equal-width bins.
    public static func expectedCalibrationError(confidences: [Double], correct: [Bool]) -> Double {
        var count = [Int](repeating: 0, count: 10), sum = [Double](repeating: 0, count: 10), right = [Int](repeating: 0, count: 10)
        for (confidence, isRight) in zip(confidences, correct) {
            let bin = min(9, max(0, Int(confidence * 10)))
            count[bin] += 1
            sum[bin] += confidence
            if isRight { right[bin] += 1 }
        }
        var error = 0.0
        for bin in 0..<10 where count[bin] > 0 {
            error += abs(sum[bin] / Double(count[bin]) - Double(right[bin]) / Double(count[bin])) * Double(count[bin])
        }
        return error / Double(max(confidences.count, 1))
    }
}
