import Foundation

/// Everything one turn's readers and stages share: the message as read, the reading the policy
/// acts on, the conversation as the turn changes it, and the turn being built. It replaces the
/// parameters the policy used to thread through every call.
///
/// ```swift
/// var context = engine.begin("and for express?", state: state, now: now)
/// context.understanding.best?.label   // "Shipping options", once FollowUpReader has read it
/// ```
struct TurnContext {
    /// The message as the customer sent it (before masking).
    let message: String
    /// The conversation's clock for this turn (injected, so replays are exact).
    let now: Date
    /// The conversation, as this turn changes it.
    var state: ConversationState
    /// The reply being built.
    var turn: Turn
    /// The masked message as analysed: tokens, stems, corrections and entities.
    let text: AnalyzedText
    /// The message's words, lowercased.
    let words: [String]
    /// The reading the policy acts on: the matcher's, or the better one a reader found.
    var understanding: Understanding
    /// What the bot had asked when the turn began (a stage may clear `state.pending`; the later
    /// stages still see what the customer was answering).
    let pending: ConversationState.Pending
    /// A slot whose value this message changed ("sorry, it's A10235"), if any.
    let corrected: (slot: String, value: String)?
    /// True when the message sounds upset (FrustrationDetector found signals in it).
    let upset: Bool
    /// True when the message only thanks, acknowledges or closes ("ok thanks, bye").
    let closing: Bool
    /// The message's parts, when it has several (greetings around a request, two questions).
    var segments: SegmentReading?
    /// True when the message ignored a clarifying question for something new: if it too goes
    /// unread, that is a fallback, not a low-confidence handoff.
    var readAfresh = false

    /// True when the masked message holds a question mark.
    var asksQuestion: Bool { turn.customer.contains("?") }

    /// Records an act a reader found.
    mutating func read(_ act: DialogueAct) { turn.explanation.acts.append(act) }

    /// Ends the turn's reasoning with the decision `/why` shows.
    mutating func decide(_ decision: String) { turn.explanation.decision = decision }
}

/// One stage of the dialogue policy. The stages run in the order `Engine.stages` lists; the first
/// that replies ends the turn, and a stage that does not apply leaves the context as it was.
protocol TurnStage: SendableMetatype {
    /// Replies and returns true, or returns false to let the next stage read the message.
    static func reply(_ context: inout TurnContext, engine: Engine) -> Bool
}
