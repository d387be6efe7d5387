/// The 64-bit FNV-1a hash: stable across runs and machines, unlike `Hasher`, so features and
/// indexes built from it are the same every time.
enum FNV1a {
    static let offset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01b3

    @inline(__always)
    static func hash(_ bytes: some Sequence<UInt8>, seed: UInt64 = offset) -> UInt64 {
        var h = seed
        for byte in bytes { h = (h ^ UInt64(byte)) &* prime }
        return h
    }

    @inline(__always)
    static func mix(_ h: UInt64, _ byte: UInt8) -> UInt64 { (h ^ UInt64(byte)) &* prime }

    @inline(__always)
    static func hash(_ string: String, seed: UInt64 = offset) -> UInt64 {
        var h = seed
        for byte in string.utf8 { h = (h ^ UInt64(byte)) &* prime }
        return h
    }
}
