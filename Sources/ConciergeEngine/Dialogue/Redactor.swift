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
        /// The message ends with what may be the first half of a card number (a card was mentioned
        /// and 6 to 12 digits follow), masked too; the next message's leading digits are its rest.
        public var endsWithPartialCard = false

        public init(text: String, masked: [String]) {
            self.text = text
            self.masked = masked
        }
    }

    struct Rule: @unchecked Sendable {
        // NSRegularExpression is immutable and thread-safe once made.
        let regex: NSRegularExpression
        let what: String
        /// A cheap test before running the regex: lowercase fragments one of which the message must contain.
        let hints: [String]
        /// The replacement: `$1` is what comes before the secret, `$2` what comes after (when captured).
        let template: String
    }

    /// Words that follow "password" in a sentence about it, never a password themselves.
    static let notSecrets =
        "not|wrong|incorrect|invalid|working|work|expired|too|still|the|my|a|an|correct|right|reset|resets|changed|change|locked|no|definitely|definately|for|to|and|or|but|isn|isnt|doesn|doesnt|won|wont|didn|didnt|again|link|email|help|please|field|box|page|screen|manager|reminder|recovery|requirements|rules|keeps|kept|just|now|never|always|anymore|any|at|on|in|of|with|that|this|it|yesterday|today|twice|once|either|same|new|old|here|there|so|because|since|after|before|when|if|reset"

    static let rules: [Rule] = {
        func rule(_ pattern: String, _ what: String, hints: [String], template: String? = nil) -> Rule {
            Rule(
                regex: try! NSRegularExpression(pattern: pattern, options: [.caseInsensitive]), what: what, hints: hints,
                template: template ?? "$1[\(what) removed]")
        }
        let secretWord = #"(?!(?:"# + notSecrets + #")\b)\S+"#
        return [
            rule(#"(\b(?:cvv2?|cvc2?|csc|security code|card code)\b\W{0,3}(?:is\W{0,3})?)\d{3,4}\b"#, "security code", hints: ["cv", "csc", "code"]),
            // "password is X", "password: X", "password's X", "pwd=X".
            rule(
                #"(\b(?:password|passcode|passwd|pwd|pw|passphrase)(?:'s|\s+is|\s+was|\s*:|\s*=)\s*)"# + secretWord,
                "password", hints: ["pass", "pw"]),
            // "passwd X", "password hunter2": a bare word after it, when it looks like a password
            // (it holds a digit or a symbol).
            rule(
                #"(\b(?:password|passcode|passwd|pwd|passphrase)\s+)(?!(?:"# + notSecrets + #")\b)(?=\S*[0-9!@#$%^&*_+=~?])[^\s.,;]+"#,
                "password", hints: ["pass", "pwd"]),
            // "I use X as my password".
            rule(
                #"(\b(?:use|used|using|set|chose|picked|made)\s+)\S+(\s+as\s+(?:my|the|a)\s+(?:new\s+)?(?:password|passcode|passwd|pin)\b)"#,
                "password", hints: ["pass", "pin"], template: "$1[password removed]$2"),
            rule(#"(\bpin\b\s*(?:number\s*)?(?:is|was|:|=)?\s*)\d{4,8}\b"#, "PIN", hints: ["pin"]),
            rule(#"()\b\d{3}-\d{2}-\d{4}\b"#, "social security number", hints: ["-"]),
            rule(
                #"(\b(?:mother'?s maiden name|security answer|security question answer|answer to (?:my|the) security question|first pet'?s name|memorable word)\b\s*(?:is|was|:|=|'s)\s*)\S+"#,
                "security answer", hints: ["maiden", "security", "pet", "memorable"]),
            // "answer: X" (a bare answer given with a colon or equals sign).
            rule(#"(\banswer\s*(?::|=)\s*)\S+"#, "security answer", hints: ["answer"]),
            // A card's expiry: never kept (it would otherwise be read as a date).
            rule(
                #"(\b(?:exp(?:iry|iration|ires|\.)?(?:\s+date)?|valid\s+(?:thru|through|until)|good\s+thru)\b\W{0,3}(?:is\W{0,3}|on\W{0,3})?)\d{1,2}\s*[/-]\s*(?:\d{4}|\d{2})\b"#,
                "card expiry", hints: ["exp", "valid", "good"]),
            rule(#"(\[card number removed\]\W{1,5})\d{1,2}\s*/\s*(?:\d{4}|\d{2})\b"#, "card expiry", hints: ["[card number removed]"]),
            rule(#"()\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){3,7}(?:[ ]?[A-Z0-9]{1,3})?\b"#, "IBAN", hints: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]),
        ]
    }()

    /// The message with sensitive values replaced by `[... removed]`.
    ///
    /// - Parameter continuingCard: The previous message ended with the start of a card number
    ///   (`Result.endsWithPartialCard`): a run of digits at the start of this one is its rest.
    public static func mask(_ message: String, continuingCard: Bool = false) -> Result {
        var text = normalizedDigits(message)
        var masked: [String] = []
        var partial = false
        if let cards = maskCards(text, continuing: continuingCard) {
            text = cards.text
            if cards.masked { masked.append("card number") }
            partial = cards.partial
        }
        let lower = text.lowercased()
        for rule in rules where rule.hints.contains(where: lower.containsBytes) {
            let range = NSRange(text.startIndex..., in: text)
            guard let match = rule.regex.firstMatch(in: text, range: range) else { continue }
            if rule.what == "IBAN", let found = Range(match.range, in: text), !isIBAN(String(text[found])) { continue }
            text = rule.regex.stringByReplacingMatches(in: text, range: range, withTemplate: rule.template)
            if !masked.contains(rule.what) { masked.append(rule.what) }
        }
        var result = Result(text: text, masked: masked)
        result.endsWithPartialCard = partial
        return result
    }

    /// Full-width digits (０-９) read as ASCII digits, so a card typed on a phone keyboard is found;
    /// the message is otherwise unchanged.
    static func normalizedDigits(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF10...0xFF19).contains($0.value) }) else { return text }
        return String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { (0xFF10...0xFF19).contains($0.value) ? Unicode.Scalar($0.value - 0xFF10 + 0x30)! : $0 }))
    }

    /// The ISO 13616 check: the country and check digits moved to the end, letters as numbers, mod 97 is 1.
    static func isIBAN(_ candidate: String) -> Bool {
        let compact = candidate.uppercased().filter { $0 != " " }
        guard (15...34).contains(compact.count) else { return false }
        let rearranged = compact.dropFirst(4) + compact.prefix(4)
        var remainder = 0
        for character in rearranged {
            guard let value = character.isNumber ? character.wholeNumberValue : character.asciiValue.map({ Int($0) - 55 }), value >= 0, value < 36
            else { return false }
            for digit in value < 10 ? [value] : [value / 10, value % 10] { remainder = (remainder * 10 + digit) % 97 }
        }
        return remainder == 1
    }

    /// Replaces runs of 13 to 19 digits (single spaces, dashes or dots between groups allowed) that
    /// pass the Luhn check. A message that mentions a card and holds 6 to 12 such digits has them
    /// masked as the first part of a card (`partial` when they end the message); with `continuing`,
    /// a run at the start of the message is the rest of one. Nil when nothing changed.
    static func maskCards(_ text: String, continuing: Bool) -> (text: String, masked: Bool, partial: Bool)? {
        let scalars = Array(text.unicodeScalars)
        var digitCount = 0
        for scalar in scalars where isDigit(scalar) { digitCount += 1 }
        guard digitCount >= 6 else { return nil }
        let mentionsCard = ["card", "visa", "mastercard", "amex", "debit", "credit"].contains { text.lowercased().containsBytes($0) }
        guard digitCount >= 13 || mentionsCard || continuing else { return nil }
        var out = String.UnicodeScalarView()
        var masked = false
        var partial = false
        var i = 0
        var seenText = false
        while i < scalars.count {
            guard isDigit(scalars[i]), i == 0 || !isDigit(scalars[i - 1]) else {
                if !scalars[i].properties.isWhitespace { seenText = true }
                out.append(scalars[i])
                i += 1
                continue
            }
            // Extend over digits with single spaces, dashes or dots between them, noting where each
            // group ends (a card followed by more digits, like its expiry, ends at a group's end).
            var j = i
            var digits: [Int] = []
            var lastDigitEnd = i
            var groupEnds: [(digits: Int, end: Int)] = []
            while j < scalars.count {
                if isDigit(scalars[j]) {
                    digits.append(Int(scalars[j].value - 0x30))
                    j += 1
                    lastDigitEnd = j
                    if j == scalars.count || !isDigit(scalars[j]) { groupEnds.append((digits.count, j)) }
                } else if (scalars[j] == " " || scalars[j] == "-" || scalars[j] == "." || scalars[j] == "\u{A0}"), j + 1 < scalars.count,
                    isDigit(scalars[j + 1])
                {
                    j += 1
                } else {
                    break
                }
            }
            if !((13...19).contains(digits.count) && luhn(digits)),
                let card = groupEnds.last(where: { (13...19).contains($0.digits) && luhn(Array(digits.prefix($0.digits))) })
            {
                // A card number and then more digits: the card alone is masked.
                out.append(contentsOf: "[card number removed]".unicodeScalars)
                masked = true
                seenText = true
                i = card.end
                continue
            }
            let atEnd = scalars[lastDigitEnd...].allSatisfy { !$0.properties.isAlphabetic && !isDigit($0) }
            let grouped = digits.count >= 6 && (lastDigitEnd - i) > digits.count  // typed in groups, like a card
            if (13...19).contains(digits.count) && luhn(digits) {
                out.append(contentsOf: "[card number removed]".unicodeScalars)
                masked = true
            } else if continuing && !seenText && (1...13).contains(digits.count) {
                out.append(contentsOf: "[card number removed]".unicodeScalars)
                masked = true
            } else if mentionsCard && atEnd && (6...12).contains(digits.count) && (grouped || digits.count >= 8) {
                out.append(contentsOf: "[card number removed]".unicodeScalars)
                masked = true
                partial = true
            } else {
                for k in i..<lastDigitEnd { out.append(scalars[k]) }
            }
            seenText = true
            i = lastDigitEnd
        }
        return masked ? (String(out), true, partial) : nil
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
