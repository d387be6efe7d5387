/// Everything the support team wrote, as read from the knowledge folder: the engine's input.
public struct KnowledgeBase: Sendable {
    public var intents: [Intent]
    public var articles: [Article]
    public var entities: [EntityDefinition]
    public var synonyms: [SynonymEntry]
    public var tables: [DataTable]
    public var actions: [LookupAction]
    public var settings: Settings
    /// The word-vector table the intent classifier reads beside the examples' n-grams (nil: none).
    /// Not written by the team: the loader hands over the table that comes with Concierge.
    public var wordVectors: WordVectors?

    /// One line of `synonyms.yaml`: a canonical word and the phrases read as it.
    public struct SynonymEntry: Sendable, Hashable {
        public var canonical: String
        public var variants: [String]
        public var location: SourceLocation
        public init(canonical: String, variants: [String], location: SourceLocation = SourceLocation(file: "<memory>")) {
            self.canonical = canonical
            self.variants = variants
            self.location = location
        }
    }

    public init(
        intents: [Intent] = [], articles: [Article] = [], entities: [EntityDefinition] = [],
        synonyms: [SynonymEntry] = [], tables: [DataTable] = [], actions: [LookupAction] = [], settings: Settings = Settings(),
        wordVectors: WordVectors? = nil
    ) {
        self.wordVectors = wordVectors
        self.intents = intents
        self.articles = articles
        self.entities = entities
        self.synonyms = synonyms
        self.tables = tables
        self.actions = actions
        self.settings = settings
    }

    /// The intent named `name`.
    public func intent(named name: String) -> Intent? { intents.first { $0.name == name } }

    /// The article with `id`.
    public func article(id: String) -> Article? { articles.first { $0.id == id } }

    /// The lookup action named `name`.
    public func action(named name: String) -> LookupAction? { actions.first { $0.name == name } }

    /// The table named `name`.
    public func table(named name: String) -> DataTable? { tables.first { $0.name == name } }
}
