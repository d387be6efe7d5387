/// A value found in a customer's message.
public struct EntityMatch: Sendable, Hashable, Codable {
    /// The entity's name, for example `order_number`.
    public var entity: String
    /// The value as it is remembered (normalised: `a10234` → `A10234`; a product's canonical name).
    public var value: String
    /// The words as the customer wrote them.
    public var text: String
    /// Where the words are in the sanitised message, in Unicode scalars.
    public var start: Int
    public var end: Int

    public init(entity: String, value: String, text: String, range: Range<Int>) {
        self.entity = entity
        self.value = value
        self.text = text
        self.start = range.lowerBound
        self.end = range.upperBound
    }

    public var range: Range<Int> { start..<end }
}
