import ConciergeEngine
import ConciergeService
import ConciergeStore
import Foundation
import Testing

/// Issue 3: the customer never repeats themselves.
@Suite struct MemoryTests {
    @Test func informationGivenEarlyIsUsedWhenItBecomesRelevant() async throws {
        let chat = try await Conversation()
        let first = try await chat.say("hi, order A10234 hasn't arrived")
        #expect(first.slots["order_id"] == "A10234")
        let second = try await chat.say("where is my order?")
        #expect(second.intent?.name == "order_status")
        // The order number is known: the bot asks only for what is missing (the identity check).
        #expect(second.asked == "email")
        #expect(!second.reply.contains("order number"))
        let third = try await chat.say("maya.chen@example.com")
        #expect(third.action == .answer)
        #expect(third.reply.contains("delivered on November 3"))
        expectNoRepeatedQuestions([first, second, third])
    }

    @Test func asksOnlyForWhatIsMissingOneQuestionAtATime() async throws {
        let chat = try await Conversation()
        let turns = try await chat.say(["where is my order", "A10234", "maya.chen@example.com"])
        #expect(turns.map(\.asked) == ["order_id", "email", nil])
        #expect(turns.map(\.action) == [.ask, .ask, .answer])
        expectNoRepeatedQuestions(turns)
    }

    @Test func aCorrectionReplacesTheValueAndAnswersAgain() async throws {
        let chat = try await Conversation(customer: "C1001")
        let first = try await chat.say("where is order A10235?")
        #expect(first.slots["order_id"] == "A10235")
        let corrected = try await chat.say("sorry, it's A10234")
        #expect(corrected.slots["order_id"] == "A10234")
        #expect(corrected.reply.hasPrefix("Got it: A10234."))
        #expect(corrected.reply.contains("delivered on November 3"))
    }

    @Test func anInvalidValueIsAskedForAgainOnceWithAHint() async throws {
        let chat = try await Conversation()
        let turns = try await chat.say(["where is my order", "it's the blue one", "no idea sorry"])
        #expect(turns[1].action == .ask)
        #expect(turns[1].asked == "order_id")
        #expect(turns[1].reply.contains("letter A and five digits"))
        // Declining after the hint: no third time.
        #expect(turns[2].asked == nil)
        #expect(turns[2].action != .ask)
    }

    @Test func aTopicSwitchIsAnsweredAndTheHalfFilledRequestResumed() async throws {
        let chat = try await Conversation()
        let turns = try await chat.say(["where is my order", "how long does standard shipping take?", "A10234"])
        #expect(turns[1].intent?.name == "shipping_options")
        #expect(turns[1].reply.contains("3-5 business days"))
        #expect(turns[1].reply.contains("back to your earlier request (track an order): What's your order number?"))
        #expect(turns[1].asked == "order_id")
        // The answer to the resumed question continues the order request where it stopped.
        #expect(turns[2].intent?.name == "order_status")
        #expect(turns[2].asked == "email")
        expectNoRepeatedQuestions(turns)
    }

    @Test func theIdentityCheckRefusesSomeoneElsesOrder() async throws {
        let chat = try await Conversation()
        let turns = try await chat.say(["where is order A10234", "daniel.okafor@example.com"])
        #expect(turns[1].reply.contains("couldn't match order A10234 with that email address"))
        #expect(!turns[1].reply.contains("November 3"))
        #expect(!turns[1].reply.contains("1Z8A47W29464070231"))
        #expect(turns[1].slots["email"] == nil)
    }

    @Test func theOwnerNeedsNoCheckOnceIdentified() async throws {
        let chat = try await Conversation(customer: "C1001")
        let turn = try await chat.say("where is A10234?")
        #expect(turn.action == .answer)
        #expect(turn.reply.contains("delivered on November 3"))
    }

    @Test func aCardNumberIsMaskedEverywhere() async throws {
        let store = MemoryStore()
        let chat = try await Conversation(store: store)
        let turn = try await chat.say("I paid with 4111 1111 1111 1111 for order A10234 and want a human")
        #expect(!turn.customer.contains("4111"))
        #expect(turn.customer.contains("[card number removed]"))
        #expect(turn.reply.contains("removed the card number"))
        let stored = try await store.turns(conversationID: "T-1")
        #expect(stored.allSatisfy { !$0.customer.contains("4111 1111") })
        if let id = turn.handoff?.id, let handoff = try await store.handoff(id: id) {
            #expect(!handoff.transcript.contains { $0.customer.contains("4111") })
            #expect(!handoff.slots.values.contains { $0.contains("4111") })
        }
        let state = try await store.conversation(id: "T-1")?.state
        #expect(state?.recentMessages.allSatisfy { !$0.contains("4111") } ?? false)
    }

    @Test func followUpsAreReadAgainstTheTopic() async throws {
        let chat = try await Conversation()
        let turns = try await chat.say(["how much does shipping cost?", "and for express?", "is it free?"])
        #expect(turns[1].intent?.name.contains("shipping") ?? false, "“and for express?” is about shipping, not payment cards")
        #expect(turns[1].reply.contains("19.95"))
        #expect(turns[2].intent?.name == "free_shipping")
    }

    @Test func theOtherOneSwitchesToTheOtherOrder() async throws {
        let chat = try await Conversation(customer: "C1001")
        let turns = try await chat.say(["is A10234 delivered?", "what about A10247?", "and the other one?"])
        #expect(turns[2].slots["order_id"] == "A10234")
    }

    @Test func aReturningCustomerIsGreetedWithTheirContext() async throws {
        let store = MemoryStore()
        // First visit, authenticated by the channel (an email typed in the chat proves one order, and
        // never makes a profile: see IdentityTests).
        let first = try await Conversation(store: store, customer: "C1001", id: "T-first", at: Bundled.weekday)
        _ = try await first.say(["where is order A10234"])
        let profile = try await store.customer(id: "C1001")
        #expect(profile?.fields["email"]?.value == "maya.chen@example.com")
        #expect(profile?.fields["order:A10234"] != nil)
        // The next day, as a returning customer.
        let next = try await CustomerSession(
            engine: Bundled.engine, store: store, time: FrozenTime(Bundled.weekday.addingTimeInterval(86_400)), conversationID: "T-next",
            customerID: "C1001")
        let welcome = await next.welcome
        #expect(welcome == "Welcome back, Maya! Is this about order A10234 from yesterday?")
        let yes = try await next.send("yes")
        #expect(yes.slots["order_id"] == "A10234")
        #expect(yes.slots["email"] == "maya.chen@example.com")
        let status = try await next.send("what's the status of my order?")
        #expect(status.asked == nil)
        #expect(status.reply.contains("delivered on November 3"))
    }

    @Test func memoryExpiresAfterItsRetention() async throws {
        let settings = Bundled.engine.settings
        let old = Bundled.weekday.addingTimeInterval(-200 * 86_400)
        let profile = CustomerProfile(
            id: "C1", fields: ["order:A10234": .init(value: "A10234", learnedAt: old), "email": .init(value: "a@example.com", learnedAt: old)],
            updatedAt: old)
        let kept = CustomerMemory.applyingRetention(profile, settings: settings, now: Bundled.weekday)
        #expect(kept.fields["order:A10234"] == nil, "orders are kept 90 days")
        #expect(kept.fields["email"] != nil, "emails are kept a year")
    }

    @Test func theSweepDeletesOldConversationsOncePerPeriod() async throws {
        let store = MemoryStore()
        let year: TimeInterval = 365 * 86_400
        let old = try await Conversation(store: store, id: "old", at: Bundled.weekday.addingTimeInterval(-2 * year))
        _ = try await old.say("how long do refunds take?")
        let recent = try await Conversation(store: store, id: "recent", at: Bundled.weekday.addingTimeInterval(-86_400))
        _ = try await recent.say("do you ship to Canada?")
        var settings = Bundled.engine.settings

        let report = try await RetentionSweep.runIfDue(store, settings: settings, now: Bundled.weekday)
        #expect(report?.conversations == 1)
        #expect(try await store.conversation(id: "old") == nil, "two years old: past the year conversations are kept")
        #expect(try await store.conversation(id: "recent") != nil)

        let again = try await Conversation(store: store, id: "again", at: Bundled.weekday.addingTimeInterval(-2 * year))
        _ = try await again.say("hello")
        #expect(try await RetentionSweep.runIfDue(store, settings: settings, now: Bundled.weekday.addingTimeInterval(3_600)) == nil, "swept an hour ago")
        #expect(try await store.conversation(id: "again") != nil, "waits for the next sweep")
        #expect(try await RetentionSweep.runIfDue(store, settings: settings, now: Bundled.weekday.addingTimeInterval(25 * 3_600))?.conversations == 1)

        settings.sweepEveryHours = 0
        #expect(try await RetentionSweep.runIfDue(MemoryStore(), settings: settings, now: Bundled.weekday) == nil, "switched off")
    }

    @Test func aThousandTurnConversationStaysBounded() async throws {
        let chat = try await Conversation()
        let messages = ["where is my order", "A10234", "maya.chen@example.com", "how long does shipping take", "thanks"]
        var sizes: [Int] = []
        for i in 0..<1_000 {
            _ = try await chat.say(messages[i % messages.count] + (i % 7 == 0 ? " \(i)" : ""))
            if i % 100 == 99 { sizes.append(try JSONEncoder().encode(await chat.session.state).count) }
        }
        #expect(sizes.max()! < 16_000, "state sizes: \(sizes)")
        #expect(sizes.last! <= sizes[1] * 2, "the state does not grow with the conversation: \(sizes)")
    }
}
