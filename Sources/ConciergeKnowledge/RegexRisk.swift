/// Finds regular expressions whose matching time can explode on a short message.
///
/// A group that holds an unbounded quantifier and is itself repeated without bound, like
/// `(x+x+)+y` or `(a*)*`, makes a backtracking matcher (ICU's, which `NSRegularExpression` uses) try
/// exponentially many ways to split a non-matching message: 18 s on 40 characters. `check` refuses
/// such patterns; `(ab)+`, `a+b+` and `(a|b){1,3}` are fine, and so is a repeated group that opens
/// with a literal character, like `(?:\.[a-z]+)*` in an email pattern (each repetition must start at
/// a dot, so there is one way to split).
///
/// ```swift
/// RegexRisk.nestedUnboundedQuantifier(in: "(x+x+)+y")   // true
/// RegexRisk.nestedUnboundedQuantifier(in: "A\\d{5}")    // false
/// ```
enum RegexRisk {
    /// True when a group with an unbounded quantifier inside is repeated without bound.
    static func nestedUnboundedQuantifier(in pattern: String) -> Bool {
        let characters = Array(pattern)
        // Per open group: whether something inside it repeats without bound, and whether it opens
        // with a literal character (then its repetitions cannot overlap in the common case).
        var groups: [Bool] = []
        var anchored: [Bool] = []
        var i = 0
        /// Reads the quantifier at `index`: its length and whether it is unbounded (nil when none).
        func quantifier(at index: Int) -> (length: Int, unbounded: Bool)? {
            guard index < characters.count else { return nil }
            var length = 0
            var unbounded = false
            switch characters[index] {
            case "*", "+": length = 1; unbounded = true
            case "?": length = 1
            case "{":
                guard let close = characters[index...].firstIndex(of: "}") else { return nil }
                let body = String(characters[(index + 1)..<close])
                let parts = body.split(separator: ",", omittingEmptySubsequences: false)
                guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isNumber) }), !(parts.first?.isEmpty ?? true) else { return nil }
                length = close - index + 1
                unbounded = parts.count == 2 && parts[1].isEmpty
            default: return nil
            }
            // A lazy or possessive marker after it.
            if index + length < characters.count, characters[index + length] == "?" || characters[index + length] == "+" { length += 1 }
            return (length, unbounded)
        }
        func markInside() { if !groups.isEmpty { groups[groups.count - 1] = true } }
        while i < characters.count {
            let c = characters[i]
            switch c {
            case "\\":
                i += 2
                if let q = quantifier(at: i) {
                    if q.unbounded { markInside() }
                    i += q.length
                }
            case "[":
                // Skip the class: `]` first in it is literal, escapes skip a character.
                var j = i + 1
                if j < characters.count, characters[j] == "^" { j += 1 }
                if j < characters.count, characters[j] == "]" { j += 1 }
                while j < characters.count, characters[j] != "]" { j += characters[j] == "\\" ? 2 : 1 }
                i = j + 1
                if let q = quantifier(at: i) {
                    if q.unbounded { markInside() }
                    i += q.length
                }
            case "(":
                groups.append(false)
                i += 1
                if i + 1 < characters.count, characters[i] == "?", characters[i + 1] == ":" { i += 2 }
                anchored.append(Self.opensWithLiteral(characters, at: i))
            case ")":
                let inner = groups.popLast() ?? false
                let opensWithLiteral = anchored.popLast() ?? false
                i += 1
                if let q = quantifier(at: i) {
                    if q.unbounded && inner && !opensWithLiteral { return true }
                    if q.unbounded || inner { markInside() }
                    i += q.length
                } else if inner {
                    markInside()
                }
            default:
                i += 1
                if let q = quantifier(at: i) {
                    if q.unbounded { markInside() }
                    i += q.length
                }
            }
        }
        return false
    }

    /// True when the group starting at `index` opens with one literal character (an escaped
    /// punctuation mark or a plain letter) that is not itself optional or repeated.
    static func opensWithLiteral(_ characters: [Character], at index: Int) -> Bool {
        guard index < characters.count else { return false }
        var next = index + 1
        let c = characters[index]
        if c == "\\" {
            guard index + 1 < characters.count else { return false }
            let escaped = characters[index + 1]
            // \d, \w, \s, \b... are classes or anchors, not one character.
            guard !escaped.isLetter && !escaped.isNumber else { return false }
            next = index + 2
        } else if "()[]|.*+?{}^$".contains(c) {
            return false
        }
        guard next < characters.count else { return true }
        return !"*+?{".contains(characters[next])
    }
}
