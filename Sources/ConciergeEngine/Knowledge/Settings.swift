import Foundation

/// How the bot behaves: thresholds, canned texts, limits. Every field has a sensible default; the
/// knowledge folder's `settings.yaml` (or `--config FILE`) overrides any of them, and documents each.
public struct Settings: Sendable, Hashable {
    /// Who the bot is.
    public var assistantName = "Concierge"
    public var companyName = "Larkspur Home"

    /// Confidence at or above which the bot answers without asking.
    public var answerThreshold = 0.55
    /// Confidence below which nothing is good enough: the bot says it is not sure.
    public var fallbackThreshold = 0.30
    /// When the runner-up is within this much of the best candidate, the bot asks which one was meant.
    public var clarifyMargin = 0.12
    /// The most choices a clarifying question offers.
    public var maximumChoices = 3
    /// Messages longer than this (in characters) are cut where they enter (the customer is told).
    public var maximumMessageLength = 4_000
    /// The weight of the word-vector features beside the examples' n-grams (0: the classifier reads
    /// only the words the examples use); nil keeps the classifier's default
    /// (`FeatureExtractor.defaultVectorWeight`).
    public var wordVectorWeight: Double?

    /// Canned texts. `{assistant}` and `{company}` are filled in.
    public var texts = Texts()

    /// When and how conversations go to people.
    public var handoff = HandoffSettings()

    /// When the customer is asked how we did, and in which words (see `SatisfactionSettings`).
    public var satisfaction = SatisfactionSettings()

    /// Teams that take handoffs, by name (the intents' `queue`).
    public var queues: [String: QueueSettings] = [
        "general": QueueSettings(label: "Customer care"), "orders": QueueSettings(label: "Orders"),
        "shipping": QueueSettings(label: "Shipping"), "returns": QueueSettings(label: "Returns"),
        "billing": QueueSettings(label: "Billing"), "accounts": QueueSettings(label: "Accounts"),
        "product": QueueSettings(label: "Product care"), "stores": QueueSettings(label: "Stores"),
        "privacy": QueueSettings(label: "Privacy"),
    ]

    /// Failed identity checks (a value that does not match the order it is checked against) allowed
    /// per conversation, and per order across all conversations within `identityCheckWindowMinutes`,
    /// before the bot stops checking and passes the customer to a person.
    public var identityCheckLimit = 3
    /// The window in which failed checks of one order count together.
    public var identityCheckWindowMinutes = 60

    /// How long each kind of customer memory is kept, in days.
    /// `conversation` covers what `concierge purge` deletes: conversations and their turns, closed
    /// handoffs with their messages, and failed identity checks.
    public var retentionDays: [String: Int] = [
        "email": 365, "phone": 365, "name": 365, "order": 90, "topic": 30, "request": 30, "conversation": 365,
    ]

    /// How often `chat` and `agent` sweep the store of what is past its retention (as
    /// `concierge purge` does), in hours; 0 leaves it to `concierge purge`. Of processes sharing a
    /// store, one sweeps in each period (the store records when it last ran).
    public var sweepEveryHours = 24

    public struct Texts: Sendable, Hashable {
        public var welcome = "Hi, I'm {assistant}, {company}'s assistant. Ask me about orders, delivery, returns, payments or your account. Type /help for commands."
        public var fallback = "I'm not sure I understood that. Could you say it another way? If you'd rather talk to a person, just say \"agent\"."
        public var clarify = "Just to be sure I help with the right thing, did you mean:"
        public var clarifyFooter = "Reply with a number, or tell me a little more."
        /// A clarifying question with a single candidate, answered yes or no; `{choice}` is its label.
        public var clarifyOne = "Just to be sure I help with the right thing: do you mean “{choice}”?"
        /// Before a slot question asked again of a customer who is upset (instead of `slotInvalid`).
        public var apology = "I'm sorry this is taking a while; I'll be quick."
        /// When the value the bot already had (a returning customer's email) does not match the row
        /// asked about; `{key}` is the order number.
        public var notYours = "I can't share the details of {key}: it isn't linked to the email address I have for you."
        public var empty = "I didn't catch anything there. What can I help you with?"
        public var noWords = "I can only read words, I'm afraid. What can I help you with?"
        public var offerHuman = "Would you like me to pass you to a person on our team?"
        public var slotInvalid = "That doesn't look right."
        public var goodbye = "Thanks for chatting with {company}. Take care!"
        public var handoffQueued = "You're number {position} in line; about {wait}."
        public var handoffClosed = "Our team is offline right now. Your reference number is {id}, and we will reply by email by {promise}. Everything you've told me is saved with it."
        public var handoffWaiting = "I've passed that on. You're number {position} in line."
        public var masked = "For your security I've removed the {what} from this chat; please don't share it here. Our team will never ask for it."
        public var notHelpful = "Sorry that didn't help. Maybe this is closer:"
        public var resume = "Now, back to your earlier request ({label}):"
        public var corrected = "Got it: {value}."
        public var declined = "No problem."
        public var welcomeBack = "Welcome back, {name}!"
        public var welcomeBackOrder = "Welcome back, {name}! Is this about order {order} from {when}?"
        /// After a declined offer or value
        public var anythingElse = "What else can I help you with?"
        /// After a returning customer says it is not about that order
        public var whatToday = "What can I help you with today?"
        /// After a returning customer confirms the order
        public var confirmed = "Great. What would you like to know about it?"
        /// Values given before any request
        public var noted = "Thanks, I've noted {values}. What can I help you with?"
        /// Values given while a clarifying question is open, or other values while one is asked
        /// ("btw my email is …" while the order number is asked); the question follows.
        public var notedBeforeChoice = "Thanks, I've noted {values}."
        /// A value still not valid after a hint (then offer_human)
        public var unreadable = "I still couldn't read that."
        /// Nothing else to offer (then offer_human)
        public var notHelpfulNoAlternative = "Sorry that didn't help."
        /// Handing off, by reason (an intent's own response wins)
        public var handoffCustomerRequest = "Of course. I'm passing you to a person on our team."
        public var handoffPolicy = "This is something a person on our team should handle, so I'm passing you to them."
        public var handoffFrustration = "I'm sorry this has been frustrating. I'm bringing in a person from our team right now."
        public var handoffLowConfidence = "I'm not sure I can answer that well, so I'm passing you to a person on our team."
        public var handoffRepeatedFailure = "I'm sorry I couldn't sort this out. I'm passing you to a person on our team."
        public var handoffActionFailed = "I couldn't look that up, so I'm passing you to a person on our team who can."
        /// The handoff is not stored yet
        public var handoffSaving = "I can't reach our team's queue this very moment. I'll keep trying and tell you as soon as you're in line. Nothing you've said is lost."
        /// A message while it is still not stored
        public var handoffStillSaving = "I'm still reaching our team's queue, and I'll tell you as soon as you're in line. I've noted your message for them."
        /// A message to the agent not stored yet
        public var relayHeld = "I've noted that for our team; it will reach them as soon as our system catches up."
        /// A message to a queued out-of-hours request
        public var relayOutOfHours = "I've added that to request {id}. We'll reply by email by {promise}."
        /// A message to the agent, when its state can't be read
        public var relayed = "Your message is with our team."
        /// The agent handed the customer back
        public var handedBack = "You're back with {assistant}. Anything else I can help with?"
        /// The agent resolved it
        public var handoffEnded = "The conversation with our team has ended. {assistant} is here if you need anything else."
        /// Too many failed identity checks: a person takes over
        public var identityLocked = "For your security I can't check any more details here. I'm passing you to a person on our team, who can confirm who you are another way."
        /// Before the reply to a message longer than `max_message_length` ({limit}: that length)
        public var messageCut = "(Your message was very long, so I read only its first {limit} characters.)"
        public init() {}
    }

    /// Handoff triggers and the team's hours.
    public struct HandoffSettings: Sendable, Hashable {
        /// The queue of a handoff that no intent or topic names a team for.
        public var defaultQueue = "general"
        /// The reasons that hand a conversation to a person; remove one to turn that trigger off.
        public var triggers: Set<HandoffReason> = Set(HandoffReason.allCases)
        /// The frustration score (0...1) at which the bot hands off.
        public var frustrationThreshold = 0.6
        /// Fallbacks in a row that count as repeated failure.
        public var fallbacksBeforeHandoff = 2
        /// "That didn't help" this many times counts as repeated failure.
        public var notHelpfulBeforeHandoff = 2
        /// How long an agent's claim lasts without activity before the handoff returns to the queue.
        public var leaseMinutes = 5.0
        /// The average time an agent spends per customer, for wait estimates.
        public var minutesPerCustomer = 3.0
        /// The team's time zone (an IANA name).
        public var timeZone = "America/Chicago"
        /// Opening hours per weekday (1 = Sunday ... 7 = Saturday), in minutes after midnight; absent: closed.
        public var hours: [Int: Range<Int>] = [
            2: 480..<1200, 3: 480..<1200, 4: 480..<1200, 5: 480..<1200, 6: 480..<1200, 7: 540..<1020,
        ]
        /// Out of hours, the customer is promised a reply this many hours after the team opens.
        public var replyWithinHours = 2
        public init() {}
    }

    /// One team's service-level target.
    public struct QueueSettings: Sendable, Hashable {
        public var label: String
        /// Time to first response the team promises.
        public var firstResponseMinutes: Double
        public init(label: String, firstResponseMinutes: Double = 10) {
            self.label = label
            self.firstResponseMinutes = firstResponseMinutes
        }
    }

    public init() {}

    /// `text` with `{assistant}` and `{company}` filled in.
    public func fill(_ text: String) -> String {
        text.replacingOccurrences(of: "{assistant}", with: assistantName)
            .replacingOccurrences(of: "{company}", with: companyName)
    }
}
