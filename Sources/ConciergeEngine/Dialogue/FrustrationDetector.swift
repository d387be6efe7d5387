import Foundation

/// Reads how a customer feels from their words and typing: a lexicon of angry, insulting and
/// despairing words, plus signals (shouting in capitals, repeated punctuation, profanity), combined
/// with the conversation's running mood so that escalating negativity adds up.
public enum FrustrationDetector {
    /// The phrases as folded words between spaces, the way messages are compared.
    static let phraseKeys: [String] = phrases.map { " " + $0.replacingOccurrences(of: "'", with: "") + " " }

    /// One message's reading.
    public struct Reading: Sendable, Hashable {
        /// 0 (calm) to 1 (very frustrated), for this message alone.
        public var score: Double
        /// What was noticed, for explanations and the handoff packet.
        public var signals: [String]
    }

    static let strong: Set<String> = [
        "useless", "pathetic", "ridiculous", "unacceptable", "furious", "outrageous", "disgusting", "incompetent", "scam",
        "worst", "terrible", "horrible", "awful", "stupid", "idiot", "idiots", "idiotic", "rubbish", "garbage", "trash",
        "fuck", "fucking", "fucked", "shit", "shitty", "crap", "crappy", "damn", "hell", "wtf", "bullshit", "bs", "sucks",
        "hate", "livid",
    ]
    static let mild: Set<String> = [
        "annoyed", "annoying", "frustrated", "frustrating", "angry", "upset", "disappointed", "unhappy", "again", "still",
        "seriously", "already", "waste", "wasting", "wasted", "nobody", "never", "ages", "forever", "ignored", "ignoring",
        "enough", "unbelievable", "ugh", "argh", "why", "nothing", "understand", "ridiculously", "hopeless", "pointless",
    ]
    /// Phrases that say it outright.
    static let phrases: [String] = [
        "fed up", "sick of", "had enough", "waste of time", "not happy", "this is a joke", "are you kidding", "what the",
        "sick and tired", "doesn't work", "does not work", "no help", "not helping", "last time",
    ]

    /// Reads one message (the raw text, for capitals and punctuation, and its folded words).
    public static func read(_ message: String, words: [String]) -> Reading {
        var score = 0.0
        var signals: [String] = []
        let strongHits = words.filter(strong.contains)
        let mildHits = words.filter(mild.contains)
        if !strongHits.isEmpty {
            score += 0.45 + 0.15 * Double(min(strongHits.count - 1, 2))
            signals.append("said “\(strongHits.prefix(2).joined(separator: "”, “"))”")
        }
        if !mildHits.isEmpty {
            score += 0.15 * Double(min(mildHits.count, 3))
        }
        let joined = " " + words.joined(separator: " ") + " "
        let phraseHits = zip(phrases, phraseKeys).filter { joined.containsBytes($0.1) }.map(\.0)
        if !phraseHits.isEmpty {
            score += 0.3 * Double(min(phraseHits.count, 2))
            signals.append("said “\(phraseHits[0])”")
        }
        // Shouting: most letters in capitals, over a few words.
        var upper = 0, letters = 0
        for scalar in message.unicodeScalars where scalar.properties.isAlphabetic {
            letters += 1
            if scalar.properties.isUppercase { upper += 1 }
        }
        if letters >= 8, Double(upper) / Double(letters) > 0.7 {
            score += 0.3
            signals.append("wrote in capitals")
        }
        if message.containsBytes("!!") || message.containsBytes("??") || message.containsBytes("?!") || message.containsBytes("!?") {
            score += 0.15
            signals.append("repeated punctuation")
        }
        return Reading(score: min(1, score), signals: signals)
    }

    /// The conversation's mood after a message: recent negativity carries over (decaying by half each
    /// message), so several irritated messages in a row cross the threshold one alone would not.
    public static func mood(previous: Double, reading: Reading) -> Double {
        min(1, previous * 0.5 + reading.score)
    }
}
