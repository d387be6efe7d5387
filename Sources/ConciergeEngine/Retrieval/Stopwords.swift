/// Common English words that carry no topic, left out of retrieval (not out of intent matching,
/// where "how do I" and "can you" matter). Stored as stems, since queries are compared by stem.
enum Stopwords {
    static let english: Set<String> = {
        let words = """
            a about above after again against all am an and any are as at be because been before being below between both \
            but by can could did do does doing down during each few for from further had has have having he her here hers \
            herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on \
            once only or other our ours ourselves out over own same she should so some such than that the their theirs them \
            themselves then there these they this those through to too under until up very was we were what when where which \
            while who whom why will with would you your yours yourself yourselves im ive id dont doesnt didnt cant wont isnt \
            hi hello hey please thanks thank also get got would like want need know one yes ok okay us let lets
            """
        return Set(words.split(separator: " ").map { EnglishStemmer.stem(String($0)) })
    }()
}
