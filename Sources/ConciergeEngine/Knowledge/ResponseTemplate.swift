/// The placeholders of a reply template: `{order_id}`, or `{order_id|your order}` with the words
/// that stand in when the value is unknown. One reading for the engine that fills templates and the
/// validator that checks them.
///
/// ```swift
/// ResponseTemplate.fill("Cancel {order_id|your order}?") { name in nil }  // "Cancel your order?"
/// ResponseTemplate.placeholders(in: "Order {order_id}")                 // [("order_id", nil)]
/// ```
public enum ResponseTemplate {
    /// One placeholder: its name and, when written, the words for an unknown value.
    public struct Placeholder: Sendable, Hashable {
        public var name: String
        public var fallback: String?
    }

    /// Every placeholder whose name is a word (letters, digits, `_`), in order; braces around
    /// anything else are prose.
    public static func placeholders(in template: String) -> [Placeholder] {
        var found: [Placeholder] = []
        scan(template) { placeholder in
            if let placeholder { found.append(placeholder) }
            return nil
        }
        return found
    }

    /// `template` with each placeholder replaced by `value(name)`, or its fallback words; a
    /// placeholder with neither stays as written.
    public static func fill(_ template: String, value: (String) -> String?) -> String {
        guard template.utf8.contains(UInt8(ascii: "{")) else { return template }
        return scan(template) { placeholder in
            guard let placeholder else { return nil }
            return value(placeholder.name) ?? placeholder.fallback
        }
    }

    /// `template` filled as `fill` does, except that a clause whose placeholder has an empty value
    /// (a data row's blank column) and no fallback words is left out, with the comma or "and" that
    /// joined it; a sentence left with no clause goes too. So "It should arrive by {eta}." never
    /// reads "It should arrive by ." for an order with no estimate yet.
    ///
    /// ```swift
    /// ResponseTemplate.fillDroppingEmpty("It's packed, and it should arrive by {eta}.") { _ in "" }
    /// // "It's packed."
    /// ```
    public static func fillDroppingEmpty(_ template: String, value: (String) -> String?) -> String {
        let empty = placeholders(in: template).contains { $0.fallback == nil && value($0.name)?.isEmpty == true }
        guard empty else { return fill(template, value: value) }
        var sentences: [String] = []
        for sentence in split(template, after: [". ", "! ", "? "]) {
            let clauses = split(sentence, after: [", ", "; "])
            var kept: [String] = []
            for clause in clauses {
                let blank = placeholders(in: clause).contains { $0.fallback == nil && value($0.name)?.isEmpty == true }
                if !blank { kept.append(clause) }
            }
            guard !kept.isEmpty else { continue }
            var joined = kept.joined(separator: " ")
            // The separator the dropped clause left behind becomes the sentence's end.
            let end = sentence.trimmingTrailingSpaces().last.map { ".!?".contains($0) ? String($0) : "" } ?? ""
            joined = joined.trimmingTrailingSpaces()
            while let last = joined.last, ",;".contains(last) { joined.removeLast() }
            if !end.isEmpty, let last = joined.last, !".!?".contains(last) { joined += end }
            sentences.append(joined)
        }
        return fill(sentences.joined(separator: " "), value: value)
    }

    /// `text` cut after each occurrence of one of `separators` (the separator stays with the part before).
    private static func split(_ text: String, after separators: [String]) -> [String] {
        var parts: [String] = []
        var current = ""
        var rest = text[...]
        while !rest.isEmpty {
            if let separator = separators.first(where: { rest.hasPrefix($0) }) {
                current += separator
                rest = rest.dropFirst(separator.count)
                parts.append(current)
                current = ""
            } else {
                current.append(rest.removeFirst())
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts.map { $0.hasSuffix(" ") ? String($0.dropLast()) : $0 }
    }

    /// Walks `template`'s `{…}` groups; `replace` gets each one read as a placeholder (nil when it
    /// is not one) and returns its replacement, or nil to keep the group as written.
    @discardableResult
    private static func scan(_ template: String, replace: (Placeholder?) -> String?) -> String {
        var output = ""
        var rest = template[...]
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            output += rest[..<open]
            let parts = rest[rest.index(after: open)..<close].split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            let name = parts[0].trimmingSpaces()
            let isName = !name.isEmpty && name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }
            let placeholder = isName ? Placeholder(name: name, fallback: parts.count == 2 ? String(parts[1]) : nil) : nil
            output += replace(placeholder) ?? String(rest[open...close])
            rest = rest[rest.index(after: close)...]
        }
        output += rest
        return output
    }
}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        var text = self
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
