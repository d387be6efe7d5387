/// Reads the small talk that closes or acknowledges: "k", "ok thanks, going to do it now",
/// "perfect, that's all, have a good one", "Thank you so much, that's really helpful." Such a
/// message is never a follow-up about the last answer, however many of its words ("that", "one")
/// lean on it.
///
/// A customer also signs off by saying what they will do next, or what they thank for: "no
/// thanks, I'll see if a second box turns up first", "alright, I think we'll sleep on it, thanks
/// for being straight with me". After the thanks or acknowledgement, such a message only tells:
/// it asks nothing (no question mark, no question word) and names no value.
///
/// ```swift
/// ClosingReader.read(["ok", "thanks", "going", "to", "do", "it", "now"])   // true
/// ClosingReader.read(["thanks", "and", "does", "it", "expire"])           // false: a question follows
/// ClosingReader.read(["cool", "ill", "email", "you", "about", "that"])    // true: a plan, no question
/// ```
enum ClosingReader {
    /// True when every word belongs to an acknowledgement, thanks or goodbye, and one of them says
    /// so; or when the message thanks or acknowledges, then only tells the customer's plan or what
    /// they thank for. `asks` is true when the message has a question mark; `values` when it names
    /// an entity value (an order number is never a goodbye).
    static func read(_ words: [String], asks: Bool = false, values: Bool = false) -> Bool {
        guard !words.isEmpty, words.contains(where: signals.contains) else { return false }
        if words.count <= 12, words.allSatisfy({ signals.contains($0) || carriers.contains($0) }) { return true }
        guard !asks, !values, words.count <= 24 else { return false }
        return signsOff(words)
    }

    /// Thanks or an acknowledgement with a plan ("I'll …", "we'll …", "let me …") or what the
    /// thanks are for ("thanks for …"), and nothing that asks or requests: no question word
    /// (but for a statement's "I will", "we have"), no "need", "want" or "please".
    private static func signsOff(_ words: [String]) -> Bool {
        var tells = false
        for (i, word) in words.enumerated() {
            let previous = i > 0 ? words[i - 1] : ""
            if requestWords.contains(word) { return false }
            if MessageSegmenter.questionOpeners.contains(word), !subjects.contains(previous) { return false }
            if planOpeners.contains(word) || (word == "for" && thanks.contains(previous)) || (word == "for" && previous == "you" && i > 1 && words[i - 2] == "thank") {
                tells = true
            }
        }
        return tells
    }

    /// The words that start a customer's plan: "I'll", "we'll" (folded to "ill", "well"), "let
    /// me", "I think", "maybe", "gonna".
    static let planOpeners: Set<String> = ["ill", "well", "let", "gonna", "maybe", "think", "might", "guess", "probably", "going"]
    /// Words after which "will", "do", "have" state rather than ask ("I will", "going to do").
    static let subjects: Set<String> = ["i", "we", "you", "they", "ill", "well", "to", "it", "that", "just"]
    /// Words that ask for something, so the message is not a goodbye.
    static let requestWords: Set<String> = ["need", "want", "please", "pls", "like", "but", "though", "still", "not", "dont", "didnt", "cant", "wont", "isnt", "doesnt"]
    /// Words that thank.
    static let thanks: Set<String> = ["thanks", "thank", "thx", "ty", "cheers", "appreciate"]

    /// Words that acknowledge, thank or say goodbye.
    static let signals: Set<String> = [
        "k", "kk", "ok", "okay", "okey", "cool", "great", "perfect", "nice", "alright", "gotcha", "noted", "thanks", "thank", "thx",
        "ty", "tysm", "cheers", "bye", "goodbye", "cya", "later", "helpful", "appreciate", "appreciated", "awesome", "lovely",
        "brilliant", "wonderful", "excellent", "fab", "sweet", "understood", "makes", "sense", "everything", "ta",
    ]
    /// Words that carry those signals without asking anything.
    static let carriers: Set<String> = [
        "you", "so", "much", "very", "really", "that", "thats", "is", "was", "its", "it", "all", "i", "im", "ill", "will", "do",
        "going", "to", "now", "then", "have", "a", "an", "good", "one", "day", "nice", "great", "night", "weekend", "evening",
        "the", "for", "help", "your", "got", "get", "sounds", "that's", "lot", "again", "well", "done", "sure", "fine", "yes",
        "yeah", "yep", "oh", "ah", "haha", "lol", "try", "this", "me", "just", "what", "needed", "need", "ever", "see", "there",
        "bye", "email", "call", "check", "wait", "tomorrow", "later", "soon", "go", "off", "and", "everything", "info",
        "information", "answer", "sorted", "we", "were", "are", "set", "ok", "been", "such",
    ]
}
