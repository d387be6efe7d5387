/// Top-k BM25F scoring that skips what cannot reach the top: document at a time over the compact
/// posting lists, with MaxScore (the terms whose most they could add together stays under the k-th
/// best score so far only complete documents the others found) and block maxima (a document is
/// scored only when the blocks it falls in could lift it into the top k).
///
/// It returns exactly what scoring every posting returns, bit for bit: a document that survives the
/// bounds is scored by adding its weights in the query's order, as the exhaustive loop does, and a
/// bound prunes only with a margin wider than any difference rounding can make
/// (`BM25FIndexTests` compares both on thousands of random queries).
struct PrunedSearch {
    /// One query term's place in its posting list.
    struct Cursor {
        /// The term's id, its weight's share of the idf and its position in the query.
        var term: Int
        var idf: Float
        /// The most the term adds to a score.
        var maximum: Float
        /// The block the cursor is in, and one past the term's last block.
        var block: Int
        var endBlock: Int
        /// Whether `buffer` holds `block`'s documents; `position` indexes them.
        var decoded = false
        var position = 0
        var count = 0
        /// The current document (`Int32.max` when the list is done); valid only when `decoded`.
        var document: Int32 = -1
        /// Where this cursor's decoded block lives in the shared buffer.
        let bufferOffset: Int
    }

    let lists: PostingLists
    let limit: Int

    /// The best `limit` documents for `terms` (distinct term ids, in the query's order), or nil when
    /// more than `budget` candidates had to be looked at: a query of only common words, where adding
    /// up every posting (`BM25FIndex.exhaustiveSearch`) is cheaper than bounding each document.
    func run(terms: [Int], idf: [Float], budget: Int = .max) -> [BM25FIndex.Hit]? {
        lists.withTables { search(terms: terms, idf: idf, budget: budget, tables: $0) }
    }

    private func search(terms: [Int], idf: [Float], budget: Int, tables: PostingLists.Tables) -> [BM25FIndex.Hit]? {
        let n = terms.count
        let buffer = UnsafeMutablePointer<Int32>.allocate(capacity: n * PostingLists.blockSize)
        defer { buffer.deallocate() }
        // Cursors in MaxScore's order, the smallest maxima first; `queryOrder` lists them in the
        // query's order, the order a score is summed in. `bounds[i]` is what cursors 0...i add at most.
        let byMaximum = terms.indices.sorted { (tables.termMaximum[terms[$0]], $0) < (tables.termMaximum[terms[$1]], $1) }
        let cursors = UnsafeMutablePointer<Cursor>.allocate(capacity: n)
        defer { cursors.deallocate() }
        for (slot, q) in byMaximum.enumerated() {
            let term = terms[q]
            (cursors + slot).initialize(
                to: Cursor(
                    term: term, idf: idf[term], maximum: tables.termMaximum[term], block: Int(tables.termBlocks[term]),
                    endBlock: Int(tables.termBlocks[term + 1]), bufferOffset: slot * PostingLists.blockSize))
        }
        var queryOrder = [Int](repeating: 0, count: n)
        for (slot, q) in byMaximum.enumerated() { queryOrder[q] = slot }
        var bounds: [Double] = []
        var running = 0.0
        for k in 0..<n {
            running += Double(cursors[k].maximum)
            bounds.append(running)
        }
        // Cursors before `firstEssential` are non-essential: together they cannot reach the threshold,
        // so they only complete the documents the essential ones find.
        var firstEssential = 0
        var best: [BM25FIndex.Hit] = []
        best.reserveCapacity(limit + 1)
        var threshold = -Double.infinity
        // Rounding makes a float sum differ from the exact one by far less than this share.
        let margin = 1 + Double(n + 2) * 4e-7
        for k in 0..<n { Self.seek(&cursors[k], to: 0, tables: tables, buffer: buffer) }

        var looked = 0
        while firstEssential < n {
            looked += 1
            if looked > budget { return nil }
            // The next candidate: the smallest document an essential list is at.
            var candidate = Int32.max
            for k in firstEssential..<n where cursors[k].document < candidate { candidate = cursors[k].document }
            if candidate == Int32.max { break }

            var admit = true
            if best.count == limit {
                var partial = 0.0
                for k in firstEssential..<n where cursors[k].document == candidate {
                    partial += Double(tables.weights[Self.postingIndex(cursors[k], tables)])
                }
                if (partial + (firstEssential > 0 ? bounds[firstEssential - 1] : 0)) * margin <= threshold {
                    admit = false
                } else {
                    // Every document from the candidate to the end of the nearest block is in the same
                    // block of every list: when those blocks together cannot lift a document over the
                    // threshold, none of them can, and the essential lists skip past them all.
                    var rangeBound = 0.0
                    var end = Int32.max
                    for k in 0..<n {
                        let block = Self.block(&cursors[k], at: candidate, tables: tables)
                        rangeBound += Double(block.maximum)
                        end = min(end, block.last)
                    }
                    if rangeBound * margin <= threshold {
                        let target = end == Int32.max ? Int32.max : end + 1
                        for k in firstEssential..<n { Self.seek(&cursors[k], to: target, tables: tables, buffer: buffer) }
                        continue
                    }
                    // The candidate itself: its essential weights and the non-essential blocks it falls in.
                    var blocksBound = partial
                    for k in 0..<firstEssential { blocksBound += Double(Self.block(&cursors[k], at: candidate, tables: tables).maximum) }
                    admit = blocksBound * margin > threshold
                }
            }
            if admit {
                var score: Float = 0
                var matched: Float = 0
                for slot in queryOrder {
                    Self.seek(&cursors[slot], to: candidate, tables: tables, buffer: buffer)
                    if cursors[slot].document == candidate {
                        score += tables.weights[Self.postingIndex(cursors[slot], tables)]
                        matched += cursors[slot].idf
                    }
                }
                if score > 0, best.count < limit || Double(score) > best[limit - 1].score {
                    var i = best.count
                    while i > 0, best[i - 1].score < Double(score) { i -= 1 }
                    best.insert(BM25FIndex.Hit(document: Int(candidate), score: Double(score), matchedIDF: Double(matched)), at: i)
                    if best.count > limit { best.removeLast() }
                    if best.count == limit {
                        threshold = best[limit - 1].score
                        while firstEssential < n, bounds[firstEssential] * margin <= threshold { firstEssential += 1 }
                    }
                }
            }
            for k in firstEssential..<n where cursors[k].document == candidate {
                Self.advance(&cursors[k], tables: tables, buffer: buffer)
            }
        }
        return best
    }

    /// The index of the cursor's current posting in `weights`.
    @inline(__always)
    static func postingIndex(_ cursor: Cursor, _ tables: PostingLists.Tables) -> Int {
        Int(tables.blockPostings[cursor.block]) + cursor.position
    }

    /// Moves to the cursor's next posting.
    @inline(__always)
    static func advance(_ cursor: inout Cursor, tables: PostingLists.Tables, buffer: UnsafeMutablePointer<Int32>) {
        cursor.position += 1
        if cursor.position < cursor.count {
            cursor.document = buffer[cursor.bufferOffset + cursor.position]
            return
        }
        let previous = tables.blockLast[cursor.block]
        cursor.block += 1
        cursor.decoded = false
        load(&cursor, after: previous, tables: tables, buffer: buffer)
    }

    /// Moves to the cursor's first posting at or after `target`, stepping over whole blocks that end before it.
    @inline(__always)
    static func seek(_ cursor: inout Cursor, to target: Int32, tables: PostingLists.Tables, buffer: UnsafeMutablePointer<Int32>) {
        if cursor.decoded && cursor.document >= target { return }
        var moved = false
        while cursor.block < cursor.endBlock, tables.blockLast[cursor.block] < target {
            cursor.block += 1
            moved = true
        }
        if moved || !cursor.decoded {
            cursor.decoded = false
            let previous = cursor.block > 0 && cursor.block > startBlock(of: cursor, tables) ? tables.blockLast[cursor.block - 1] : -1
            load(&cursor, after: previous, tables: tables, buffer: buffer)
            guard cursor.decoded else { return }
        }
        while cursor.document < target {
            cursor.position += 1
            guard cursor.position < cursor.count else {
                // Only a damaged block ends before its recorded last document.
                let previous = tables.blockLast[cursor.block]
                cursor.block += 1
                load(&cursor, after: previous, tables: tables, buffer: buffer)
                if !cursor.decoded { return }
                continue
            }
            cursor.document = buffer[cursor.bufferOffset + cursor.position]
        }
    }

    /// The largest weight and the last document of the block of the cursor's list that could hold
    /// `target` (0 and `Int32.max` past the list's end), moving the cursor's block forward without
    /// decoding.
    @inline(__always)
    static func block(_ cursor: inout Cursor, at target: Int32, tables: PostingLists.Tables) -> (maximum: Float, last: Int32) {
        if cursor.decoded && cursor.document >= target {
            return cursor.document == Int32.max ? (0, Int32.max) : (tables.blockMaximum[cursor.block], tables.blockLast[cursor.block])
        }
        while cursor.block < cursor.endBlock, tables.blockLast[cursor.block] < target {
            cursor.block += 1
            cursor.decoded = false
        }
        return cursor.block < cursor.endBlock ? (tables.blockMaximum[cursor.block], tables.blockLast[cursor.block]) : (0, Int32.max)
    }

    /// The first block of the cursor's term.
    @inline(__always)
    static func startBlock(of cursor: Cursor, _ tables: PostingLists.Tables) -> Int {
        Int(tables.termBlocks[cursor.term])
    }

    /// Decodes the cursor's block (the list is done past its last block) and sits on its first posting.
    @inline(__always)
    static func load(_ cursor: inout Cursor, after previous: Int32, tables: PostingLists.Tables, buffer: UnsafeMutablePointer<Int32>) {
        cursor.position = 0
        guard cursor.block < cursor.endBlock else {
            cursor.decoded = true
            cursor.count = 0
            cursor.document = Int32.max
            return
        }
        cursor.count = PostingLists.decode(
            bytes: tables.documentBytes, from: Int(tables.blockBytes[cursor.block]), to: Int(tables.blockBytes[cursor.block + 1]),
            after: previous, into: buffer + cursor.bufferOffset)
        cursor.decoded = true
        cursor.document = cursor.count > 0 ? buffer[cursor.bufferOffset] : Int32.max
    }
}
