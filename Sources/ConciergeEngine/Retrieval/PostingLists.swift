/// Every term's postings, compact: the document ids as deltas in variable-length bytes (one byte for
/// a gap under 128), the weights as they are scored, in blocks of `blockSize` postings that each
/// record their last document and largest weight, so a search can step over a whole block without
/// decoding it (`PrunedSearch`). About five bytes a posting on a large help centre, where parallel
/// arrays of ids and weights take eight and objects per posting a hundred.
///
/// ```swift
/// let lists = PostingLists(start: [0, 2, 3], documents: [0, 7, 7], weights: [1.5, 0.5, 2])
/// lists.decode(term: 0)   // [(0, 1.5), (7, 0.5)]
/// ```
struct PostingLists: Sendable {
    /// Postings a block holds at most.
    static let blockSize = 128

    /// Term t's blocks are `termBlocks[t]..<termBlocks[t + 1]`.
    let termBlocks: PackedArray<Int32>
    /// The largest weight of each term's postings: what the term can add to a score at most.
    let termMaximum: PackedArray<Float>
    /// Block b's postings are `blockPostings[b]..<blockPostings[b + 1]` (indexes into `weights`).
    let blockPostings: PackedArray<Int32>
    /// Block b's document deltas are `documentBytes[blockBytes[b]..<blockBytes[b + 1]]`.
    let blockBytes: PackedArray<Int32>
    /// The last (largest) document of each block.
    let blockLast: PackedArray<Int32>
    /// The largest weight in each block.
    let blockMaximum: PackedArray<Float>
    /// LEB128 gaps: a block's first document counts from the previous block's last (from -1 for a
    /// term's first block), so every gap is at least 1.
    let documentBytes: PackedArray<UInt8>
    /// Each posting's weight, block by block.
    let weights: PackedArray<Float>

    /// The lists from each term's postings in document order: term t's are `start[t]..<start[t + 1]`
    /// of `documents` (strictly increasing within a term) and `weights`.
    init(start: [Int32], documents: [Int32], weights: [Float]) {
        precondition(!start.isEmpty && Int(start[start.count - 1]) == documents.count && documents.count == weights.count, "one weight per posting")
        var termBlocks: [Int32] = [0], termMaximum: [Float] = []
        var blockPostings: [Int32] = [], blockBytes: [Int32] = [], blockLast: [Int32] = [], blockMaximum: [Float] = []
        var bytes: [UInt8] = []
        termMaximum.reserveCapacity(start.count - 1)
        bytes.reserveCapacity(documents.count + documents.count / 2)
        for t in 0..<(start.count - 1) {
            let first = Int(start[t]), end = Int(start[t + 1])
            var previous: Int32 = -1
            var termMax: Float = 0
            var p = first
            while p < end {
                let blockEnd = min(end, p + Self.blockSize)
                blockPostings.append(Int32(p))
                blockBytes.append(Int32(bytes.count))
                var blockMax: Float = 0
                for q in p..<blockEnd {
                    let document = documents[q]
                    precondition(document > previous, "a term's documents are strictly increasing")
                    var gap = UInt32(document - previous)
                    while gap >= 0x80 {
                        bytes.append(UInt8(gap & 0x7F) | 0x80)
                        gap >>= 7
                    }
                    bytes.append(UInt8(gap))
                    previous = document
                    blockMax = max(blockMax, weights[q])
                }
                blockLast.append(previous)
                blockMaximum.append(blockMax)
                termMax = max(termMax, blockMax)
                p = blockEnd
            }
            termBlocks.append(Int32(blockLast.count))
            termMaximum.append(termMax)
        }
        blockPostings.append(Int32(documents.count))
        blockBytes.append(Int32(bytes.count))
        self.init(
            termBlocks: PackedArray(termBlocks), termMaximum: PackedArray(termMaximum), blockPostings: PackedArray(blockPostings),
            blockBytes: PackedArray(blockBytes), blockLast: PackedArray(blockLast), blockMaximum: PackedArray(blockMaximum),
            documentBytes: PackedArray(bytes), weights: PackedArray(weights))
    }

    /// The lists from their tables as `write(to:)` wrote them; `validate` checks them.
    init(
        termBlocks: PackedArray<Int32>, termMaximum: PackedArray<Float>, blockPostings: PackedArray<Int32>, blockBytes: PackedArray<Int32>,
        blockLast: PackedArray<Int32>, blockMaximum: PackedArray<Float>, documentBytes: PackedArray<UInt8>, weights: PackedArray<Float>
    ) {
        self.termBlocks = termBlocks
        self.termMaximum = termMaximum
        self.blockPostings = blockPostings
        self.blockBytes = blockBytes
        self.blockLast = blockLast
        self.blockMaximum = blockMaximum
        self.documentBytes = documentBytes
        self.weights = weights
    }

    /// The number of terms.
    var termCount: Int { termMaximum.count }
    /// The number of postings (document, term pairs).
    var postingCount: Int { weights.count }

    /// The bytes the tables take.
    var byteCount: Int {
        (termBlocks.count + blockPostings.count + blockBytes.count + blockLast.count) * 4 + (termMaximum.count + blockMaximum.count) * 4
            + documentBytes.count + weights.count * 4
    }

    /// Whether the tables fit together and every document is below `documentCount`: what a compiled
    /// file must pass before a search may trust it.
    func validate(documentCount: Int) -> Bool {
        let blocks = blockLast.count
        guard termBlocks.count == termMaximum.count + 1, blockMaximum.count == blocks, blockPostings.count == blocks + 1,
            blockBytes.count == blocks + 1, termBlocks[0] == 0, Int(termBlocks[termBlocks.count - 1]) == blocks,
            blockPostings[0] == 0, Int(blockPostings[blocks]) == weights.count, blockBytes[0] == 0, Int(blockBytes[blocks]) == documentBytes.count
        else { return false }
        let monotone = termBlocks.withUnsafeBufferPointer { t in zip(t, t.dropFirst()).allSatisfy { $0 <= $1 } }
        let sized = blockPostings.withUnsafeBufferPointer { p in zip(p, p.dropFirst()).allSatisfy { $1 > $0 && $1 - $0 <= Int32(Self.blockSize) } }
        let bytesOrdered = blockBytes.withUnsafeBufferPointer { b in zip(b, b.dropFirst()).allSatisfy { $0 <= $1 } }
        let lastInRange = blockLast.withUnsafeBufferPointer { $0.allSatisfy { $0 >= 0 && Int($0) < documentCount } }
        guard monotone, sized, bytesOrdered, lastInRange else { return false }
        // Every block decodes to exactly its postings, ending on its recorded last document.
        var buffer = [Int32](repeating: 0, count: Self.blockSize)
        for t in 0..<termCount {
            var previous: Int32 = -1
            for b in Int(termBlocks[t])..<Int(termBlocks[t + 1]) {
                let count = buffer.withUnsafeMutableBufferPointer { decodeBlock(b, after: previous, into: $0.baseAddress!) }
                guard count == Int(blockPostings[b + 1] - blockPostings[b]), buffer[count - 1] == blockLast[b] else { return false }
                previous = blockLast[b]
            }
        }
        return true
    }

    /// Decodes block `b` (whose first gap counts from `previous`) into `buffer`, which holds
    /// `blockSize`; returns how many documents it wrote. Reads only the block's bytes, so damaged
    /// bytes give wrong ids, never a read out of bounds.
    @inline(__always)
    func decodeBlock(_ b: Int, after previous: Int32, into buffer: UnsafeMutablePointer<Int32>) -> Int {
        documentBytes.withUnsafeBufferPointer { bytes in
            blockBytes.withUnsafeBufferPointer { starts in
                Self.decode(bytes: bytes, from: Int(starts[b]), to: Int(starts[b + 1]), after: previous, into: buffer)
            }
        }
    }

    /// Decodes the gaps in `bytes[from..<to]` into at most `blockSize` documents.
    @inline(__always)
    static func decode(bytes: UnsafeBufferPointer<UInt8>, from: Int, to: Int, after previous: Int32, into buffer: UnsafeMutablePointer<Int32>)
        -> Int
    {
        var document = previous
        var count = 0
        var i = from
        while i < to, count < blockSize {
            var gap: UInt32 = 0
            var shift: UInt32 = 0
            while i < to {
                let byte = bytes[i]
                i += 1
                gap |= UInt32(byte & 0x7F) << (shift & 31)
                if byte < 0x80 { break }
                shift += 7
            }
            document &+= Int32(truncatingIfNeeded: gap)
            buffer[count] = document
            count += 1
        }
        return count
    }

    /// Term t's postings, decoded (for tests and exhaustive scoring).
    func decode(term t: Int) -> [(document: Int32, weight: Float)] {
        var result: [(Int32, Float)] = []
        var buffer = [Int32](repeating: 0, count: Self.blockSize)
        var previous: Int32 = -1
        for b in Int(termBlocks[t])..<Int(termBlocks[t + 1]) {
            let count = buffer.withUnsafeMutableBufferPointer { decodeBlock(b, after: previous, into: $0.baseAddress!) }
            let first = Int(blockPostings[b])
            for k in 0..<count { result.append((buffer[k], weights[first + k])) }
            previous = blockLast[b]
        }
        return result
    }

    /// The tables as buffers, for the length of one search.
    struct Tables {
        let termBlocks: UnsafeBufferPointer<Int32>
        let termMaximum: UnsafeBufferPointer<Float>
        let blockPostings: UnsafeBufferPointer<Int32>
        let blockBytes: UnsafeBufferPointer<Int32>
        let blockLast: UnsafeBufferPointer<Int32>
        let blockMaximum: UnsafeBufferPointer<Float>
        let documentBytes: UnsafeBufferPointer<UInt8>
        let weights: UnsafeBufferPointer<Float>

        /// How many postings term t has.
        @inline(__always)
        func postingCount(of t: Int) -> Int {
            Int(blockPostings[Int(termBlocks[t + 1])] - blockPostings[Int(termBlocks[t])])
        }
    }

    /// Runs `body` with the tables as buffers.
    func withTables<R>(_ body: (Tables) -> R) -> R {
        termBlocks.withUnsafeBufferPointer { termBlocks in
            termMaximum.withUnsafeBufferPointer { termMaximum in
                blockPostings.withUnsafeBufferPointer { blockPostings in
                    blockBytes.withUnsafeBufferPointer { blockBytes in
                        blockLast.withUnsafeBufferPointer { blockLast in
                            blockMaximum.withUnsafeBufferPointer { blockMaximum in
                                documentBytes.withUnsafeBufferPointer { documentBytes in
                                    weights.withUnsafeBufferPointer { weights in
                                        body(
                                            Tables(
                                                termBlocks: termBlocks, termMaximum: termMaximum, blockPostings: blockPostings, blockBytes: blockBytes,
                                                blockLast: blockLast, blockMaximum: blockMaximum, documentBytes: documentBytes, weights: weights))
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
