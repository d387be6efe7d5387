/// A person's text made storable, once, where it enters Concierge, the same way for every store.
///
/// PostgreSQL refuses a text holding NUL, and SQLite's C interface cuts it there; a message of
/// hundreds of megabytes would be stored whole. So before a customer's message, an agent's reply or
/// note, or a name reaches the engine or a store, NUL becomes U+FFFD (shown, not lost: the customer's
/// other words stay as typed) and the text is cut to a limit. Every store then holds exactly what the
/// engine read and what the agent sees.
///
/// ```swift
/// let prepared = StorableText(message, limit: 4_000)
/// prepared.text      // what is stored and answered
/// prepared.wasCut    // true when the message was longer than the limit
/// ```
public struct StorableText: Sendable, Hashable {
    /// The text to store.
    public let text: String
    /// True when the original was longer than the limit and its end was dropped.
    public let wasCut: Bool

    /// `raw` with NUL replaced and at most `limit` characters.
    public init(_ raw: String, limit: Int) {
        precondition(limit > 0, "the limit must be positive")
        var scalars = String.UnicodeScalarView()
        var characters = 0
        var cut = false
        // Count characters (what a customer sees), replacing NUL as we go.
        for character in raw {
            if characters == limit {
                cut = true
                break
            }
            characters += 1
            for scalar in character.unicodeScalars {
                scalars.append(scalar == "\u{0}" ? "\u{FFFD}" : scalar)
            }
        }
        text = String(scalars)
        wasCut = cut
    }

    /// `raw` with NUL replaced, uncut (names, notes and other short fields).
    public static func clean(_ raw: String) -> String {
        raw.contains("\u{0}") ? String(String.UnicodeScalarView(raw.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 })) : raw
    }
}
