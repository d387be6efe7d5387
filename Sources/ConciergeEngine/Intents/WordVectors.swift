public import Foundation

/// A static word-vector table: one dense vector per English word, looked up by the folded word
/// (`Token.text`: lower case, no accents, no apostrophes). No model runs; it is a lookup table, read
/// straight from its bytes (sorted keys, binary search), so loading it costs a header check.
///
/// The engine does no I/O: the caller reads the table's bytes (the bundled one comes with
/// `ConciergeKnowledge`, made by `Scripts/wordvectors/make_table.py`) and hands them over.
///
/// ```swift
/// let table = try WordVectors(bytes: data)
/// table.vector(for: "refund")   // [Float], `dimension` long, or nil for an unknown word
/// ```
///
/// Layout (little-endian): a 32-byte header — magic `CWV1`, version 1, word count, dimension, the
/// offset and length of the key bytes, the offset of the vectors, a reserved word — then count + 1
/// `UInt32` key offsets into the key bytes, the UTF-8 keys concatenated in byte order, and from the
/// vectors' offset one record per word in key order: a `Float32` scale and `dimension` `Int8`
/// components (component × scale is the value).
public struct WordVectors: Sendable {
    /// Why bytes are not a word-vector table.
    public enum LoadError: Error, Equatable, CustomStringConvertible {
        /// Fewer bytes than the header, or than the header says the table needs.
        case truncated(expected: Int, actual: Int)
        /// The bytes do not start with `CWV1`.
        case notAWordVectorTable
        case unsupportedVersion(UInt32)
        /// The header or the key offsets contradict themselves.
        case corrupt(String)

        public var description: String {
            switch self {
            case .truncated(let expected, let actual): "the word-vector table is truncated: \(actual) bytes, \(expected) needed"
            case .notAWordVectorTable: "the bytes are not a word-vector table (no CWV1 header)"
            case .unsupportedVersion(let version): "the word-vector table has version \(version); this build reads version 1"
            case .corrupt(let what): "the word-vector table is corrupt: \(what)"
            }
        }
    }

    /// The number of words.
    public let count: Int
    /// The length of every vector.
    public let dimension: Int
    private let bytes: Data
    private let keysOffset: Int
    private let keysLength: Int
    private let vectorsOffset: Int
    private var recordSize: Int { 4 + dimension }
    static let headerSize = 32

    /// Checks the header and the key offsets; the vectors are read when asked for.
    public init(bytes: Data) throws(LoadError) {
        // Index from zero whatever slice the caller passes.
        let bytes = bytes.startIndex == 0 ? bytes : Data(bytes)
        guard bytes.count >= Self.headerSize else { throw .truncated(expected: Self.headerSize, actual: bytes.count) }
        func word(_ at: Int) -> UInt32 {
            var value: UInt32 = 0
            for k in 0..<4 { value |= UInt32(bytes[at + k]) << (8 * k) }
            return value
        }
        guard bytes.prefix(4).elementsEqual("CWV1".utf8) else { throw .notAWordVectorTable }
        let version = word(4)
        guard version == 1 else { throw .unsupportedVersion(version) }
        let count = Int(word(8)), dimension = Int(word(12))
        let keysOffset = Int(word(16)), keysLength = Int(word(20)), vectorsOffset = Int(word(24))
        guard dimension > 0, dimension <= 4096 else { throw .corrupt("dimension \(dimension)") }
        guard keysOffset == Self.headerSize + 4 * (count + 1) else { throw .corrupt("the keys do not follow the offsets") }
        guard vectorsOffset >= keysOffset + keysLength, vectorsOffset % 4 == 0 else { throw .corrupt("the vectors overlap the keys") }
        let needed = vectorsOffset + count * (4 + dimension)
        guard bytes.count >= needed else { throw .truncated(expected: needed, actual: bytes.count) }
        var previous: UInt32 = 0
        for i in 0...count {
            let offset = word(Self.headerSize + 4 * i)
            guard offset >= previous, Int(offset) <= keysLength, i > 0 || offset == 0 else { throw .corrupt("key offset \(i)") }
            previous = offset
        }
        guard Int(previous) == keysLength else { throw .corrupt("the key offsets do not end at the keys' length") }
        self.bytes = bytes
        self.count = count
        self.dimension = dimension
        self.keysOffset = keysOffset
        self.keysLength = keysLength
        self.vectorsOffset = vectorsOffset
    }

    /// A stable hash of the table's shape and its first 64 KiB (header, key offsets, the first keys):
    /// what compiled knowledge records of the table it was trained with.
    public var fingerprint: UInt64 {
        var hasher = StableHasher()
        hasher.combine(count)
        hasher.combine(dimension)
        hasher.combine(bytes.count)
        bytes.prefix(65_536).withUnsafeBytes { hasher.combine(bytes: $0) }
        return hasher.value
    }

    /// The vector of `word`, or nil when the table does not have it.
    public func vector(for word: String) -> [Float]? {
        var out = [Float](repeating: 0, count: dimension)
        return add(word, weight: 1, to: &out) ? out : nil
    }

    /// True when the table has `word`.
    public func contains(_ word: String) -> Bool {
        bytes.withUnsafeBytes { raw in row(of: word, in: raw) != nil }
    }

    /// Adds `weight` × the vector of `word` to `sum` (`dimension` long); false for an unknown word.
    @discardableResult
    public func add(_ word: String, weight: Float, to sum: inout [Float]) -> Bool {
        precondition(sum.count == dimension, "the sum must have the table's dimension")
        return bytes.withUnsafeBytes { raw in
            guard let row = row(of: word, in: raw) else { return false }
            let start = vectorsOffset + row * recordSize
            let scale = raw.loadUnaligned(fromByteOffset: start, as: Float32.self) * weight
            let components = raw.baseAddress!.advanced(by: start + 4).assumingMemoryBound(to: Int8.self)
            sum.withUnsafeMutableBufferPointer { s in
                for k in 0..<dimension { s[k] += scale * Float(components[k]) }
            }
            return true
        }
    }

    /// The cosine similarity of two words' vectors, nil when either is unknown.
    public func similarity(_ a: String, _ b: String) -> Float? {
        guard let x = vector(for: a), let y = vector(for: b) else { return nil }
        var dot: Float = 0, nx: Float = 0, ny: Float = 0
        for k in 0..<dimension {
            dot += x[k] * y[k]
            nx += x[k] * x[k]
            ny += y[k] * y[k]
        }
        return nx > 0 && ny > 0 ? dot / (nx * ny).squareRoot() : 0
    }

    /// Binary search of the sorted keys.
    private func row(of word: String, in raw: UnsafeRawBufferPointer) -> Int? {
        var word = word
        return word.withUTF8 { key -> Int? in
            guard !key.isEmpty, count > 0 else { return nil }
            let base = raw.baseAddress!
            func offset(_ i: Int) -> Int { Int(raw.loadUnaligned(fromByteOffset: Self.headerSize + 4 * i, as: UInt32.self).littleEndian) }
            var low = 0, high = count
            while low < high {
                let mid = (low + high) / 2
                let from = offset(mid), to = offset(mid + 1)
                let length = to - from
                let compared = memcmp(base + keysOffset + from, key.baseAddress!, min(length, key.count))
                let order = compared != 0 ? Int(compared) : length - key.count
                if order == 0 { return mid }
                if order < 0 { low = mid + 1 } else { high = mid }
            }
            return nil
        }
    }
}
