/// A small longest-common-subsequence diff, for showing how a reply changed: line by line, and
/// word by word inside a changed line.
enum TextDiff {
    /// One entry of a diff.
    enum Edit<Element: Equatable>: Equatable {
        case same(Element)
        case removed(Element)
        case added(Element)
    }

    /// The edits that turn `old` into `new`, in order; removals before additions at each change.
    static func diff<Element: Equatable>(_ old: [Element], _ new: [Element]) -> [Edit<Element>] {
        let n = old.count
        let m = new.count
        // Common prefix and suffix first: replies usually change in one place.
        var prefix = 0
        while prefix < n, prefix < m, old[prefix] == new[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < n - prefix, suffix < m - prefix, old[n - 1 - suffix] == new[m - 1 - suffix] { suffix += 1 }
        let a = Array(old[prefix..<(n - suffix)])
        let b = Array(new[prefix..<(m - suffix)])
        var edits: [Edit<Element>] = old[0..<prefix].map { .same($0) }
        if a.isEmpty || b.isEmpty || a.count * b.count > 250_000 {
            edits += a.map { .removed($0) } + b.map { .added($0) }
        } else {
            // lengths[i][j]: the LCS of a[i...] and b[j...].
            var lengths = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
            for i in stride(from: a.count - 1, through: 0, by: -1) {
                for j in stride(from: b.count - 1, through: 0, by: -1) {
                    lengths[i][j] = a[i] == b[j] ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
                }
            }
            var i = 0
            var j = 0
            var removed: [Edit<Element>] = []
            var added: [Edit<Element>] = []
            func flush() {
                edits += removed + added
                removed.removeAll()
                added.removeAll()
            }
            while i < a.count || j < b.count {
                if i < a.count, j < b.count, a[i] == b[j] {
                    flush()
                    edits.append(.same(a[i]))
                    i += 1
                    j += 1
                } else if j >= b.count || (i < a.count && lengths[i + 1][j] >= lengths[i][j + 1]) {
                    removed.append(.removed(a[i]))
                    i += 1
                } else {
                    added.append(.added(b[j]))
                    j += 1
                }
            }
            flush()
        }
        edits += old[(n - suffix)..<n].map { .same($0) }
        return edits
    }

    /// Words and the spaces between them, so that joining the pieces gives the text back.
    static func words(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var inSpace: Bool?
        for character in text {
            let space = character == " "
            if let kind = inSpace, kind != space {
                pieces.append(current)
                current = ""
            }
            current.append(character)
            inSpace = space
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}
