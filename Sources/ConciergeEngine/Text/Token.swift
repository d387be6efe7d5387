/// One word of a customer's message after normalisation, with where it came from.
public struct Token: Sendable, Hashable {
    /// The folded word: lower case, no accents, no apostrophes (`"Where's"` → `"wheres"`).
    public var text: String
    /// The word's stem, the unit that matching and retrieval compare (`"orders"` → `"order"`).
    public var stem: String
    /// The word's position in the sanitised message, in Unicode scalars.
    public var range: Range<Int>
    /// True when the token stands for an entity value (`"@order_number"`), not a word.
    public var isEntity: Bool

    public init(text: String, stem: String? = nil, range: Range<Int>, isEntity: Bool = false) {
        self.text = text
        self.stem = stem ?? text
        self.range = range
        self.isEntity = isEntity
    }
}
