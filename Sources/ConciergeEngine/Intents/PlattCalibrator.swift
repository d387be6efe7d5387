import Foundation

/// Maps a classifier's raw evidence to the probability that its best guess is right.
///
/// A logistic function of the best decision value and its margin over the runner-up, fitted by
/// Newton's method on predictions for examples the model did not train on (cross-validation folds),
/// so a confidence of 0.8 means "right about 8 times in 10" on messages like the examples.
public struct PlattCalibrator: Sendable, Hashable {
    /// Weights of (best score, margin) and the intercept.
    public private(set) var coefficients: [Double]

    /// An uncalibrated mapping for when there is too little data to fit: a steep logistic of the margin.
    public init(coefficients: [Double] = [2.0, 6.0, -1.0]) {
        precondition(coefficients.count == 3, "two weights and an intercept")
        self.coefficients = coefficients
    }

    /// Fits on (best score, margin, was the best guess right) triples; falls back to the default
    /// when they are all right or all wrong.
    public init(fitting samples: [(best: Double, margin: Double, correct: Bool)]) {
        self.init()
        let positives = samples.filter(\.correct).count
        guard positives > 0, positives < samples.count else { return }
        // Targets smoothed as Platt (1999) suggests, so the fit never runs to infinity.
        let high = (Double(positives) + 1) / (Double(positives) + 2)
        let low = 1 / (Double(samples.count - positives) + 2)
        var beta = [0.0, 0.0, 0.0]
        for _ in 0..<50 {
            var gradient = [0.0, 0.0, 0.0]
            var hessian = [[1e-6, 0.0, 0.0], [0.0, 1e-6, 0.0], [0.0, 0.0, 1e-6]]
            for sample in samples {
                let x = [sample.best, sample.margin, 1.0]
                let z = beta[0] * x[0] + beta[1] * x[1] + beta[2]
                let p = 1 / (1 + exp(-z))
                let t = sample.correct ? high : low
                let weight = max(p * (1 - p), 1e-9)
                for a in 0..<3 {
                    gradient[a] += (p - t) * x[a]
                    for b in 0..<3 { hessian[a][b] += weight * x[a] * x[b] }
                }
            }
            guard let step = Self.solve(hessian, gradient) else { break }
            for a in 0..<3 { beta[a] -= step[a] }
            if step.map(abs).max()! < 1e-7 { break }
        }
        if beta.allSatisfy(\.isFinite) { coefficients = beta }
    }

    /// The probability that the best guess is right.
    public func confidence(best: Double, margin: Double) -> Double {
        let z = coefficients[0] * best + coefficients[1] * margin + coefficients[2]
        return 1 / (1 + exp(-z))
    }

    /// Solves a 3×3 system by Gaussian elimination with partial pivoting.
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
}
