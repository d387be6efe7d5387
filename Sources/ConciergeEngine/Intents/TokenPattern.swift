/// An authored, high-precision pattern over a message's words, such as
/// `where is my (order|parcel) [now]` or `track * {order_number}`.
///
/// | syntax | matches |
/// | --- | --- |
/// | `word` | that word (compared by stem, after synonyms) |
/// | `(a|b c)` | one of the alternatives; an alternative may be several words |
/// | `[words]` | the words, or nothing |
/// | `*` | any number of words, including none |
/// | `{entity}` | a value of that entity |
///
/// A pattern matches anywhere in the message.
public struct TokenPattern: Sendable, Hashable {
    indirect enum Element: Sendable, Hashable {
        case word(String)
        case entity(String)
        case wildcard
        case choice([[Element]])
        case optional([Element])
    }

    /// Why a pattern could not be read; `column` is 1-based.
    public struct SyntaxError: Error, Sendable, Hashable {
        public var message: String
        public var column: Int
    }

    /// The pattern as written.
    public let source: String
    let elements: [Element]

    /// The entity names the pattern uses (for validation).
    public var entityNames: [String] {
        var names: [String] = []
        func walk(_ elements: [Element]) {
            for element in elements {
                switch element {
                case .entity(let name): names.append(name)
                case .choice(let alternatives): alternatives.forEach(walk)
                case .optional(let inner): walk(inner)
                case .word, .wildcard: break
                }
            }
        }
        walk(elements)
        return names
    }

    /// Parses `source`; `stems` turns a run of literal words into the stems messages are compared by.
    public init(_ source: String, stems: ([String]) -> [String]) throws(SyntaxError) {
        self.source = source
        var parser = Parser(scalars: Array(source.unicodeScalars))
        let elements = try parser.parseSequence(until: nil, stems: stems)
        guard !elements.isEmpty else { throw SyntaxError(message: "the pattern is empty", column: 1) }
        if elements.allSatisfy({ if case .wildcard = $0 { return true } else { return false } }) {
            throw SyntaxError(message: "a pattern of only `*` would match every message", column: 1)
        }
        self.elements = elements
    }

    /// True when the pattern occurs in `tokens` (compared by `Token.stem`; entity tokens as `@name`).
    public func matches(_ tokens: [Token]) -> Bool {
        matches(stems: tokens.map(\.stem))
    }

    /// True when the pattern occurs in a message's stems.
    public func matches(stems: [String]) -> Bool {
        for start in 0...stems.count where Self.match(elements[...], stems, start) != nil { return true }
        return false
    }

    /// Stems of which every match contains at least one, or nil when the pattern has no such set
    /// (it is then tried on every message). Used to skip patterns that cannot match.
    public var anchors: Set<String>? {
        func anchors(of elements: [Element]) -> Set<String>? {
            var best: Set<String>?
            for element in elements {
                let set: Set<String>?
                switch element {
                case .word(let stem): set = [stem]
                case .entity(let name): set = ["@" + name]
                case .wildcard, .optional: set = nil
                case .choice(let alternatives):
                    var union: Set<String> = []
                    var complete = true
                    for alternative in alternatives {
                        guard let inner = anchors(of: alternative) else {
                            complete = false
                            break
                        }
                        union.formUnion(inner)
                    }
                    set = complete ? union : nil
                }
                if let set, set.count < (best?.count ?? .max) { best = set }
            }
            return best
        }
        return anchors(of: elements)
    }

    /// Matches `elements` at `position`; returns the end position of a match, or nil.
    private static func match(_ elements: ArraySlice<Element>, _ stems: [String], _ position: Int) -> Int? {
        guard let first = elements.first else { return position }
        let rest = elements.dropFirst()
        switch first {
        case .word(let stem):
            guard position < stems.count, stems[position] == stem else { return nil }
            return match(rest, stems, position + 1)
        case .entity(let name):
            guard position < stems.count, stems[position] == "@" + name else { return nil }
            return match(rest, stems, position + 1)
        case .wildcard:
            for next in position...stems.count {
                if let end = match(rest, stems, next) { return end }
            }
            return nil
        case .choice(let alternatives):
            for alternative in alternatives {
                if let end = match(alternative[...] + rest, stems, position) { return end }
            }
            return nil
        case .optional(let inner):
            if let end = match(inner[...] + rest, stems, position) { return end }
            return match(rest, stems, position)
        }
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0

        mutating func parseSequence(until terminator: Unicode.Scalar?, stems: ([String]) -> [String]) throws(SyntaxError) -> [Element] {
            var elements: [Element] = []
            var words: [String] = []
            func flushWords() {
                guard !words.isEmpty else { return }
                for stem in stems(words) { elements.append(.word(stem)) }
                words.removeAll()
            }
            while index < scalars.count {
                let c = scalars[index]
                if let terminator, c == terminator || (terminator == ")" && c == "|") { break }
                switch c {
                case " ", "\t":
                    index += 1
                case "(":
                    flushWords()
                    let open = index
                    index += 1
                    var alternatives: [[Element]] = []
                    while true {
                        let alternative = try parseSequence(until: ")", stems: stems)
                        if alternative.isEmpty { throw SyntaxError(message: "an alternative in `( | )` is empty", column: index + 1) }
                        alternatives.append(alternative)
                        guard index < scalars.count else { throw SyntaxError(message: "`(` is never closed", column: open + 1) }
                        index += 1
                        if scalars[index - 1] == ")" { break }
                    }
                    elements.append(.choice(alternatives))
                case "[":
                    flushWords()
                    let open = index
                    index += 1
                    let inner = try parseSequence(until: "]", stems: stems)
                    guard index < scalars.count else { throw SyntaxError(message: "`[` is never closed", column: open + 1) }
                    index += 1
                    if inner.isEmpty { throw SyntaxError(message: "`[]` is empty", column: open + 1) }
                    elements.append(.optional(inner))
                case "{":
                    flushWords()
                    let open = index
                    var name = ""
                    index += 1
                    while index < scalars.count, scalars[index] != "}" {
                        name.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    guard index < scalars.count else { throw SyntaxError(message: "`{` is never closed", column: open + 1) }
                    index += 1
                    let trimmed = name.trimmingWhitespace()
                    if trimmed.isEmpty { throw SyntaxError(message: "`{}` needs an entity name", column: open + 1) }
                    elements.append(.entity(trimmed))
                case "*":
                    flushWords()
                    index += 1
                    elements.append(.wildcard)
                case ")", "]", "}", "|":
                    throw SyntaxError(message: "unexpected `\(c)`", column: index + 1)
                default:
                    var word = ""
                    while index < scalars.count, !" \t()[]{}|*".unicodeScalars.contains(scalars[index]) {
                        word.unicodeScalars.append(scalars[index])
                        index += 1
                    }
                    words.append(word)
                }
            }
            flushWords()
            return elements
        }
    }
}
