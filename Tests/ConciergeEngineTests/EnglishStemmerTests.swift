import Testing

@testable import ConciergeEngine

/// Word -> stem pairs produced by NLTK's `SnowballStemmer("english", ignore_stopwords=False)`, the reference
/// the stemmer was checked against over the whole shared vocabulary.
private let nltkPairs: [(word: String, stem: String)] = [
    // Porter2's exception list.
    ("skis", "ski"), ("skies", "sky"), ("dying", "die"), ("lying", "lie"), ("tying", "tie"),
    ("idly", "idl"), ("gently", "gentl"), ("ugly", "ugli"), ("early", "earli"), ("only", "onli"),
    ("singly", "singl"), ("sky", "sky"), ("news", "news"), ("howe", "howe"), ("atlas", "atlas"),
    ("cosmos", "cosmos"), ("bias", "bias"), ("andes", "andes"),
    // Words left invariant after step 1a, with the inflected forms NLTK lists.
    ("inning", "inning"), ("innings", "inning"), ("outing", "outing"), ("outings", "outing"),
    ("canning", "canning"), ("herring", "herring"), ("earring", "earring"),
    ("proceed", "proceed"), ("proceeds", "proceed"), ("proceeding", "proceed"),
    ("exceed", "exceed"), ("exceeded", "exceed"), ("exceeding", "exceed"),
    ("succeed", "succeed"), ("succeeded", "succeed"), ("succeeding", "succeed"),
    // R1 starts after "gener", "commun" and "arsen".
    ("generously", "generous"), ("generate", "generat"), ("general", "general"),
    ("communication", "communic"), ("community", "communiti"), ("communism", "communism"),
    ("arsenal", "arsenal"), ("arsenic", "arsenic"),
    // Step 1a and 1b, with their repairs: undoubling, "e" restored, short words.
    ("consignment", "consign"), ("running", "run"), ("hopping", "hop"), ("fizzed", "fizz"),
    ("cried", "cri"), ("ties", "tie"), ("spied", "spi"), ("gas", "gas"), ("this", "this"),
    ("caresses", "caress"), ("cats", "cat"), ("agreed", "agre"), ("agreedly", "agre"), ("feed", "feed"),
    ("bled", "bled"), ("hoping", "hope"), ("luxuriating", "luxuri"), ("sayings", "say"),
    ("cancelled", "cancel"), ("refunded", "refund"), ("charges", "charg"),
    // "y" as a consonant, and step 1c.
    ("happy", "happi"), ("enjoy", "enjoy"), ("toy", "toy"), ("says", "say"), ("crying", "cri"),
    // Steps 2 to 5.
    ("knightly", "knight"), ("fluently", "fluentli"), ("controllable", "control"),
    ("organization", "organ"), ("hopefulness", "hope"), ("hopeful", "hope"), ("electrical", "electr"),
    ("adjustable", "adjust"), ("possessive", "possess"), ("activation", "activ"),
    ("verification", "verif"), ("abatement", "abat"), ("ability", "abil"), ("yelling", "yell"),
    // Apostrophes: possessives and one leading apostrophe are removed.
    ("dog's", "dog"), ("dogs'", "dog"), ("'quoted", "quot"), ("sky's", "ski"), ("skies's", "ski"),
    // NLTK looks the exceptions up before removing a possessive, so these are stemmed normally.
    ("inning's", "in"), ("tying'", "ty"),
    // Curly apostrophes become "'", as NLTK maps them.
    ("don\u{2019}t", "don't"),
    // At most two characters: unchanged.
    ("is", "is"), ("a", "a"), ("by", "by"), ("'s", "'s"), ("ed", "ed"),
    ("ied", "ie"), ("ies", "ie"),
]

@Suite("EnglishStemmer")
struct EnglishStemmerTests {
    @Test("stems like NLTK's Snowball English stemmer", arguments: nltkPairs)
    func stemsLikeNLTK(word: String, stem: String) {
        #expect(EnglishStemmer.stem(word) == stem)
    }

    @Test("the byte fast path gives the same stems", arguments: nltkPairs)
    func bytePathAgrees(word: String, stem: String) {
        var bytes = Array(word.utf8)
        EnglishStemmer.stem(bytes: &bytes)
        #expect(String(decoding: bytes, as: UTF8.self) == stem)
    }

    @Test("words with non-ASCII letters or digits come back unchanged",
          arguments: ["café", "naïve", "résumés", "über", "привет", "covid19", "2fa", "running2", "ｒｕｎｎｉｎｇ"])
    func leavesNonASCIIAndDigitsAlone(word: String) {
        #expect(EnglishStemmer.stem(word) == word)
        var bytes = Array(word.utf8)
        EnglishStemmer.stem(bytes: &bytes)
        #expect(bytes == Array(word.utf8))
    }

    @Test("the empty string stays empty")
    func emptyString() {
        #expect(EnglishStemmer.stem("") == "")
        var bytes: [UInt8] = []
        EnglishStemmer.stem(bytes: &bytes)
        #expect(bytes.isEmpty)
    }

    @Test("uppercase ASCII is folded first, as NLTK does")
    func foldsUppercase() {
        #expect(EnglishStemmer.stem("Running") == "run")
        #expect(EnglishStemmer.stem("SKIES") == "sky")
    }

    @Test("the buffer entry point returns the stem's length")
    func bufferEntryPoint() {
        var bytes = Array("generously".utf8)
        let length = bytes.withUnsafeMutableBufferPointer { EnglishStemmer.stem(in: $0) }
        #expect(length == 8)
        #expect(String(decoding: bytes[..<length], as: UTF8.self) == "generous")
    }
}
