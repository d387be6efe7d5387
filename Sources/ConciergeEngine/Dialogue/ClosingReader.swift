/// Reads the small talk that closes or acknowledges: "k", "ok thanks, going to do it now",
/// "perfect, that's all, have a good one", "Thank you so much, that's really helpful." Such a
/// message is never a follow-up about the last answer, however many of its words ("that", "one")
/// lean on it.
///
/// ```swift
/// ClosingReader.read(["ok", "thanks", "going", "to", "do", "it", "now"])   // true
/// ClosingReader.read(["thanks", "and", "does", "it", "expire"])           // false: a question follows
/// ```
enum ClosingReader {
    /// True when every word belongs to an acknowledgement, thanks or goodbye, and one of them says so.
    static func read(_ words: [String]) -> Bool {
        guard !words.isEmpty, words.count <= 12 else { return false }
        guard words.contains(where: signals.contains) else { return false }
        return words.allSatisfy { signals.contains($0) || carriers.contains($0) }
    }

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
