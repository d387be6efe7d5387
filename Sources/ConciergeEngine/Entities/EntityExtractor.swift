import Foundation

/// Finds entity values in a message: regular expressions for shaped values (order numbers, emails,
/// dates, amounts) and lookup lists for named things (products).
///
/// When matches overlap, the longer one wins, then the entity defined first, so `A10234` inside an
/// email address is not also an order number.
public struct EntityExtractor: Sendable {
    struct CompiledPattern: @unchecked Sendable {
        // NSRegularExpression is immutable after creation and documented as thread-safe.
        let entity: Int
        let regex: NSRegularExpression
        /// A character every match contains (`@` for emails, a digit for numbers), checked before running the regex.
        let needsDigit: Bool
        let needsAt: Bool
    }

    /// A lookup-list phrase: folded words → (entity, value).
    struct Phrase: Sendable {
        let words: [String]
        let entity: Int
        let value: String
    }

    private(set) var definitions: [EntityDefinition] = []
    private var patterns: [CompiledPattern] = []
    private var phrases: [String: [Phrase]] = [:]

    public init() {}

    /// Compiles the definitions; a pattern that does not compile is reported by `KnowledgeValidator`
    /// and skipped here.
    public init(definitions: [EntityDefinition], normalizer: TextNormalizer = TextNormalizer()) {
        self.definitions = definitions
        for (index, definition) in definitions.enumerated() {
            for pattern in definition.patterns {
                guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]) else { continue }
                patterns.append(
                    CompiledPattern(
                        entity: index, regex: regex,
                        needsDigit: Self.requiresDigit(pattern), needsAt: pattern.contains("@")))
            }
            for value in definition.values {
                for surface in [value.value] + value.synonyms {
                    let words = normalizer.tokenize(normalizer.sanitize(surface)).map(\.text)
                    guard let first = words.first else { continue }
                    phrases[first, default: []].append(Phrase(words: words, entity: index, value: value.value))
                }
            }
        }
        for key in phrases.keys {
            phrases[key]!.sort { $0.words.count > $1.words.count }
        }
    }

    /// Whether every match of `pattern` must contain a digit: true for patterns built only from
    /// digit classes, literal letters and punctuation around a `\d`. Conservative: false when unsure.
    static func requiresDigit(_ pattern: String) -> Bool {
        guard pattern.contains("\\d") || pattern.contains("[0-9]") else { return false }
        // An alternation could offer a branch without digits.
        return !pattern.contains("|")
    }

    /// Every entity value in `sanitized` (a message after `TextNormalizer.sanitize`), in message order.
    public func extract(from sanitized: String, tokens: [Token]) -> [EntityMatch] {
        var found: [(match: EntityMatch, entity: Int)] = []
        if !patterns.isEmpty {
            var hasDigit = false, hasAt = false
            for byte in sanitized.utf8 {
                if byte >= 0x30 && byte <= 0x39 { hasDigit = true } else if byte == 0x40 { hasAt = true }
            }
            var nsString: NSString?
            var scalarOffsets: [Int]?
            for pattern in patterns {
                if pattern.needsDigit && !hasDigit { continue }
                if pattern.needsAt && !hasAt { continue }
                let string = nsString ?? (sanitized as NSString)
                nsString = string
                let results = pattern.regex.matches(in: sanitized, range: NSRange(location: 0, length: string.length))
                guard !results.isEmpty else { continue }
                let offsets = scalarOffsets ?? Self.utf16ToScalarOffsets(sanitized)
                scalarOffsets = offsets
                for result in results where result.range.length > 0 {
                    let text = string.substring(with: result.range)
                    let range = offsets[result.range.location]..<offsets[result.range.location + result.range.length]
                    let definition = definitions[pattern.entity]
                    found.append(
                        (EntityMatch(entity: definition.name, value: Self.normalize(text, definition.normalization),
                            text: text, range: range), pattern.entity))
                }
            }
        }
        if !phrases.isEmpty {
            var i = 0
            outer: while i < tokens.count {
                if let candidates = phrases[tokens[i].text] {
                    for phrase in candidates where i + phrase.words.count <= tokens.count {
                        var matches = true
                        for (offset, word) in phrase.words.enumerated() where tokens[i + offset].text != word {
                            // "the bath towels": the last word, the thing's noun, may be plural.
                            if offset == phrase.words.count - 1, Self.isPlural(tokens[i + offset].text, of: word) { continue }
                            matches = false
                            break
                        }
                        guard matches else { continue }
                        let range = tokens[i].range.lowerBound..<tokens[i + phrase.words.count - 1].range.upperBound
                        let text = String(String.UnicodeScalarView(sanitized.unicodeScalars.dropFirst(range.lowerBound).prefix(range.count)))
                        found.append((EntityMatch(entity: definitions[phrase.entity].name, value: phrase.value, text: text, range: range), phrase.entity))
                        i += phrase.words.count
                        continue outer
                    }
                }
                i += 1
            }
        }
        guard found.count > 1 else { return found.map(\.match) }
        // Longest first, then the entity defined first; drop anything overlapping a kept match.
        let ranked = found.sorted {
            $0.match.range.count != $1.match.range.count ? $0.match.range.count > $1.match.range.count
                : $0.entity != $1.entity ? $0.entity < $1.entity : $0.match.start < $1.match.start
        }
        var kept: [EntityMatch] = []
        for candidate in ranked where !kept.contains(where: { $0.range.overlaps(candidate.match.range) }) {
            kept.append(candidate.match)
        }
        return kept.sorted { $0.start < $1.start }
    }

    /// True when `word` is `noun` with a plural ending: "towels", "glasses", "shelves" is not.
    static func isPlural(_ word: String, of noun: String) -> Bool {
        guard word.count == noun.count + 1 || word.count == noun.count + 2, word.hasPrefix(noun) else { return false }
        let ending = word.dropFirst(noun.count)
        return ending == "s" || ending == "es"
    }

    static func normalize(_ text: String, _ normalization: EntityDefinition.Normalization) -> String {
        switch normalization {
        case .none: return text
        case .upper: return text.uppercased()
        case .lower: return text.lowercased()
        case .digits: return String(text.unicodeScalars.filter { $0.value >= 0x30 && $0.value <= 0x39 }.map(Character.init))
        }
    }

    /// For each UTF-16 offset in `string`, the number of Unicode scalars before it.
    static func utf16ToScalarOffsets(_ string: String) -> [Int] {
        var offsets: [Int] = []
        offsets.reserveCapacity(string.utf16.count + 1)
        var scalarIndex = 0
        for scalar in string.unicodeScalars {
            offsets.append(scalarIndex)
            if scalar.value > 0xFFFF { offsets.append(scalarIndex) }
            scalarIndex += 1
        }
        offsets.append(scalarIndex)
        return offsets
    }
}
