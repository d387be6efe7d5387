/// Reads a request for a person in any phrasing: "agent", "put me through", "find me a real one",
/// "could somebody from payments check this", "this is useless, get me a human". It reads words, not
/// classifier scores, so a request for a person is never lost to a clarifying question or a
/// low-confidence reading, and it hands off as `customer_request` whatever else the message says.
///
/// ```swift
/// PersonRequestReader.read(["fine", "yes", "put", "me", "through"])   // true
/// PersonRequestReader.read(["are", "you", "a", "real", "person"])     // false: that asks what the bot is
/// ```
enum PersonRequestReader {
    /// True when the words ask to be passed to a person.
    static func read(_ words: [String]) -> Bool {
        guard !words.isEmpty, words.count <= 40 else { return false }
        if asksWhatTheBotIs(words) || declinesAPerson(words) { return false }
        // A word that can only mean a person on our side: "agent", "representative", "human".
        if words.contains(where: staffNouns.contains) { return true }
        // Fixed phrases: "put me through", "transfer me", "escalate this", "real one".
        for phrase in phrases where contains(words, phrase) { return true }
        // "someone from billing", "a person in payments", "somebody on your team".
        for (i, word) in words.enumerated() where personNouns.contains(word) {
            let next = words.dropFirst(i + 1).prefix(3)
            if next.contains(where: teamWords.contains), next.first.map({ ["from", "in", "on", "at", "of"].contains($0) }) ?? false {
                return true
            }
            // "speak to someone", "talk with a person", "get me a real person", "need a person".
            let before = words[max(0, i - 4)..<i]
            if before.contains(where: contactVerbs.contains), !(word == "someone" || word == "somebody") || before.contains(where: ["to", "with"].contains)
            {
                if !before.contains("else"), !words.dropFirst(i + 1).prefix(1).contains("else") { return true }
            }
            if before.contains(where: ["real", "actual", "live"].contains) { return true }
            // "is someone going to look at this?", "can somebody call me": a person to act on it.
            let after = words.dropFirst(i + 1).prefix(4)
            if (word == "someone" || word == "somebody"), !after.contains("else"), after.contains(where: actingVerbs.contains) { return true }
        }
        return false
    }

    /// "Are you a person?", "wait is this a bot or a real person", "ur a robot lol": asks what the
    /// bot is, not for a person.
    static func asksWhatTheBotIs(_ words: [String]) -> Bool {
        guard words.count <= 14, !words.contains(where: contactVerbs.contains) else { return false }
        if words.contains(where: botNouns.contains) { return true }
        for i in words.indices.dropLast() where ["are", "is", "r", "am", "ur"].contains(words[i]) {
            if ["you", "u", "this", "it", "i", "a", "an"].contains(words[i + 1]) { return true }
        }
        return false
    }

    /// Words that name what the bot might be.
    static let botNouns: Set<String> = ["bot", "robot", "machine", "ai", "automated", "computer", "chatbot"]

    /// "No, I don't need a person", "no human needed".
    static func declinesAPerson(_ words: [String]) -> Bool {
        for (i, word) in words.enumerated() where ["dont", "no", "not", "never", "without"].contains(word) {
            let next = words.dropFirst(i + 1).prefix(4)
            if next.contains(where: { staffNouns.contains($0) || personNouns.contains($0) }) && !next.contains("but") { return true }
        }
        return false
    }

    static func contains(_ words: [String], _ phrase: [String]) -> Bool {
        guard phrase.count <= words.count else { return false }
        for start in 0...(words.count - phrase.count) where Array(words[start..<start + phrase.count]) == phrase { return true }
        return false
    }

    /// Words that name a person on the company's side whatever surrounds them.
    static let staffNouns: Set<String> = [
        "agent", "agents", "human", "humans", "humn", "hooman", "representative", "representitive", "rep", "operator", "operater",
        "supervisor", "manager",
    ]
    /// Words that name a person, when something around them makes it our person.
    static let personNouns: Set<String> = ["person", "someone", "somebody", "anyone", "anybody"]
    /// Verbs of reaching a person.
    static let contactVerbs: Set<String> = [
        "talk", "speak", "chat", "connect", "transfer", "get", "give", "find", "need", "want", "reach", "contact", "call", "put", "bring",
        "pass", "escalate",
    ]
    /// What a person on our side would do with the case.
    static let actingVerbs: Set<String> = [
        "look", "check", "call", "contact", "review", "handle", "sort", "deal", "email", "ring", "do", "fix", "help", "process", "arrange", "explain",
    ]
    /// Words that name a team.
    static let teamWords: Set<String> = [
        "billing", "payments", "payment", "support", "team", "returns", "shipping", "accounts", "account", "orders", "customer",
        "service", "care", "sales", "staff", "there", "your", "the", "store", "warehouse", "privacy", "finance", "delivery",
    ]
    /// Phrases that ask for a person on their own.
    static let phrases: [[String]] = [
        ["put", "me", "through"], ["transfer", "me"], ["escalate"], ["real", "one"], ["actual", "one"], ["live", "chat"],
        ["customer", "service", "rep"], ["someone", "real"], ["somebody", "real"], ["not", "a", "bot"], ["no", "more", "bot"],
        ["stop", "the", "bot"], ["a", "real", "human"], ["speak", "to", "someone"], ["talk", "to", "someone"],
        ["call", "me", "back"], ["connect", "me"], ["pass", "me", "to"], ["put", "me", "on", "to"],
    ]
}
