import Dispatch

/// A one-vs-rest linear classifier over sparse features, trained as L2-regularised squared-hinge
/// support vector machines by dual coordinate descent (the method of liblinear).
///
/// Weights are stored feature-major (all classes of feature 0, then of feature 1...), so scoring a
/// message touches one contiguous row per active feature. Training is deterministic: the visiting
/// order comes from a fixed-seed generator per class.
public struct LinearModel: Sendable {
    /// Training options.
    public struct Parameters: Sendable, Hashable {
        /// The inverse regularisation strength: higher fits the examples more closely.
        public var c: Float
        /// Passes over the data at most.
        public var maximumIterations: Int
        /// Stop when the largest projected gradient falls below this.
        public var tolerance: Float
        /// The constant feature's value (a learned bias), 0 for none.
        public var bias: Float

        public init(c: Float = 1, maximumIterations: Int = 20, tolerance: Float = 0.1, bias: Float = 1) {
            self.c = c
            self.maximumIterations = maximumIterations
            self.tolerance = tolerance
            self.bias = bias
        }
    }

    public let classCount: Int
    public let dimension: Int
    /// The dual variables of training, alphas[k * n + i]: how much example i shaped class k's weights.
    /// Kept so that `leaveOneOutScores` can remove an example's own contribution.
    private var alphas: [Float] = []
    private var trainingSquaredNorms: [Float] = []
    private var trainingLabels: [Int] = []
    private var bias: Float = 0
    /// weights[f * classCount + k]
    private var weights: [Float]
    private var biases: [Float]

    /// Trains on `examples` with `labels` in `0..<classCount`.
    public init(examples: [SparseVector], labels: [Int], classCount: Int, dimension: Int, parameters: Parameters = Parameters()) {
        precondition(examples.count == labels.count, "one label per example")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classCount }, "labels must be in 0..<classCount")
        self.classCount = classCount
        self.dimension = dimension
        let perClass = UnsafeMutableBufferPointer<Float>.allocate(capacity: classCount * (dimension + 1))
        perClass.initialize(repeating: 0)
        defer { perClass.deallocate() }
        let rows = CompressedRows(examples, bias: parameters.bias)
        let n = examples.count
        let alphaBuffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: max(1, classCount * n))
        alphaBuffer.initialize(repeating: 0)
        defer { alphaBuffer.deallocate() }
        let shared = SendableBuffer(base: perClass.baseAddress!)
        let sharedAlpha = SendableBuffer(base: alphaBuffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: classCount) { k in
            let w = UnsafeMutableBufferPointer(start: shared.base + k * (dimension + 1), count: dimension + 1)
            let alpha = UnsafeMutableBufferPointer(start: sharedAlpha.base + k * n, count: n)
            Self.trainOneVersusRest(
                rows: rows, labels: labels, positive: k, parameters: parameters, seed: UInt64(k) &+ 0x9E37_79B9, weights: w, alpha: alpha)
        }
        alphas = Array(alphaBuffer.prefix(classCount * n))
        trainingSquaredNorms = rows.squaredNorm
        trainingLabels = labels
        bias = parameters.bias
        var weights = [Float](repeating: 0, count: dimension * classCount)
        var biases = [Float](repeating: 0, count: classCount)
        for k in 0..<classCount {
            let row = perClass.baseAddress! + k * (dimension + 1)
            for f in 0..<dimension { weights[f * classCount + k] = row[f] }
            biases[k] = row[dimension] * parameters.bias
        }
        self.weights = weights
        self.biases = biases
    }

    /// The decision value of every class for `vector`.
    public func scores(for vector: SparseVector) -> [Float] {
        var scores = biases
        weights.withUnsafeBufferPointer { w in
            scores.withUnsafeMutableBufferPointer { s in
                for (position, feature) in vector.indices.enumerated() where Int(feature) < dimension {
                    let value = vector.values[position]
                    let row = Int(feature) * classCount
                    for k in 0..<classCount { s[k] += value * w[row + k] }
                }
            }
        }
        return scores
    }

    /// The decision values for training example `i` (whose vector is `vector`) with the example's own
    /// contribution to each class's weights removed: an estimate of how the model would score it had
    /// it not trained on it (the leave-one-out approximation), used to calibrate confidence without
    /// training again.
    public func leaveOneOutScores(forTrainingExample i: Int, vector: SparseVector) -> [Float] {
        var scores = self.scores(for: vector)
        let n = trainingLabels.count
        for k in 0..<classCount {
            let y: Float = trainingLabels[i] == k ? 1 : -1
            scores[k] -= alphas[k * n + i] * y * trainingSquaredNorms[i]
        }
        return scores
    }

    /// Dual coordinate descent for one binary problem (class `positive` against the rest);
    /// `weights` has `dimension + 1` entries, the last for the bias feature.
    private static func trainOneVersusRest(
        rows: CompressedRows, labels: [Int], positive: Int, parameters: Parameters, seed: UInt64,
        weights w: UnsafeMutableBufferPointer<Float>, alpha: UnsafeMutableBufferPointer<Float>
    ) {
        let n = rows.count
        let biasIndex = w.count - 1
        let bias = parameters.bias
        let diagonal = 1 / (2 * parameters.c)
        var order = Array(0..<n)
        var active = n
        var random = SplitMix64(seed: seed)
        var shrinkBound = Float.infinity
        rows.start.withUnsafeBufferPointer { start in
            rows.index.withUnsafeBufferPointer { index in
                rows.value.withUnsafeBufferPointer { value in
                    rows.squaredNorm.withUnsafeBufferPointer { squaredNorm in
                        labels.withUnsafeBufferPointer { labels in
                            do {
                                order.withUnsafeMutableBufferPointer { order in
                                    for _ in 0..<parameters.maximumIterations {
                                        var maxGradient = -Float.infinity, minGradient = Float.infinity
                                        for i in 0..<active {
                                            let j = i + Int(random.next() % UInt64(active - i))
                                            order.swapAt(i, j)
                                        }
                                        var s = 0
                                        while s < active {
                                            let i = order[s]
                                            let y: Float = labels[i] == positive ? 1 : -1
                                            let from = Int(start[i]), to = Int(start[i + 1])
                                            var dot = w[biasIndex] * bias
                                            for p in from..<to { dot += w[Int(index[p])] * value[p] }
                                            let gradient = y * dot - 1 + diagonal * alpha[i]
                                            var projected = gradient
                                            if alpha[i] == 0 {
                                                if gradient > shrinkBound {
                                                    // Shrink: this example is comfortably outside the margin.
                                                    active -= 1
                                                    order.swapAt(s, active)
                                                    continue
                                                }
                                                projected = min(gradient, 0)
                                            }
                                            maxGradient = max(maxGradient, projected)
                                            minGradient = min(minGradient, projected)
                                            if abs(projected) > 1e-12 {
                                                let old = alpha[i]
                                                alpha[i] = max(old - gradient / (squaredNorm[i] + diagonal), 0)
                                                let step = (alpha[i] - old) * y
                                                for p in from..<to { w[Int(index[p])] += step * value[p] }
                                                w[biasIndex] += step * bias
                                            }
                                            s += 1
                                        }
                                        if maxGradient - minGradient <= parameters.tolerance {
                                            if active == n { break }
                                            active = n  // Check once more on everything before stopping.
                                            shrinkBound = .infinity
                                            continue
                                        }
                                        shrinkBound = maxGradient <= 0 ? .infinity : maxGradient
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Training examples in compressed sparse rows: one contiguous array of indexes and values, so the
/// inner loops of training touch no reference-counted storage.
private struct CompressedRows: Sendable {
    var start: [Int32] = [0]
    var index: [Int32] = []
    var value: [Float] = []
    var squaredNorm: [Float] = []
    var count: Int { squaredNorm.count }

    init(_ examples: [SparseVector], bias: Float) {
        let total = examples.reduce(0) { $0 + $1.count }
        index.reserveCapacity(total)
        value.reserveCapacity(total)
        for example in examples {
            index.append(contentsOf: example.indices)
            value.append(contentsOf: example.values)
            start.append(Int32(index.count))
            squaredNorm.append(example.squaredNorm + bias * bias)
        }
    }
}

/// A raw pointer handed to concurrent training tasks that each write their own disjoint range.
private struct SendableBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}

/// A small, fast, seedable generator, so training visits examples in the same order on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
