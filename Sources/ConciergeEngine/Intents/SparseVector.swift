/// A sparse feature vector: parallel arrays of feature indexes (ascending) and values.
public struct SparseVector: Sendable, Hashable {
    public var indices: [Int32]
    public var values: [Float]

    public init(indices: [Int32] = [], values: [Float] = []) {
        precondition(indices.count == values.count, "one value per index")
        self.indices = indices
        self.values = values
    }

    public var count: Int { indices.count }

    /// The dot product with another sparse vector (both sorted by index).
    public func dot(_ other: SparseVector) -> Float {
        var i = 0, j = 0, sum: Float = 0
        while i < indices.count && j < other.indices.count {
            let a = indices[i], b = other.indices[j]
            if a == b {
                sum += values[i] * other.values[j]
                i += 1
                j += 1
            } else if a < b {
                i += 1
            } else {
                j += 1
            }
        }
        return sum
    }

    /// The squared Euclidean norm.
    public var squaredNorm: Float { values.reduce(0) { $0 + $1 * $1 } }
}

/// `y[0..<n] += a * x[0..<n]`, eight lanes at a time. Each element is computed exactly as the plain
/// loop computes it (a multiply, then an add), so results are the same bit for bit, only faster.
@inline(__always)
func addScaled(_ a: Float, _ x: UnsafePointer<Float>, to y: UnsafeMutablePointer<Float>, count n: Int) {
    var k = 0
    let scale = SIMD8<Float>(repeating: a)
    while k + 8 <= n {
        let xs = UnsafeRawPointer(x + k).loadUnaligned(as: SIMD8<Float>.self)
        let ys = UnsafeRawPointer(y + k).loadUnaligned(as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(y + k).storeBytes(of: ys + scale * xs, as: SIMD8<Float>.self)
        k += 8
    }
    while k < n {
        y[k] += a * x[k]
        k += 1
    }
}
