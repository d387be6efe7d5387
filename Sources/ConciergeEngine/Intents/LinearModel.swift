import Dispatch

/// A one-vs-rest linear classifier over sparse features, trained as L2-regularised squared-hinge
/// support vector machines by dual coordinate descent (the method of liblinear).
///
/// Weights are stored feature-major (all classes of feature 0, then of feature 1...), so scoring a
/// message touches one contiguous row per active feature. Training runs the one-vs-rest problems in
/// lockstep over the same examples: an example's decision values for every class come from those
/// same contiguous rows in one vectorisable pass, and only the classes whose dual variable moved
/// are updated. The problems are independent, so this is the same optimisation as training them one
/// at a time, many times faster. The visiting order comes from a fixed-seed generator, so training
/// is deterministic.
public struct LinearModel: Sendable {
    /// Training options.
    public struct Parameters: Sendable, Hashable {
        /// The inverse regularisation strength: higher fits the examples more closely.
        public var c: Float
        /// Passes over the data at most.
        public var maximumIterations: Int
        /// Stop when the spread of projected gradients falls below this.
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
    /// weights[f * classCount + k]; the row at `dimension` is the bias.
    let weights: PackedArray<Float>

    /// A model from its parts as `write(to:)` wrote them.
    init(classCount: Int, dimension: Int, weights: PackedArray<Float>) {
        self.classCount = classCount
        self.dimension = dimension
        self.weights = weights
    }

    /// Trains on `examples` with `labels` in `0..<classCount`.
    public init(examples: [SparseVector], labels: [Int], classCount: Int, dimension: Int, parameters: Parameters = Parameters()) {
        precondition(examples.count == labels.count, "one label per example")
        precondition(labels.allSatisfy { $0 >= 0 && $0 < classCount }, "labels must be in 0..<classCount")
        self.classCount = classCount
        self.dimension = dimension
        let rows = CompressedRows(examples, bias: parameters.bias)
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: (dimension + 1) * classCount)
        buffer.initialize(repeating: 0)
        defer { buffer.deallocate() }
        // Two halves of the classes on two threads: they share the examples and never the same weights.
        let halves = classCount >= 16 ? 2 : 1
        let shared = SendableBuffer(base: buffer.baseAddress!)
        DispatchQueue.concurrentPerform(iterations: halves) { half in
            let lower = classCount * half / halves, upper = classCount * (half + 1) / halves
            Self.train(
                rows: rows, labels: labels, classes: lower..<upper, classCount: classCount, dimension: dimension, parameters: parameters,
                seed: 0x9E37_79B9_7F4A_7C15, weights: UnsafeMutableBufferPointer(start: shared.base, count: (dimension + 1) * classCount))
        }
        var weights = Array(buffer)
        // Fold the bias feature's value into its row, so scoring adds the row as it is.
        for k in 0..<classCount { weights[dimension * classCount + k] *= parameters.bias }
        self.weights = PackedArray(weights)
    }

    /// The decision value of every class for `vector`.
    public func scores(for vector: SparseVector) -> [Float] {
        var scores = [Float](repeating: 0, count: classCount)
        weights.withUnsafeBufferPointer { w in
            scores.withUnsafeMutableBufferPointer { s in
                let biasRow = dimension * classCount
                for k in 0..<classCount { s[k] = w[biasRow + k] }
                for (position, feature) in vector.indices.enumerated() where Int(feature) < dimension {
                    addScaled(vector.values[position], w.baseAddress! + Int(feature) * classCount, to: s.baseAddress!, count: classCount)
                }
            }
        }
        return scores
    }

    /// Dual coordinate descent for the one-vs-rest problems of `classes`, in lockstep.
    private static func train(
        rows: CompressedRows, labels: [Int], classes: Range<Int>, classCount: Int, dimension: Int, parameters: Parameters, seed: UInt64,
        weights w: UnsafeMutableBufferPointer<Float>
    ) {
        let n = rows.count
        let width = classes.count
        guard n > 0, width > 0 else { return }
        let first = classes.lowerBound
        let biasRow = dimension * classCount
        let bias = parameters.bias
        let diagonal = 1 / (2 * parameters.c)
        var alpha = [Float](repeating: 0, count: n * width)
        var order = Array(0..<n)
        var random = SplitMix64(seed: seed)
        var scores = [Float](repeating: 0, count: width)
        var changed: [(Int, Float)] = []
        changed.reserveCapacity(width)
        rows.start.withUnsafeBufferPointer { start in
            rows.index.withUnsafeBufferPointer { index in
                rows.value.withUnsafeBufferPointer { value in
                    alpha.withUnsafeMutableBufferPointer { alpha in
                        scores.withUnsafeMutableBufferPointer { scores in
                            for _ in 0..<parameters.maximumIterations {
                                for i in 0..<n {
                                    let j = i + Int(random.next() % UInt64(n - i))
                                    order.swapAt(i, j)
                                }
                                var maxGradient = -Float.infinity, minGradient = Float.infinity
                                for i in order {
                                    let from = Int(start[i]), to = Int(start[i + 1])
                                    // Every class's decision value for example i, from contiguous rows.
                                    for k in 0..<width { scores[k] = w[biasRow + first + k] * bias }
                                    for p in from..<to {
                                        let x = value[p]
                                        let row = Int(index[p]) * classCount + first
                                        addScaled(x, w.baseAddress! + row, to: scores.baseAddress!, count: width)
                                    }
                                    let label = labels[i] - first
                                    let q = rows.squaredNorm[i] + diagonal
                                    changed.removeAll(keepingCapacity: true)
                                    let base = i * width
                                    for k in 0..<width {
                                        let y: Float = k == label ? 1 : -1
                                        let a = alpha[base + k]
                                        let gradient = y * scores[k] - 1 + diagonal * a
                                        let projected = a == 0 ? min(gradient, 0) : gradient
                                        if projected > maxGradient { maxGradient = projected }
                                        if projected < minGradient { minGradient = projected }
                                        guard abs(projected) > 1e-12 else { continue }
                                        let updated = max(a - gradient / q, 0)
                                        if updated != a {
                                            alpha[base + k] = updated
                                            changed.append((k, (updated - a) * y))
                                        }
                                    }
                                    for (k, step) in changed {
                                        for p in from..<to { w[Int(index[p]) * classCount + first + k] += step * value[p] }
                                        w[biasRow + first + k] += step * bias
                                    }
                                }
                                if maxGradient - minGradient <= parameters.tolerance { break }
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

/// A raw pointer handed to concurrent training tasks that each write their own disjoint columns.
private struct SendableBuffer: @unchecked Sendable {
    let base: UnsafeMutablePointer<Float>
}

/// A small, fast, seedable generator, so training visits examples in the same order on every run.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    public var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
