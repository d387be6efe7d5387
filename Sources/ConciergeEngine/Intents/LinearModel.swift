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

        public init(c: Float = 0.5, maximumIterations: Int = 40, tolerance: Float = 0.1, bias: Float = 1) {
            self.c = c
            self.maximumIterations = maximumIterations
            self.tolerance = tolerance
            self.bias = bias
        }
    }

    public let classCount: Int
    public let dimension: Int
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
        let shared = SendableBuffer(base: perClass.baseAddress!)
        let squaredNorms = examples.map { $0.squaredNorm + parameters.bias * parameters.bias }
        DispatchQueue.concurrentPerform(iterations: classCount) { k in
            let w = UnsafeMutableBufferPointer(start: shared.base + k * (dimension + 1), count: dimension + 1)
            Self.trainOneVersusRest(
                examples: examples, positive: { labels[$0] == k }, squaredNorms: squaredNorms, parameters: parameters,
                seed: UInt64(k) &+ 0x9E37_79B9, weights: w)
        }
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

    /// Dual coordinate descent for one binary problem; `weights` has `dimension + 1` entries (the last is the bias).
    private static func trainOneVersusRest(
        examples: [SparseVector], positive: (Int) -> Bool, squaredNorms: [Float], parameters: Parameters, seed: UInt64,
        weights w: UnsafeMutableBufferPointer<Float>
    ) {
        let n = examples.count
        let biasIndex = w.count - 1
        let diagonal = 1 / (2 * parameters.c)
        var alpha = [Float](repeating: 0, count: n)
        var order = Array(0..<n)
        var active = n
        var random = SplitMix64(seed: seed)
        var shrinkBound = Float.infinity
        for _ in 0..<parameters.maximumIterations {
            var maxGradient = -Float.infinity, minGradient = Float.infinity
            for i in 0..<active {
                let j = i + Int(random.next() % UInt64(active - i))
                order.swapAt(i, j)
            }
            var s = 0
            while s < active {
                let i = order[s]
                let y: Float = positive(i) ? 1 : -1
                let x = examples[i]
                var dot = w[biasIndex] * parameters.bias
                for p in 0..<x.indices.count { dot += w[Int(x.indices[p])] * x.values[p] }
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
                    alpha[i] = max(old - gradient / (squaredNorms[i] + diagonal), 0)
                    let step = (alpha[i] - old) * y
                    for p in 0..<x.indices.count { w[Int(x.indices[p])] += step * x.values[p] }
                    w[biasIndex] += step * parameters.bias
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
