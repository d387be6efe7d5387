/// A kind of thing Concierge picks out of a message, from `entities.yaml`.
public struct EntityDefinition: Sendable, Hashable {
    /// How a matched value is written into memory.
    public enum Normalization: String, Sendable, Hashable, CaseIterable {
        case none, upper, lower, digits
    }

    /// One value of a lookup list and the other ways customers say it.
    public struct Value: Sendable, Hashable {
        public var value: String
        public var synonyms: [String]
        public init(value: String, synonyms: [String] = []) {
            self.value = value
            self.synonyms = synonyms
        }
    }

    public var name: String
    /// Regular expressions (ICU syntax), matched case-insensitively against the message.
    public var patterns: [String]
    public var values: [Value]
    public var normalization: Normalization
    public var location: SourceLocation
    /// Where each pattern is written, parallel to `patterns`.
    public var patternLocations: [SourceLocation]

    public init(
        name: String, patterns: [String] = [], values: [Value] = [], normalization: Normalization = .none,
        location: SourceLocation = SourceLocation(file: "<memory>"), patternLocations: [SourceLocation]? = nil
    ) {
        self.name = name
        self.patterns = patterns
        self.values = values
        self.normalization = normalization
        self.location = location
        self.patternLocations = patternLocations ?? Array(repeating: location, count: patterns.count)
    }
}
