import Foundation

/// Logistic regression on a few dense features, fitted by Newton's method: the calibration tool.
public enum LogisticFit {
    /// The weights (one per feature, then the intercept) that best predict `targets`, or nil when the
    /// targets are all the same. Targets are smoothed as Platt (1999) suggests and a small ridge
    /// penalty keeps the fit finite when the classes separate.
    public static func fit(features: [[Double]], targets: [Bool], ridge: Double = 1e-3, iterations: Int = 50) -> [Double]? {
        precondition(features.count == targets.count, "one target per sample")
        let positives = targets.filter { $0 }.count
        guard positives > 0, positives < targets.count, let width = features.first?.count else { return nil }
        let n = width + 1
        let high = (Double(positives) + 1) / (Double(positives) + 2)
        let low = 1 / (Double(targets.count - positives) + 2)
        let penalty = ridge * Double(targets.count)
        var beta = [Double](repeating: 0, count: n)
        for _ in 0..<iterations {
            var gradient = [Double](repeating: 0, count: n)
            var hessian = (0..<n).map { i in (0..<n).map { $0 == i ? (i < width ? penalty : 1e-9) : 0.0 } }
            for a in 0..<width { gradient[a] += penalty * beta[a] }
            for (sample, target) in zip(features, targets) {
                let p = probability(beta, sample)
                let t = target ? high : low
                let weight = max(p * (1 - p), 1e-9)
                for a in 0..<n {
                    let xa = a < width ? sample[a] : 1
                    gradient[a] += (p - t) * xa
                    for b in a..<n { hessian[a][b] += weight * xa * (b < width ? sample[b] : 1) }
                }
            }
            for a in 0..<n { for b in 0..<a { hessian[a][b] = hessian[b][a] } }
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
