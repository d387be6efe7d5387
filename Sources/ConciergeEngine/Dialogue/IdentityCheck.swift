import Foundation

/// The identity check before a lookup shares a row (an order's status, its address, its refund).
///
/// The trust model:
/// - A customer the channel authenticated (`chat --customer ID`: the channel asserts it checked who
///   they are) sees their own rows without a further check.
/// - Anyone else proves a row is theirs with the verifying value on it (the email on the order).
///   Typing an email never makes a conversation authenticated: it proves one order, nothing more.
/// - The reply never tells a guesser which keys exist: an unknown order number and a wrong email get
///   the same answer, asked in the same order (the email is asked for before anything is looked up).
/// - Wrong guesses are limited: with one attempt left the bot offers a person; at
///   `Settings.identityCheckLimit` failed checks in a conversation, or for one key across
///   conversations within the window (the service's ledger in the store), a person takes over and
///   nothing more is checked in that conversation.
extension Engine {
    /// Runs the check for `key` (its `row`, nil when no row has it); true when the row may be shared.
    /// When false, the turn holds the reply: a question for the verifying value, a refusal, or a handoff.
    func checkIdentity(
        _ action: LookupAction, key: String, row: [String: String]?, intent index: Int, in context: inout TurnContext) -> Bool {
        guard let verifySlot = action.verifySlot, let verifyColumn = action.verifyColumn else { return row != nil }
        let intent = knowledge.intents[index]
        if let row {
            if context.state.verified.contains(key) { return true }
            let owner = action.customerColumn.flatMap { row[$0] } ?? ""
            if !owner.isEmpty && owner == context.state.customerID { return true }
        }
        var ledger = context.state.identity ?? .init()
        if ledger.failures >= settings.identityCheckLimit || ledger.lockedKeys.contains(key) {
            lockOut(action, key: key, intent: index, in: &context)
            return false
        }
        guard let given = context.state.slots[verifySlot] else {
            context.turn.action = .ask
            context.turn.asked = verifySlot
            context.turn.reply = fill(action.verifyPrompt ?? "To keep your details private, what's the \(verifySlot) on it?", state: context.state)
            context.state.pending = .slot(intent: intent.name, slot: verifySlot, attempts: 0)
            context.turn.explanation.decision = "Checking identity before sharing anything about \(key): asking for \(verifySlot)."
            return false
        }
        if let row, given.lowercased() == (row[verifyColumn] ?? "").lowercased() {
            context.state.verified.append(key)
            return true
        }
        // Typed in this message, or known from before (an authenticated customer's own email): the
        // reply says which, and never whether the key exists.
        let typedNow = context.understanding.text.entities.contains { $0.value == given }
        context.state.slots[verifySlot] = nil
        context.turn.explanation.rejected = verifySlot
        context.turn.explanation.decision = "The \(verifySlot) \(typedNow ? "given" : "known") does not match \(key) (or there is no \(key)): not disclosing anything."
        if typedNow {
            ledger.failures += 1
            context.turn.identityFailure = key
        }
        context.state.identity = ledger
        if ledger.failures >= settings.identityCheckLimit {
            lockOut(action, key: key, intent: index, in: &context)
            return false
        }
        if typedNow && ledger.failures == settings.identityCheckLimit - 1 {
            // One guess left: offer a person (the right value still works).
            context.state.pending = .handoffOffer(reason: .actionFailed)
            context.turn.action = .fallback
            context.turn.explanation.decision += " One attempt left: offering a person."
            context.turn.reply = fill(action.verifyFailed, state: context.state, extra: [action.keySlot: key]) + " " + settings.fill(settings.texts.offerHuman)
            return false
        }
        context.turn.action = .ask
        context.turn.asked = verifySlot
        context.state.pending = .slot(intent: intent.name, slot: verifySlot, attempts: 0)
        let refusal =
            typedNow
            ? fill(action.verifyFailed, state: context.state, extra: [action.keySlot: key])
            : fill(settings.texts.notYours, state: context.state, extra: ["key": key])
        context.turn.reply = refusal + " " + fill(action.verifyPrompt ?? "What's the \(verifySlot) on it?", state: context.state)
        return false
    }

    /// Too many failed checks: a person takes over, and the customer is told why.
    private func lockOut(
        _ action: LookupAction, key: String, intent index: Int, in context: inout TurnContext) {
        let reason = context.turn.explanation.decision
        handOff(.policy, intent: index, in: &context)
        context.turn.reply = settings.fill(settings.texts.identityLocked)
        context.turn.explanation.decision =
            (reason.isEmpty ? "" : reason + " ")
            + "\(settings.identityCheckLimit) failed identity checks (in this conversation, or for \(key) recently): passing to a person."
    }
}
