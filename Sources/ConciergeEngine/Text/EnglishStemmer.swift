// The Snowball English ("Porter2") stemmer, written to agree byte for byte with NLTK's
// `SnowballStemmer("english")`, which is the reference the tests were checked against.
//
// The stemmer works in place on the word's UTF-8 bytes. R1 and R2 are kept the way NLTK keeps them:
// as strings that are always suffixes of the word, here stored as their lengths (`r1`, `r2`). NLTK
// updates those strings in a few places that differ from plain marker positions (for example R2
// becomes "e" after "ation" -> "ate" when R2 was shorter than the suffix), and keeping lengths lets
// this code copy those rules exactly.

/// Reduces English words to their Snowball English (Porter2) stems, exactly as NLTK's
/// `SnowballStemmer("english")` does, so that "refund", "refunds" and "refunded" match one another.
public enum EnglishStemmer {
    /// Returns the Porter2 stem of a lowercase English word; a word containing a digit or a non-ASCII
    /// letter is returned unchanged, since the algorithm is only defined for English letters.
    public static func stem(_ word: String) -> String {
        var word = word
        let stemmed: String? = word.withUTF8 { source -> String? in
            let count = source.count
            guard count > 0, let sourceStart = source.baseAddress else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { scratch -> String? in
                guard let start = scratch.baseAddress else { return nil }
                start.initialize(from: sourceStart, count: count)
                guard let length = stemInPlace(start, count: count) else { return nil }
                return String(decoding: UnsafeBufferPointer(start: start, count: length), as: UTF8.self)
            }
        }
        return stemmed ?? word
    }

    /// Stems the word held in `bytes` (UTF-8, normally ASCII lowercase) in place, leaving it unchanged when it
    /// contains a digit or a non-ASCII letter.
    static func stem(bytes: inout [UInt8]) {
        let length = bytes.withUnsafeMutableBufferPointer { stem(in: $0) }
        if length < bytes.count { bytes.removeLast(bytes.count - length) }
    }

    /// Stems the word held in `buffer` in place and returns the stem's length; the stem occupies
    /// `buffer[0..<length]`. A stem is never longer than its word.
    static func stem(in buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        guard let start = buffer.baseAddress, !buffer.isEmpty else { return buffer.count }
        return stemInPlace(start, count: buffer.count) ?? buffer.count
    }

    // MARK: - The algorithm

    /// Returns the stem's length (the stem is written at `start`), or nil when the word is left unchanged.
    private static func stemInPlace(_ start: UnsafeMutablePointer<UInt8>, count: Int) -> Int? {
        // Reject digits and non-ASCII letters; accept the curly apostrophes NLTK maps to "'".
        var hasUppercase = false
        var curlyApostrophes = 0
        var index = 0
        while index < count {
            let byte = start[index]
            if byte < 0x80 {
                if byte &- Byte.zero < 10 { return nil }
                if byte &- Byte.capitalA < 26 { hasUppercase = true }
                index += 1
            } else if byte == 0xE2, index + 2 < count, start[index + 1] == 0x80,
                start[index + 2] == 0x98 || start[index + 2] == 0x99 || start[index + 2] == 0x9B
            {
                curlyApostrophes += 1
                index += 3
            } else {
                return nil
            }
        }
        if hasUppercase {
            for i in 0..<count where start[i] &- Byte.capitalA < 26 { start[i] |= 0x20 }
        }
        // Words of at most two characters are left as they are (NLTK counts characters, not bytes).
        if count - 2 * curlyApostrophes <= 2 { return hasUppercase ? count : nil }

        var n = count
        if curlyApostrophes > 0 {
            var read = 0
            var write = 0
            while read < count {
                if start[read] >= 0x80 {
                    start[write] = Byte.apostrophe
                    read += 3
                } else {
                    start[write] = start[read]
                    read += 1
                }
                write += 1
            }
            n = write
        }

        if let exception = exceptionalStem(start, n) {
            let length = exception.utf8CodeUnitCount
            start.update(from: exception.utf8Start, count: length)
            return length
        }

        // One leading apostrophe is dropped.
        if start[0] == Byte.apostrophe {
            start.update(from: start + 1, count: n - 1)
            n -= 1
        }

        // "y" at the start or after a vowel is a consonant, marked "Y" until the end.
        if start[0] == Byte.y { start[0] = Byte.capitalY }
        for i in 1..<n where start[i] == Byte.y && isVowel(start[i - 1]) { start[i] = Byte.capitalY }

        // R1 and R2, with NLTK's special prefixes whose R1 starts right after them.
        var p1 = n
        if n >= 5 && (hasPrefix(start, n, "gener") || hasPrefix(start, n, "arsen")) {
            p1 = 5
        } else if n >= 6 && hasPrefix(start, n, "commun") {
            p1 = 6
        } else {
            var i = 1
            while i < n {
                if !isVowel(start[i]) && isVowel(start[i - 1]) {
                    p1 = i + 1
                    break
                }
                i += 1
            }
        }
        var p2 = n
        var j = p1 + 1
        while j < n {
            if !isVowel(start[j]) && isVowel(start[j - 1]) {
                p2 = j + 1
                break
            }
            j += 1
        }

        var word = Word(w: start, n: n, r1: n - p1, r2: n - p2)
        word.step0()
        word.step1a()
        word.step1b()
        word.step1c()
        word.step2()
        word.step3()
        word.step4()
        word.step5()

        for i in 0..<word.n where start[i] == Byte.capitalY { start[i] = Byte.y }
        return word.n
    }

    /// The stems of NLTK's exceptional words (Porter2's exception list and the words left invariant after step 1a,
    /// with their plural and inflected forms as NLTK lists them), or nil for any other word.
    private static func exceptionalStem(_ w: UnsafeMutablePointer<UInt8>, _ n: Int) -> StaticString? {
        guard n >= 3 && n <= 10 else { return nil }
        @inline(__always) func word(_ s: StaticString) -> Bool { equals(w, n, s) }
        switch w[0] {
        case Byte.a:
            if word("atlas") { return "atlas" }
            if word("andes") { return "andes" }
        case Byte.b:
            if word("bias") { return "bias" }
        case Byte.c:
            if word("cosmos") { return "cosmos" }
            if word("canning") || word("cannings") { return "canning" }
        case Byte.d:
            if word("dying") { return "die" }
        case Byte.e:
            if word("early") { return "earli" }
            if word("earring") || word("earrings") { return "earring" }
            if word("exceed") || word("exceeds") || word("exceeded") || word("exceeding") { return "exceed" }
        case Byte.g:
            if word("gently") { return "gentl" }
        case Byte.h:
            if word("howe") { return "howe" }
            if word("herring") || word("herrings") { return "herring" }
        case Byte.i:
            if word("idly") { return "idl" }
            if word("inning") || word("innings") { return "inning" }
        case Byte.l:
            if word("lying") { return "lie" }
        case Byte.n:
            if word("news") { return "news" }
        case Byte.o:
            if word("only") { return "onli" }
            if word("outing") || word("outings") { return "outing" }
        case Byte.p:
            if word("proceed") || word("proceeds") || word("proceeded") || word("proceeding") { return "proceed" }
        case Byte.s:
            if word("skis") { return "ski" }
            if word("skies") || word("sky") { return "sky" }
            if word("singly") { return "singl" }
            if word("succeed") || word("succeeds") || word("succeeded") || word("succeeding") { return "succeed" }
        case Byte.t:
            if word("tying") { return "tie" }
        case Byte.u:
            if word("ugly") { return "ugli" }
        default:
            break
        }
        return nil
    }
}

// MARK: - Working state

extension EnglishStemmer {
    /// A word being stemmed: its bytes `w[0..<n]` and the lengths of R1 and R2, both suffixes of the word.
    private struct Word {
        let w: UnsafeMutablePointer<UInt8>
        var n: Int
        var r1: Int
        var r2: Int

        @inline(__always) var last: UInt8 { n > 0 ? w[n - 1] : 0 }

        @inline(__always) func ends(_ suffix: StaticString) -> Bool {
            let k = suffix.utf8CodeUnitCount
            guard n >= k else { return false }
            let bytes = suffix.utf8Start
            let base = w + (n - k)
            var i = k - 1
            while i >= 0 {
                if base[i] != bytes[i] { return false }
                i -= 1
            }
            return true
        }

        /// Removes the last `k` bytes, shortening R1 and R2 with them.
        @inline(__always) mutating func chop(_ k: Int) {
            n -= k
            r1 = max(0, r1 - k)
            r2 = max(0, r2 - k)
        }

        /// Replaces a suffix of length `k` (known to be in R1) by `replacement`; R2 becomes `r2Fallback` long when the
        /// suffix did not fit in it, which is what NLTK does.
        @inline(__always) mutating func replace(_ k: Int, with replacement: StaticString, r2Fallback: Int = 0) {
            let m = replacement.utf8CodeUnitCount
            (w + (n - k)).update(from: replacement.utf8Start, count: m)
            n += m - k
            r1 = r1 >= k ? r1 - k + m : 0
            r2 = r2 >= k ? r2 - k + m : r2Fallback
        }

        /// Whether `w[0..<end]` contains a vowel.
        @inline(__always) func hasVowel(before end: Int) -> Bool {
            var i = 0
            while i < end {
                if isVowel(w[i]) { return true }
                i += 1
            }
            return false
        }

        /// Step 0: the possessive suffixes "'s'", "'s" and "'".
        mutating func step0() {
            let c = last
            guard c == Byte.apostrophe || c == Byte.s else { return }
            if ends("'s'") {
                chop(3)
            } else if ends("'s") {
                chop(2)
            } else if c == Byte.apostrophe {
                chop(1)
            }
        }

        /// Step 1a: plural "s", "sses", "ied" and "ies".
        mutating func step1a() {
            switch last {
            case Byte.s:
                if ends("sses") {
                    chop(2)
                } else if ends("ies") {
                    chop(n - 3 > 1 ? 2 : 1)
                } else if ends("us") || ends("ss") {
                    return
                } else if hasVowel(before: n - 2) {
                    chop(1)
                }
            case Byte.d:
                if ends("ied") { chop(n - 3 > 1 ? 2 : 1) }
            default:
                break
            }
        }

        /// Step 1b: "eed", "eedly", "ed", "edly", "ing", "ingly", then the repairs after removing them.
        mutating func step1b() {
            switch last {
            case Byte.y:
                if ends("eedly") {
                    eed(5)
                } else if ends("ingly") {
                    removeVerbEnding(5)
                } else if ends("edly") {
                    removeVerbEnding(4)
                }
            case Byte.d:
                if ends("eed") {
                    eed(3)
                } else if ends("ed") {
                    removeVerbEnding(2)
                }
            case Byte.g:
                if ends("ing") { removeVerbEnding(3) }
            default:
                break
            }
        }

        /// "eed" or "eedly" in R1 becomes "ee".
        @inline(__always) private mutating func eed(_ k: Int) {
            guard r1 >= k else { return }
            n -= k - 2
            r1 -= k - 2
            r2 = r2 >= k ? r2 - (k - 2) : 0
        }

        private mutating func removeVerbEnding(_ k: Int) {
            guard hasVowel(before: n - k) else { return }
            chop(k)
            if ends("at") || ends("bl") || ends("iz") {
                w[n] = Byte.e
                n += 1
                r1 += 1
                if n > 5 || r1 >= 3 { r2 += 1 }
            } else if n >= 2 && w[n - 1] == w[n - 2] && isDoubleConsonant(w[n - 1]) {
                chop(1)
            } else if r1 == 0 && isShortWordEnd() {
                w[n] = Byte.e
                n += 1
                if r2 > 0 { r2 += 1 }
            }
        }

        /// NLTK's short-syllable test at the end of a word with an empty R1.
        @inline(__always) private func isShortWordEnd() -> Bool {
            if n >= 3 {
                let c = w[n - 1]
                return !isVowel(c) && c != Byte.w && c != Byte.x && c != Byte.capitalY && isVowel(w[n - 2])
                    && !isVowel(w[n - 3])
            }
            return n == 2 && isVowel(w[0]) && !isVowel(w[1])
        }

        /// Step 1c: a final "y" or "Y" after a consonant, not as the second letter, becomes "i".
        mutating func step1c() {
            if n > 2, w[n - 1] == Byte.y || w[n - 1] == Byte.capitalY, !isVowel(w[n - 2]) {
                w[n - 1] = Byte.i
            }
        }

        /// Step 2: derivational suffixes in R1 ("ational", "ization", "fulness", "bli", "li", ...).
        mutating func step2() {
            switch last {
            case Byte.l:
                if ends("ational") {
                    if r1 >= 7 { replace(7, with: "ate", r2Fallback: 1) }
                } else if ends("tional") {
                    if r1 >= 6 { chop(2) }
                }
            case Byte.n:
                if ends("ization") {
                    if r1 >= 7 { replace(7, with: "ize") }
                } else if ends("ation") {
                    if r1 >= 5 { replace(5, with: "ate", r2Fallback: 1) }
                }
            case Byte.s:
                if ends("fulness") {
                    if r1 >= 7 { chop(4) }
                } else if ends("ousness") {
                    if r1 >= 7 { replace(7, with: "ous") }
                } else if ends("iveness") {
                    if r1 >= 7 { replace(7, with: "ive", r2Fallback: 1) }
                }
            case Byte.m:
                if ends("alism") && r1 >= 5 { replace(5, with: "al") }
            case Byte.r:
                if ends("izer") {
                    if r1 >= 4 { replace(4, with: "ize") }
                } else if ends("ator") {
                    if r1 >= 4 { replace(4, with: "ate", r2Fallback: 1) }
                }
            case Byte.i:
                step2EndingInI()
            default:
                break
            }
        }

        private mutating func step2EndingInI() {
            if ends("biliti") {
                if r1 >= 6 { replace(6, with: "ble") }
            } else if ends("lessli") {
                if r1 >= 6 { chop(2) }
            } else if ends("entli") {
                if r1 >= 5 { chop(2) }
            } else if ends("aliti") {
                if r1 >= 5 { replace(5, with: "al") }
            } else if ends("ousli") {
                if r1 >= 5 { replace(5, with: "ous") }
            } else if ends("iviti") {
                if r1 >= 5 { replace(5, with: "ive", r2Fallback: 1) }
            } else if ends("fulli") {
                if r1 >= 5 { chop(2) }
            } else if ends("enci") || ends("anci") || ends("abli") {
                if r1 >= 4 { w[n - 1] = Byte.e }
            } else if ends("alli") {
                if r1 >= 4 { replace(4, with: "al") }
            } else if ends("bli") {
                if r1 >= 3 { replace(3, with: "ble") }
            } else if ends("ogi") {
                if r1 >= 3 && n >= 4 && w[n - 4] == Byte.l { chop(1) }
            } else if ends("li") {
                if r1 >= 2 && n >= 3 && isLiEnding(w[n - 3]) { chop(2) }
            }
        }

        /// Step 3: "ational", "tional", "alize", "icate", "iciti", "ical", "ful", "ness" in R1, "ative" in R2.
        mutating func step3() {
            switch last {
            case Byte.l:
                if ends("ational") {
                    if r1 >= 7 { replace(7, with: "ate") }
                } else if ends("tional") {
                    if r1 >= 6 { chop(2) }
                } else if ends("ical") {
                    if r1 >= 4 { replace(4, with: "ic") }
                } else if ends("ful") {
                    if r1 >= 3 { chop(3) }
                }
            case Byte.e:
                if ends("alize") {
                    if r1 >= 5 { chop(3) }
                } else if ends("icate") {
                    if r1 >= 5 { replace(5, with: "ic") }
                } else if ends("ative") {
                    if r1 >= 5 && r2 >= 5 { chop(5) }
                }
            case Byte.i:
                if ends("iciti") && r1 >= 5 { replace(5, with: "ic") }
            case Byte.s:
                if ends("ness") && r1 >= 4 { chop(4) }
            default:
                break
            }
        }

        /// Step 4: residual suffixes in R2 ("ement", "ance", "ism", "ion" after "s" or "t", ...).
        mutating func step4() {
            let k: Int
            switch last {
            case Byte.t:
                if ends("ement") {
                    k = 5
                } else if ends("ment") {
                    k = 4
                } else if ends("ant") || ends("ent") {
                    k = 3
                } else {
                    return
                }
            case Byte.e:
                if ends("ance") || ends("ence") || ends("able") || ends("ible") {
                    k = 4
                } else if ends("ate") || ends("ive") || ends("ize") {
                    k = 3
                } else {
                    return
                }
            case Byte.m:
                guard ends("ism") else { return }
                k = 3
            case Byte.i:
                guard ends("iti") else { return }
                k = 3
            case Byte.s:
                guard ends("ous") else { return }
                k = 3
            case Byte.n:
                guard ends("ion"), r2 >= 3, n >= 4, w[n - 4] == Byte.s || w[n - 4] == Byte.t else { return }
                chop(3)
                return
            case Byte.l:
                guard ends("al") else { return }
                k = 2
            case Byte.r:
                guard ends("er") else { return }
                k = 2
            case Byte.c:
                guard ends("ic") else { return }
                k = 2
            default:
                return
            }
            if r2 >= k { chop(k) }
        }

        /// Step 5: a final "e" in R2, or in R1 unless after a short syllable; a final "ll" in R2 loses one "l".
        mutating func step5() {
            guard n > 0 else { return }
            let c = w[n - 1]
            if r2 > 0 && c == Byte.l && n >= 2 && w[n - 2] == Byte.l {
                n -= 1
            } else if r2 > 0 && c == Byte.e {
                n -= 1
            } else if r1 > 0 && c == Byte.e && n >= 4 {
                let before = w[n - 2]
                if isVowel(before) || before == Byte.w || before == Byte.x || before == Byte.capitalY
                    || !isVowel(w[n - 3])
                    || isVowel(w[n - 4])
                {
                    n -= 1
                }
            }
        }
    }
}

// MARK: - Byte helpers

extension EnglishStemmer {
    /// The ASCII bytes the algorithm looks at.
    private enum Byte {
        static let zero = UInt8(ascii: "0")
        static let capitalA = UInt8(ascii: "A")
        static let capitalY = UInt8(ascii: "Y")
        static let apostrophe = UInt8(ascii: "'")
        static let a = UInt8(ascii: "a")
        static let b = UInt8(ascii: "b")
        static let c = UInt8(ascii: "c")
        static let d = UInt8(ascii: "d")
        static let e = UInt8(ascii: "e")
        static let f = UInt8(ascii: "f")
        static let g = UInt8(ascii: "g")
        static let h = UInt8(ascii: "h")
        static let i = UInt8(ascii: "i")
        static let k = UInt8(ascii: "k")
        static let l = UInt8(ascii: "l")
        static let m = UInt8(ascii: "m")
        static let n = UInt8(ascii: "n")
        static let o = UInt8(ascii: "o")
        static let p = UInt8(ascii: "p")
        static let r = UInt8(ascii: "r")
        static let s = UInt8(ascii: "s")
        static let t = UInt8(ascii: "t")
        static let u = UInt8(ascii: "u")
        static let w = UInt8(ascii: "w")
        static let x = UInt8(ascii: "x")
        static let y = UInt8(ascii: "y")
    }

    /// Porter2's vowels: a, e, i, o, u and y (a "Y" marked as a consonant is not one).
    @inline(__always) private static func isVowel(_ byte: UInt8) -> Bool {
        let offset = UInt32(byte &- Byte.a)
        // Bits 0, 4, 8, 14, 20 and 24: a, e, i, o, u, y.
        return offset < 26 && (0x0110_4111 as UInt32) >> offset & 1 != 0
    }

    /// The letters that may come before a final "li" that step 2 removes.
    @inline(__always) private static func isLiEnding(_ byte: UInt8) -> Bool {
        switch byte {
        case Byte.c, Byte.d, Byte.e, Byte.g, Byte.h, Byte.k, Byte.m, Byte.n, Byte.r, Byte.t: true
        default: false
        }
    }

    /// The consonants whose doubling step 1b undoes.
    @inline(__always) private static func isDoubleConsonant(_ byte: UInt8) -> Bool {
        switch byte {
        case Byte.b, Byte.d, Byte.f, Byte.g, Byte.m, Byte.n, Byte.p, Byte.r, Byte.t: true
        default: false
        }
    }

    @inline(__always) private static func hasPrefix(
        _ w: UnsafeMutablePointer<UInt8>, _ n: Int, _ prefix: StaticString
    ) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard n >= count else { return false }
        let bytes = prefix.utf8Start
        for index in 0..<count where w[index] != bytes[index] { return false }
        return true
    }

    @inline(__always) private static func equals(
        _ w: UnsafeMutablePointer<UInt8>, _ n: Int, _ literal: StaticString
    ) -> Bool {
        n == literal.utf8CodeUnitCount && hasPrefix(w, n, literal)
    }
}
