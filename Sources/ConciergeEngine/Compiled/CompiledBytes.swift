/// Why bytes could not be read back as a compiled engine.
public enum CompiledFormatError: Error, Equatable, CustomStringConvertible {
    /// The bytes end before what they describe.
    case truncated
    /// A section is not the one expected here, or a value is out of its range.
    case corrupt(String)
    /// The bytes were written by another version of the engine's format.
    case unsupportedVersion(UInt32)

    public var description: String {
        switch self {
        case .truncated: "the compiled knowledge is truncated"
        case .corrupt(let what): "the compiled knowledge is corrupt: \(what)"
        case .unsupportedVersion(let version): "the compiled knowledge has format \(version); this build reads \(Engine.compiledFormatVersion)"
        }
    }
}

/// Appends little-endian values to a byte array; arrays of plain values are written 8-byte aligned,
/// so a reader can use them in place.
struct ByteWriter {
    private(set) var bytes: [UInt8] = []

    init() {}

    mutating func write(_ value: UInt8) { bytes.append(value) }
    mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }
    mutating func write(_ value: UInt32) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func write(_ value: UInt64) { withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func write(_ value: Int) { write(UInt64(bitPattern: Int64(value))) }
    mutating func write(_ value: Float) { write(value.bitPattern) }
    mutating func write(_ value: Double) { write(value.bitPattern) }

    mutating func write(_ value: String) {
        var value = value
        value.withUTF8 { utf8 in
            write(UInt32(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    mutating func write(_ values: [String]) {
        write(values.count)
        for value in values { write(value) }
    }

    /// A section marker: four ASCII letters, checked by `ByteReader.expect`.
    mutating func tag(_ name: StaticString) {
        precondition(name.utf8CodeUnitCount == 4, "tags are four letters")
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: 4))
    }

    /// Writes the count, pads to 8 bytes, then the values' bytes as they are in memory (this engine
    /// runs on little-endian machines only).
    mutating func write<T: BitwiseCopyable>(array values: some PackedElements<T>) {
        write(values.count)
        while bytes.count % 8 != 0 { bytes.append(0) }
        values.withUnsafeBufferPointer { buffer in
            bytes.append(contentsOf: UnsafeRawBufferPointer(buffer))
        }
    }
}

/// Something that can hand its elements over as one contiguous buffer.
protocol PackedElements<Element> {
    associatedtype Element
    var count: Int { get }
    func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R
}

extension Array: PackedElements {}

/// Reads what `ByteWriter` wrote, checking every length against the bytes there are; arrays come
/// back as views into the same bytes (no copy).
struct ByteReader {
    let storage: ByteStorage
    private(set) var position: Int

    init(_ storage: ByteStorage, at position: Int = 0) {
        self.storage = storage
        self.position = position
    }

    var remaining: Int { storage.count - position }

    private mutating func take(_ count: Int) throws(CompiledFormatError) -> Int {
        guard count >= 0, count <= remaining else { throw .truncated }
        defer { position += count }
        return position
    }

    mutating func readByte() throws(CompiledFormatError) -> UInt8 {
        let at = try take(1)
        return storage.base.load(fromByteOffset: at, as: UInt8.self)
    }

    mutating func readBool() throws(CompiledFormatError) -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        default: throw .corrupt("a flag is neither 0 nor 1")
        }
    }

    mutating func readUInt32() throws(CompiledFormatError) -> UInt32 {
        let at = try take(4)
        return UInt32(littleEndian: storage.base.loadUnaligned(fromByteOffset: at, as: UInt32.self))
    }

    mutating func readUInt64() throws(CompiledFormatError) -> UInt64 {
        let at = try take(8)
        return UInt64(littleEndian: storage.base.loadUnaligned(fromByteOffset: at, as: UInt64.self))
    }

    mutating func readInt() throws(CompiledFormatError) -> Int { Int(Int64(bitPattern: try readUInt64())) }

    /// A count or index: non-negative and at most `limit`.
    mutating func readCount(atMost limit: Int = Int(Int32.max)) throws(CompiledFormatError) -> Int {
        let value = try readInt()
        guard value >= 0, value <= limit else { throw .corrupt("a count of \(value)") }
        return value
    }

    mutating func readFloat() throws(CompiledFormatError) -> Float { Float(bitPattern: try readUInt32()) }
    mutating func readDouble() throws(CompiledFormatError) -> Double { Double(bitPattern: try readUInt64()) }

    mutating func readString() throws(CompiledFormatError) -> String {
        let count = Int(try readUInt32())
        let at = try take(count)
        let bytes = UnsafeRawBufferPointer(start: storage.base + at, count: count)
        guard let string = String(validating: bytes, as: UTF8.self) else { throw .corrupt("a string is not UTF-8") }
        return string
    }

    mutating func readStrings() throws(CompiledFormatError) -> [String] {
        let count = try readCount(atMost: remaining / 4)
        var strings: [String] = []
        strings.reserveCapacity(count)
        for _ in 0..<count { strings.append(try readString()) }
        return strings
    }

    mutating func expect(_ name: StaticString) throws(CompiledFormatError) {
        let at = try take(4)
        let expected = UnsafeBufferPointer(start: name.utf8Start, count: 4)
        for k in 0..<4 where storage.base.load(fromByteOffset: at + k, as: UInt8.self) != expected[k] {
            throw .corrupt("expected the \(name) section")
        }
    }

    /// An array written by `ByteWriter.write(array:)`, as a view into the bytes.
    mutating func readArray<T: BitwiseCopyable>(of type: T.Type = T.self) throws(CompiledFormatError) -> PackedArray<T> {
        let count = try readCount(atMost: remaining / max(1, MemoryLayout<T>.stride))
        while position % 8 != 0 { _ = try take(1) }
        let at = try take(count * MemoryLayout<T>.stride)
        return PackedArray(storage: storage, offset: at, count: count)
    }
}

/// Immutable bytes with a stable address: an owned copy, or memory the caller keeps alive (for
/// example a memory-mapped file) and releases in `release`.
public final class ByteStorage: @unchecked Sendable {
    // Safe to share: the bytes are never written after init.
    let base: UnsafeRawPointer
    /// The number of bytes.
    public let count: Int
    private let release: (@Sendable () -> Void)?

    /// A copy of `bytes`, 16-byte aligned.
    public init(copying bytes: some Sequence<UInt8>) {
        let array = Array(bytes)
        let memory = UnsafeMutableRawPointer.allocate(byteCount: max(array.count, 1), alignment: 16)
        array.withUnsafeBytes { memory.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(memory), byteCount: array.count) }
        base = UnsafeRawPointer(memory)
        count = array.count
        let address = UInt(bitPattern: memory)
        release = { UnsafeMutableRawPointer(bitPattern: address)?.deallocate() }
    }

    /// Bytes the caller owns, 8-byte aligned (a page-aligned memory map is); `release` runs when the
    /// storage is no longer used.
    public init(unsafeBytes: UnsafeRawBufferPointer, release: @escaping @Sendable () -> Void) {
        precondition(Int(bitPattern: unsafeBytes.baseAddress) % 8 == 0, "the bytes must be 8-byte aligned")
        base = unsafeBytes.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!
        count = unsafeBytes.count
        self.release = release
    }

    deinit { release?() }

    /// The bytes.
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }
}

/// An immutable array of plain values: owned, or a view into `ByteStorage` (a compiled file read or
/// mapped in one go), so loading compiled knowledge copies nothing.
public struct PackedArray<Element: BitwiseCopyable>: @unchecked Sendable, PackedElements {
    // Safe to share: both representations are immutable.
    private enum Representation {
        case owned([Element])
        case view(ByteStorage, offset: Int)
    }

    private let representation: Representation
    /// The number of elements.
    public let count: Int

    /// An owned array.
    public init(_ elements: [Element]) {
        representation = .owned(elements)
        count = elements.count
    }

    init(storage: ByteStorage, offset: Int, count: Int) {
        representation = .view(storage, offset: offset)
        self.count = count
    }

    public var isEmpty: Bool { count == 0 }

    /// The elements as one contiguous buffer.
    @inline(__always)
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Element>) throws -> R) rethrows -> R {
        switch representation {
        case .owned(let array): return try array.withUnsafeBufferPointer(body)
        case .view(let storage, let offset):
            let start = (storage.base + offset).assumingMemoryBound(to: Element.self)
            return try body(UnsafeBufferPointer(start: start, count: count))
        }
    }

    public subscript(index: Int) -> Element {
        precondition(index >= 0 && index < count, "index out of range")
        return withUnsafeBufferPointer { $0[index] }
    }

    /// The elements, copied into an array.
    public var array: [Element] { withUnsafeBufferPointer { Array($0) } }
}
