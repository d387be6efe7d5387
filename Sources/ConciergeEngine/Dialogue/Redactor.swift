import Foundation

/// Masks what must never be stored: payment card numbers, security codes, passwords, PINs, social
/// security numbers and security answers. Runs before anything else reads a message, so masked
/// values never reach memory, transcripts, handoff packets or logs.
///
/// ```swift
/// Redactor.mask("my card is 4111 1111 1111 1111")
/// // (text: "my card is [card number removed]", masked: ["card number"])
/// ```
public enum Redactor {
    /// A masked message and the kinds of thing removed.
    public struct Result: Sendable, Hashable {
        public var text: String
        public var masked: [String]
    }

    struct Rule: @unchecked Sendable {
        // NSRegularExpression is immutable and thread-safe once made.
        let regex: NSRegularExpression
        let what: String
        /// A cheap test before running the regex: lowercase fragments one of which the message must contain.
        let hints: [String]
    }

    static let rules: [Rule] = {
        func rule(_ pattern: String, _ what: String, hints: [String]) -> Rule {
            Rule(regex: try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive]), what: what, hints: hints)
        }
        return [
            rule(#"(\b(?:cvv2?|cvc2?|csc|security code|card code)\b\W{0,3}(?:is\W{0,3})?)\d{3,4}\b"#, "security code", hints: ["cv", "csc", "code"]),
            rule(
                #"(\b(?:password|passcode|passwd|pwd|pw)\b\s*(?:is|was|:|=)\s*)(?!(?:not|wrong|incorrect|invalid|working|expired|too|still|the|my|correct|right|reset|changed|locked|no|definitely|definately)\b)\S+"#,
                "password", hints: ["pass", "pw"]),
            rule(#"(\bpin\b\s*(?:number\s*)?(?:is|was|:|=)?\s*)\d{4,8}\b"#, "PIN", hints: ["pin"]),
            rule(#"()\b\d{3}-\d{2}-\d{4}\b"#, "social security number", hints: ["-"]),
            rule(
                #"(\b(?:mother'?s maiden name|security answer|security question answer|first pet'?s name)\b\s*(?:is|was|:|=)\s*)\S+"#,
                "security answer", hints: ["maiden", "security", "pet"]),
        ]
    }()

    /// The message with sensitive values replaced by `[... removed]`.
    public static func mask(_ message: String) -> Result {
        var text = message
        var masked: [String] = []
        if let cards = maskCards(text) {
            text = cards
            masked.append("card number")
        }
        let lower = text.lowercased()
        for rule in rules where rule.hints.contains(where: lower.containsBytes) {
            let range = NSRange(text.startIndex..., in: text)
            guard rule.regex.firstMatch(in: text, range: range) != nil else { continue }
            text = rule.regex.stringByReplacingMatches(in: text, range: range, withTemplate: "$1[\(rule.what) removed]")
            masked.append(rule.what)
        }
        return Result(text: text, masked: masked)
    }

    /// Replaces runs of 13 to 19 digits (spaces or dashes between groups allowed) that pass the Luhn
    /// check; nil when there are none.
    static func maskCards(_ text: String) -> String? {
        let scalars = Array(text.unicodeScalars)
        var digitCount = 0
        for scalar in scalars where scalar.value >= 0x30 && scalar.value <= 0x39 { digitCount += 1 }
        guard digitCount >= 13 else { return nil }
        var out = String.UnicodeScalarView()
        var changed = false
        var i = 0
        while i < scalars.count {
            guard isDigit(scalars[i]), i == 0 || !isDigit(scalars[i - 1]) else {
                out.append(scalars[i])
                i += 1
                continue
            }
            // Extend over digits with single spaces or dashes between them.
            var j = i
            var digits: [Int] = []
            var lastDigitEnd = i
            while j < scalars.count {
                if isDigit(scalars[j]) {
                    digits.append(Int(scalars[j].value - 0x30))
                    j += 1
                    lastDigitEnd = j
                } else if (scalars[j] == " " || scalars[j] == "-"), j + 1 < scalars.count, isDigit(scalars[j + 1]) {
                    j += 1
                } else {
                    break
                }
            }
            if (13...19).contains(digits.count) && luhn(digits) {
                out.append(contentsOf: "[card number removed]".unicodeScalars)
                changed = true
            } else {
                for k in i..<lastDigitEnd { out.append(scalars[k]) }
            }
            i = lastDigitEnd
        }
        return changed ? String(out) : nil
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool { scalar.value >= 0x30 && scalar.value <= 0x39 }

    /// The Luhn checksum every payment card number satisfies.
    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            if offset % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }
}
