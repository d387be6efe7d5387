import Foundation
import Testing

@testable import ConciergeEngine

/// A small knowledge base for engine tests: a few intents of an online shop, with articles,
/// entities and synonyms, built in code so each test reads on its own.
enum Fixtures {
    static let intents: [Intent] = [
        Intent(
            name: "order_status", label: "Track an order",
            examples: [
                "where is my order", "wheres my package", "has my order shipped", "track my order", "tracking number please",
                "when will my parcel arrive", "my order hasnt arrived", "status of my order", "is my order on its way",
                "where is order A10234", "I want to know where my delivery is", "order still not here",
            ],
            patterns: ["where is my (order|parcel)", "track * {order_number}"], answer: "track-your-order", queue: "orders"),
        Intent(
            name: "return_policy", label: "Our return policy",
            examples: [
                "what is your return policy", "can i return this", "how many days do i have to return", "return window",
                "is it possible to send something back", "do you accept returns", "can I return a used item",
                "how do returns work", "returns policy please", "can i send it back if i dont like it",
                "i changed my mind can i return it", "how long is the return period",
            ],
            answer: "return-policy", queue: "returns"),
        Intent(
            name: "refund_status", label: "Check a refund",
            examples: [
                "where is my refund", "i havent got my money back", "refund not received", "when will i get my refund",
                "status of my refund", "my refund is late", "did you send my refund", "how long does a refund take",
                "still waiting on my reimbursement", "has my refund been processed", "refund hasnt shown on my card",
                "check my refund please",
            ],
            answer: "refund-timelines", queue: "billing"),
        Intent(
            name: "shipping_cost", label: "Shipping costs",
            examples: [
                "how much is shipping", "shipping cost", "is delivery free", "do you charge for delivery",
                "what does express shipping cost", "free shipping threshold", "how much to ship a sofa", "delivery fee",
                "is shipping free over 75", "price of standard delivery", "how much do you charge to deliver",
                "shipping charges",
            ],
            response: "Standard shipping is $6.95, free on orders over $75. Express is $19.95.", queue: "shipping"),
        Intent(
            name: "greeting", label: "Greeting", kind: .smalltalk,
            examples: [
                "hi", "hello", "hey there", "good morning", "good afternoon", "hiya", "hello there", "hey", "howdy",
                "greetings", "good evening", "hi there",
            ],
            response: "Hi! How can I help?"),
        Intent(
            name: "thanks", label: "Thanks", kind: .smalltalk,
            examples: [
                "thanks", "thank you", "thanks a lot", "cheers", "thank you so much", "many thanks", "thx", "ty",
                "great thanks", "appreciate it", "thanks for your help", "perfect thank you",
            ],
            response: "You're welcome!"),
        Intent(
            name: "off_topic", label: "Something else", kind: .outOfScope,
            examples: [
                "what's the weather like", "tell me a joke", "who won the game", "what is the meaning of life",
                "can you do my homework", "sing me a song", "whats the capital of france", "will it rain tomorrow",
                "recommend a movie", "what time is it in tokyo", "who is the president", "how tall is everest",
            ],
            response: "I can only help with orders, deliveries, returns and the like, I'm afraid."),
        Intent(
            name: "human_request", label: "Talk to a person", kind: .handoff,
            examples: [
                "agent", "human", "talk to a person", "real person please", "representative", "operator",
                "can i speak to someone", "get me a human", "customer service rep", "live agent", "i want a human",
                "transfer me to an agent",
            ],
            patterns: ["(agent|human|representative|operator)", "(talk|speak) to (someone|a person)"],
            response: "Of course, I'll pass you to a person.", handoffReason: .customerRequest, queue: "general"),
    ]

    static let articles: [Article] = [
        Article(
            id: "track-your-order", title: "How do I track my order?",
            questions: ["where is my package", "how can I see my delivery status"], tags: ["orders"],
            summary: "Every order gets a tracking link by email as soon as it ships.",
            body: "Open the shipping confirmation email and follow the tracking link. Tracking updates within 24 hours."),
        Article(
            id: "return-policy", title: "Our return policy", questions: ["can I send something back"], tags: ["returns"],
            summary: "You can return most items within 30 days of delivery.",
            body: "Items must be unused and in their original packaging. Mattresses have a 100-night trial."),
        Article(
            id: "refund-timelines", title: "When will I get my refund?", questions: ["how long do refunds take"],
            tags: ["refunds"], summary: "Refunds reach your original payment method 5-10 business days after we receive the return.",
            body: "Once the warehouse checks your return, the refund is issued the same day."),
        Article(
            id: "cast-iron-care", title: "Caring for cast iron cookware",
            questions: ["how do I season a skillet", "can cast iron go in the dishwasher"], tags: ["care"],
            summary: "Wash cast iron by hand, dry it at once and rub in a little oil.",
            body: "Never soak cast iron or put it in the dishwasher. Re-season with a thin coat of oil in a hot oven."),
    ]

    static let entities: [EntityDefinition] = [
        EntityDefinition(name: "order_number", patterns: [#"\bA\d{5}\b"#], normalization: .upper),
        EntityDefinition(name: "email", patterns: [#"[A-Z0-9._%+-]+@[A-Z0-9.-]+\.[A-Z]{2,}"#], normalization: .lower),
        EntityDefinition(
            name: "product",
            values: [.init(value: "Linen Duvet Cover", synonyms: ["linen duvet", "duvet cover"]), .init(value: "Oak Table")]),
    ]

    static let synonyms: [KnowledgeBase.SynonymEntry] = [
        .init(canonical: "parcel", variants: ["package", "shipment"]),
        .init(canonical: "refund", variants: ["money back", "reimbursement"]),
    ]

    static func knowledge(settings: Settings = Settings()) -> KnowledgeBase {
        KnowledgeBase(intents: intents, articles: articles, entities: entities, synonyms: synonyms, settings: settings)
    }

    /// The conversations' clock: Wednesday 18 November 2026, 15:00 UTC (the team is open).
    static let now = Date(timeIntervalSince1970: 1_795_014_000)

    /// The engine on the fixture knowledge (built once; the engine is immutable).
    static let engine = Engine(knowledge: knowledge())
}

/// Sends `message` as the first turn of a new conversation and checks the reply.
@discardableResult
func assertReply(
    _ message: String, engine: Engine = Fixtures.engine, action: Action, intent: String? = nil, article: String? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) -> Turn {
    var state = ConversationState(id: "test")
    let turn = engine.respond(to: message, in: &state, now: Fixtures.now)
    #expect(turn.action == action, "action for “\(message)”: \(turn.explanation.decision)", sourceLocation: sourceLocation)
    if let intent {
        #expect(turn.intent?.name == intent, "intent for “\(message)”", sourceLocation: sourceLocation)
    }
    if let article {
        #expect(turn.articles.first?.id == article, "article for “\(message)”", sourceLocation: sourceLocation)
    }
    #expect(!turn.reply.isEmpty, "a reply for “\(message)”", sourceLocation: sourceLocation)
    return turn
}
