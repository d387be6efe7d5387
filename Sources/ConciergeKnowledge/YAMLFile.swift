import ConciergeEngine
import Yams

/// One YAML file being read, with typed accessors that record a problem (with its line) instead of
/// failing, so one mistake never hides the next.
struct YAMLFile {
    /// The path relative to the knowledge folder, as problems print it.
    let path: String
    /// Lines before the YAML starts in the file (1 for a Markdown front matter after `---`).
    let lineOffset: Int
    private(set) var problems: [KnowledgeProblem] = []

    init(path: String, lineOffset: Int = 0) {
        self.path = path
        self.lineOffset = lineOffset
    }

    /// Parses `text`; a syntax error becomes a problem at its line and the result is nil.
    mutating func parse(_ text: String) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                .composer(_, let problem, let mark, _):
                report(.error, line: mark.line + lineOffset, "YAML syntax: \(problem)", fix: "check the indentation and quoting on this line")
            case .reader(let problem, _, _, _):
                report(.error, line: 0, "the file is not readable text: \(problem)", fix: "save it as UTF-8")
            case .duplicatedKeysInMapping(let duplicates, let context):
                report(.error, line: context.mark.line + lineOffset, "duplicate key \(duplicates.joined(separator: ", "))", fix: "keep one of them")
            default:
                report(.error, line: 0, "YAML could not be read: \(error)")
            }
            return nil
        } catch {
            report(.error, line: 0, "YAML could not be read: \(error)")
            return nil
        }
    }

    mutating func report(_ severity: KnowledgeProblem.Severity, line: Int, _ message: String, fix: String? = nil) {
        problems.append(KnowledgeProblem(severity, SourceLocation(file: path, line: line), message, fix: fix))
    }

    mutating func report(_ severity: KnowledgeProblem.Severity, at node: Node?, _ message: String, fix: String? = nil) {
        report(severity, line: line(of: node), message, fix: fix)
    }

    func line(of node: Node?) -> Int { node?.mark.map { $0.line + lineOffset } ?? 0 }

    func location(of node: Node?) -> SourceLocation { SourceLocation(file: path, line: line(of: node)) }

    /// The mapping's pairs by key, reporting keys that are not in `allowed` (with a suggestion).
    mutating func fields(of node: Node, allowed: [String], what: String) -> [String: Node]? {
        guard case .mapping(let mapping) = node else {
            report(.error, at: node, "\(what) must be a mapping of `key: value` lines", fix: "write it as `key: value` pairs")
            return nil
        }
        var fields: [String: Node] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyNode.scalar?.string else {
                report(.error, at: keyNode, "a key in \(what) is not a plain word")
                continue
            }
            if !allowed.contains(key) {
                let suggestion = closest(to: key, in: allowed).map { "did you mean `\($0)`?" }
                    ?? "allowed keys are: \(allowed.joined(separator: ", "))"
                report(.warning, at: keyNode, "unknown key `\(key)` in \(what) is ignored", fix: suggestion)
                continue
            }
            fields[key] = value
        }
        return fields
    }

    /// A required or optional string field.
    mutating func string(_ fields: [String: Node], _ key: String, in node: Node, what: String, required: Bool = false) -> String? {
        guard let value = fields[key] else {
            if required { report(.error, at: node, "\(what) has no `\(key)`", fix: "add `\(key): ...`") }
            return nil
        }
        guard let scalar = value.scalar else {
            report(.error, at: value, "`\(key)` in \(what) must be text, not a list or mapping")
            return nil
        }
        let text = scalar.string
        if required && text.trimmingCharacters().isEmpty {
            report(.error, at: value, "`\(key)` in \(what) is empty", fix: "write a value")
            return nil
        }
        return text
    }

    /// A list of strings, each with its line; a single string is accepted as a list of one.
    mutating func strings(_ fields: [String: Node], _ key: String, what: String) -> [(String, SourceLocation)] {
        guard let value = fields[key] else { return [] }
        if let scalar = value.scalar {
            return scalar.string.isEmpty ? [] : [(scalar.string, location(of: value))]
        }
        guard case .sequence(let sequence) = value else {
            report(.error, at: value, "`\(key)` in \(what) must be a list", fix: "write one `- item` per line")
            return []
        }
        var out: [(String, SourceLocation)] = []
        for item in sequence {
            guard let text = item.scalar?.string else {
                report(.error, at: item, "an item of `\(key)` in \(what) must be text")
                continue
            }
            out.append((text, location(of: item)))
        }
        return out
    }

    /// The items of a sequence field.
    mutating func sequence(_ fields: [String: Node], _ key: String, what: String) -> [Node] {
        guard let value = fields[key] else { return [] }
        guard case .sequence(let sequence) = value else {
            report(.error, at: value, "`\(key)` in \(what) must be a list", fix: "write one `- item` per line")
            return []
        }
        return Array(sequence)
    }

    mutating func bool(_ fields: [String: Node], _ key: String, what: String) -> Bool? {
        guard let value = fields[key] else { return nil }
        switch value.scalar?.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            report(.error, at: value, "`\(key)` in \(what) must be true or false")
            return nil
        }
    }

    mutating func number(_ fields: [String: Node], _ key: String, what: String, range: ClosedRange<Double>) -> Double? {
        guard let value = fields[key] else { return nil }
        guard let text = value.scalar?.string, let number = Double(text) else {
            report(.error, at: value, "`\(key)` in \(what) must be a number")
            return nil
        }
        guard range.contains(number) else {
            report(.error, at: value, "`\(key)` in \(what) must be between \(range.lowerBound.clean) and \(range.upperBound.clean)")
            return nil
        }
        return number
    }
}

/// The candidate nearest to `word` by edit distance, when it is close enough to be a typo.
func closest(to word: String, in candidates: [String]) -> String? {
    let scored = candidates.map { ($0, levenshtein(Array(word.utf8), Array($0.utf8))) }
    guard let best = scored.min(by: { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0 < $1.0 }), best.1 <= max(2, word.count / 3) else { return nil }
    return best.0
}

func levenshtein(_ a: [UInt8], _ b: [UInt8]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = previous
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

extension Double {
    /// `2` rather than `2.0`, `0.5` as is.
    var clean: String { self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self) }
}

extension StringProtocol {
    func trimmingCharacters() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
