import Foundation

/// Concierge's understanding and dialogue engine: built once from a knowledge base, then asked for
/// a reply to each customer message. Pure and deterministic: the same knowledge, conversation state
/// and message always give the same turn, and it does no I/O.
///
/// ```swift
/// let engine = Engine(knowledge: knowledge)
/// var conversation = ConversationState(id: "c1")
/// let turn = engine.respond(to: "where's my order A10234?", in: &conversation)
/// print(turn.reply)   // "Order A10234 ..."
/// ```
public struct Engine: Sendable {
    public let knowledge: KnowledgeBase
    public let analyzer: TextAnalyzer
    public var matcher: IntentMatcher
    public let retriever: ArticleRetriever
    public var settings: Settings { knowledge.settings }
    /// Intent name → index.
    let intentIndex: [String: Int]
    /// Article id → index.
    let articleIndex: [String: Int]
    /// Entity → the slot names it fills.
    let slotsByEntity: [String: [String]]
    /// The stems of the words that name the things the list entities hold ("rug" from the product
    /// "Jute Area Rug", "denver" from a store), stop words left out: what a fragment like "what
    /// about rugs?" names without asking anything of its own.
    let thingStems: Set<String>

    /// The classifier's configuration, after the knowledge's settings (what compiled knowledge records).
    let classifierConfiguration: IntentClassifier.Configuration

    /// Compiles the knowledge: builds the vocabulary, trains the classifier, indexes the articles.
    public init(knowledge: KnowledgeBase, classifier: IntentClassifier.Configuration = .init()) {
        let configuration = Self.effectiveConfiguration(classifier, for: knowledge)
        // The articles are read once: indexing them also counts the words the speller learns.
        var analyzer = Self.analyzer(for: knowledge, speller: SpellingCorrector())
        var words = Self.vocabulary(of: knowledge)
        let retriever = ArticleRetriever(articles: knowledge.articles, analyzer: analyzer, countingWords: &words)
        analyzer.speller = SpellingCorrector(frequencies: words)
        let matcher = IntentMatcher(
            intents: knowledge.intents, analyzer: analyzer, configuration: configuration, wordVectors: knowledge.wordVectors)
        self.init(knowledge: knowledge, analyzer: analyzer, matcher: matcher, retriever: retriever, classifier: configuration)
    }

    /// An engine from its built (or compiled) parts.
    init(
        knowledge: KnowledgeBase, analyzer: TextAnalyzer, matcher: IntentMatcher, retriever: ArticleRetriever,
        classifier: IntentClassifier.Configuration
    ) {
        self.knowledge = knowledge
        self.analyzer = analyzer
        self.matcher = matcher
        self.retriever = retriever
        self.classifierConfiguration = classifier
        var intentIndex: [String: Int] = [:]
        for (i, intent) in knowledge.intents.enumerated() where intentIndex[intent.name] == nil { intentIndex[intent.name] = i }
        var articleIndex: [String: Int] = [:]
        for (i, article) in knowledge.articles.enumerated() where articleIndex[article.id] == nil { articleIndex[article.id] = i }
        self.intentIndex = intentIndex
        self.articleIndex = articleIndex
        var slotsByEntity: [String: [String]] = [:]
        for intent in knowledge.intents {
            for slot in intent.slots where !(slotsByEntity[slot.entity]?.contains(slot.name) ?? false) {
                slotsByEntity[slot.entity, default: []].append(slot.name)
            }
        }
        for action in knowledge.actions {
            if let slot = action.verifySlot, slotsByEntity[slot] == nil { slotsByEntity[slot] = [slot] }
        }
        self.slotsByEntity = slotsByEntity
        var thingStems: Set<String> = []
        for definition in knowledge.entities where !analyzer.placeholderEntities.contains(definition.name) {
            for value in definition.values {
                for name in [value.value] + value.synonyms {
                    thingStems.formUnion(analyzer.analyzeAuthored(name).map(\.stem).filter { !Stopwords.english.contains($0) })
                }
            }
        }
        self.thingStems = thingStems
    }

    /// The classifier's configuration with the knowledge's word-vector weight applied.
    static func effectiveConfiguration(_ classifier: IntentClassifier.Configuration, for knowledge: KnowledgeBase) -> IntentClassifier.Configuration {
        var classifier = classifier
        if let weight = knowledge.settings.wordVectorWeight { classifier.features.vectorWeight = Float(weight) }
        return classifier
    }

    /// The text stages for the knowledge: its normaliser, synonyms and entities, with `speller`.
    static func analyzer(for knowledge: KnowledgeBase, speller: SpellingCorrector) -> TextAnalyzer {
        let normalizer = TextNormalizer(maximumScalars: knowledge.settings.maximumMessageLength)
        let synonyms = SynonymTable(knowledge.synonyms.map { ($0.canonical, $0.variants) }, normalizer: normalizer)
        let entities = EntityExtractor(definitions: knowledge.entities, normalizer: normalizer)
        return TextAnalyzer(normalizer: normalizer, synonyms: synonyms, speller: speller, entities: entities)
    }

    /// The vocabulary the speller corrects towards, but for the articles' words (which indexing
    /// counts): every word the intents, synonyms and entities use, with its count.
    static func vocabulary(of knowledge: KnowledgeBase) -> [String: Int] {
        let normalizer = TextNormalizer(maximumScalars: knowledge.settings.maximumMessageLength)
        let unbounded = TextNormalizer(maximumScalars: .max / 2)
        var frequency: [String: Int] = [:]
        func add(_ text: String) {
            for token in normalizer.tokenize(unbounded.sanitize(text)) { frequency[token.text, default: 0] += 1 }
        }
        for intent in knowledge.intents {
            intent.examples.forEach(add)
            intent.patterns.forEach(add)
            add(intent.label)
        }
        for entry in knowledge.synonyms {
            add(entry.canonical)
            entry.variants.forEach(add)
        }
        for definition in knowledge.entities {
            for value in definition.values {
                add(value.value)
                value.synonyms.forEach(add)
            }
        }
        return frequency
    }

    /// Understands one message on its own: analysis, intent candidates, article candidates.
    public func understand(_ message: String) -> Understanding {
        understand(analyzed: analyzer.analyze(message))
    }

    /// Understands a message with words of the conversation added to it, by the classifier and
    /// retrieval alone: no authored pattern may match the added words.
    func understand(withContext message: String) -> Understanding {
        understand(analyzed: analyzer.analyze(message), patterns: false)
    }

    /// Understands a message already analysed (the parts of a longer message are analysed once).
    public func understand(analyzed text: AnalyzedText) -> Understanding {
        understand(analyzed: text, patterns: true)
    }

    func understand(analyzed text: AnalyzedText, patterns: Bool) -> Understanding {
        let intents = matchIntents(text, patterns: patterns)
        let articles = retriever.search(text)
        // Combine the two sources as a noisy-OR: retrieval supports a candidate only as far as the
        // classifier leaves room, i.e. discounted by the confidence of the best *other* intent. So a
        // confident intent is not second-guessed by a word-overlap article, while an unsure classifier
        // lets a well-matching article through. Out-of-scope intents leave room: they are a catch-all
        // for what the knowledge does not cover, and a matching article shows it does.
        var candidates: [Understanding.Candidate] = []
        var retrieved: [Int: Double] = [:]
        for hit in articles { retrieved[hit.article] = hit.confidence }
        let answering = intents.candidates.filter { knowledge.intents[$0.intent].kind != .outOfScope }
        func bestOther(than intent: Int?) -> Double {
            var best = 0.0
            for candidate in answering where candidate.intent != intent { best = max(best, candidate.confidence) }
            return best
        }
        for candidate in intents.candidates {
            let intent = knowledge.intents[candidate.intent]
            let article = intent.answer.flatMap { articleIndex[$0] }
            let support = (article.flatMap { retrieved[$0] } ?? 0) * (1 - bestOther(than: candidate.intent))
            candidates.append(
                Understanding.Candidate(
                    key: "intent:" + intent.name, label: intent.label, confidence: 1 - (1 - candidate.confidence) * (1 - support),
                    intent: candidate.intent, article: article))
        }
        let covered = Set(candidates.compactMap(\.article))
        let room = 1 - bestOther(than: nil)
        for hit in articles where !covered.contains(hit.article) {
            let article = knowledge.articles[hit.article]
            candidates.append(
                Understanding.Candidate(
                    key: "article:" + article.id, label: article.title, confidence: hit.confidence * room, article: hit.article))
        }
        candidates.sort { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.key < $1.key }
        let outOfScope = (candidates.first?.confidence ?? 0) < settings.fallbackThreshold
        return Understanding(text: text, intents: intents, articles: articles, candidates: candidates, isOutOfScope: outOfScope)
    }
}
