/// Feature hash → dense feature index: an open-addressing table over the 64-bit n-gram hashes the
/// feature extractor already computed, probed linearly. A message looks up a hundred or so n-grams,
/// so the lookup is on the hot path of every prediction; the keys are hashes already, so they index
/// the table as they are (mixed once), instead of being hashed again as a `Dictionary` would.
///
/// ```swift
/// let index = FeatureIndex(hashes: [0xA1, 0xB2])   // feature 0 has hash 0xA1, feature 1 0xB2
/// index[0xB2]   // 1
/// index[0xC3]   // nil
/// ```
struct FeatureIndex: Sendable {
    /// The hash of each feature, by feature index.
    let hashes: [UInt64]
    /// The slots: a feature index, or -1 for an empty slot. The table is at most half full.
    private let slots: [Int32]
    private let mask: Int

    /// The table for features whose hashes are `hashes`, in feature order. Training never gives a
    /// hash twice; if a compiled file did, the first feature with it is the one found.
    init(hashes: [UInt64]) {
        self.hashes = hashes
        var capacity = 16
        while capacity < hashes.count * 2 { capacity <<= 1 }
        mask = capacity - 1
        var slots = [Int32](repeating: -1, count: capacity)
        for (feature, hash) in hashes.enumerated() {
            var slot = Self.home(hash, mask: mask)
            while slots[slot] >= 0, hashes[Int(slots[slot])] != hash { slot = (slot + 1) & mask }
            if slots[slot] < 0 { slots[slot] = Int32(feature) }
        }
        self.slots = slots
    }

    /// The number of features.
    var count: Int { hashes.count }

    /// The feature index of `hash`, or nil when no training example had that n-gram.
    subscript(hash: UInt64) -> Int32? {
        var slot = Self.home(hash, mask: mask)
        while true {
            let feature = slots[slot]
            if feature < 0 { return nil }
            if hashes[Int(feature)] == hash { return feature }
            slot = (slot + 1) & mask
        }
    }

    /// Where `hash` is looked for first: its high bits after one multiplication, so hashes that
    /// differ only in their low bits still spread.
    @inline(__always) private static func home(_ hash: UInt64, mask: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* 0x9E37_79B9_7F4A_7C15) >> 32) & mask
    }
}
