/// Cleans raw customer input and splits it into folded words.
///
/// Sanitising keeps the message printable (control characters become spaces, invalid UTF-8 was
/// already replaced when the line was decoded) and bounded (`maximumScalars`); folding lower-cases,
/// removes accents and apostrophes, so "Où's", "OU'S" and "ous" read the same. Letters and digits of
/// every script make words; emoji and punctuation separate them.
public struct TextNormalizer: Sendable {
    /// Messages longer than this are analysed only up to here (the customer's text is kept whole).
    public var maximumScalars: Int

    public init(maximumScalars: Int = 2_000) {
        precondition(maximumScalars > 0, "maximumScalars must be positive")
        self.maximumScalars = maximumScalars
    }

    /// The message as it is analysed: at most `maximumScalars` scalars, control characters as spaces.
    public func sanitize(_ message: String) -> String {
        var out = String.UnicodeScalarView()
        var count = 0
        for scalar in message.unicodeScalars {
            if count == maximumScalars { break }
            count += 1
            let v = scalar.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) || v == 0x2028 || v == 0x2029 || v == 0xFFFD {
                out.append(" ")
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// Splits sanitised text into folded words, each with its scalar range.
    public func tokenize(_ sanitized: String) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(16)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(32)
        var start = 0
        var position = 0

        func flush(at end: Int) {
            if !buffer.isEmpty {
                tokens.append(Token(text: String(decoding: buffer, as: UTF8.self), range: start..<end))
                buffer.removeAll(keepingCapacity: true)
            }
        }

        for scalar in sanitized.unicodeScalars {
            defer { position += 1 }
            let v = scalar.value
            if v < 0x80 {
                let byte = UInt8(v)
                if (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) {
                    if buffer.isEmpty { start = position }
                    buffer.append(byte)
                } else if byte >= 0x41 && byte <= 0x5A {
                    if buffer.isEmpty { start = position }
                    buffer.append(byte | 0x20)
                } else if byte == 0x27, !buffer.isEmpty {
                    continue  // "where's" reads as "wheres"
                } else {
                    flush(at: position)
                }
                continue
            }
            if v == 0x2019 || v == 0x02BC || v == 0x2018 {
                if !buffer.isEmpty { continue }
                flush(at: position)
                continue
            }
            if let folded = Self.fold(scalar) {
                if buffer.isEmpty { start = position }
                buffer.append(contentsOf: folded.utf8)
            } else {
                flush(at: position)
            }
        }
        flush(at: position)
        return tokens
    }

    /// A non-ASCII letter or digit folded to lower case without accents; nil for anything else.
    static func fold(_ scalar: Unicode.Scalar) -> String? {
        let properties = scalar.properties
        guard properties.isAlphabetic || properties.numericType != nil else {
            // Combining marks continue the word they belong to but add nothing.
            return properties.generalCategory == .nonspacingMark ? "" : nil
        }
        if let ascii = latinFolding[scalar.value] { return ascii }
        let lower = properties.lowercaseMapping
        return lower.isEmpty ? nil : lower
    }

    /// Latin letters with accents, folded to their base letters (the common cases, precomputed).
    static let latinFolding: [UInt32: String] = {
        var table: [UInt32: String] = [:]
        let groups: [(String, String)] = [
            ("a", "àáâãäåāăąǎȁȃȧⱥÀÁÂÃÄÅĀĂĄǍ"), ("c", "çćĉċčÇĆĈĊČ"), ("d", "ďđÐĎĐ"),
            ("e", "èéêëēĕėęěÈÉÊËĒĔĖĘĚ"), ("g", "ĝğġģĜĞĠĢ"), ("h", "ĥħĤĦ"),
            ("i", "ìíîïĩīĭįıÌÍÎÏĨĪĬĮİ"), ("j", "ĵĴ"), ("k", "ķĶ"), ("l", "ĺļľŀłĹĻĽĿŁ"),
            ("n", "ñńņňÑŃŅŇ"), ("o", "òóôõöøōŏőÒÓÔÕÖØŌŎŐ"), ("r", "ŕŗřŔŖŘ"),
            ("s", "śŝşšŚŜŞŠ"), ("t", "ţťŧŢŤŦ"), ("u", "ùúûüũūŭůűųÙÚÛÜŨŪŬŮŰŲ"),
            ("w", "ŵŴ"), ("y", "ýÿŷÝŸŶ"), ("z", "źżžŹŻŽ"),
            ("ss", "ß"), ("ae", "æÆ"), ("oe", "œŒ"), ("th", "þÞ"),
        ]
        for (base, letters) in groups {
            for scalar in letters.unicodeScalars { table[scalar.value] = base }
        }
        return table
    }()
}
