import ConciergeEngine
import ConciergeSQLite
import ConciergeService
import ConciergeStore
import Foundation
import Testing

/// The trust model: `--customer` is the channel's assertion; anyone else proves each order with its
/// email, learns nothing from a wrong guess, and gets a limited number of guesses, counted in the
/// store so a new conversation or process does not reset them.
@Suite struct IdentityTests {
    /// Maya Chen's order A10234 (maya.chen@example.com, phone (503) 555-0147 in her profile).
    static let order = "A10234"

    @Test func anUnknownOrderAndAWrongEmailGetTheSameReplies() async throws {
        let unknown = try await Conversation().say(["where is my order A99999", "someone@example.com"])
        let wrong = try await Conversation().say(["where is my order A10234", "someone@example.com"])
        for (a, b) in zip(unknown, wrong) {
            #expect(a.reply.replacingOccurrences(of: "A99999", with: "A10234") == b.reply)
            #expect(a.action == b.action)
            #expect(a.asked == b.asked)
        }
        #expect(wrong[0].asked == "email", "the email is asked for before anything is looked up")
        #expect(!wrong[1].reply.contains("delivered"))
    }

    @Test func threeWrongEmailsInAConversationBringAPersonAndTheRightOneThenShowsNothing() async throws {
        let chat = try await Conversation()
        let turns = try await chat.say([
            "where is my order A10234", "a@example.com", "b@example.com", "c@example.com", "maya.chen@example.com",
        ])
        #expect(turns[1].action == .ask)
        #expect(turns[2].action == .fallback, "one attempt left: a person is offered")
        #expect(turns[2].reply.contains("pass you to a person"))
        #expect(turns[3].action == .handoff)
        #expect(turns[3].handoff?.reason == .policy)
        #expect(turns[3].reply.contains("For your security"))
        #expect(!turns[4].reply.contains("November 3"), "nothing disclosed after the lock, even with the right email")
    }

    @Test func theLimitHoldsAcrossConversationsAndANewProcess() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("identity-\(UUID().uuidString)/store.sqlite").path
        // Three conversations, each guessing once (and each in its own "process": a new store).
        for n in 1...3 {
            let chat = try await Conversation(store: try SQLiteStore(path: path), id: "G-\(n)")
            let turns = try await chat.say(["where is my order A10234", "guess\(n)@example.com"])
            #expect(turns[1].action == .ask)
        }
        let owner = try await Conversation(store: try SQLiteStore(path: path), id: "G-4")
        let turns = try await owner.say(["where is my order A10234", "maya.chen@example.com"])
        #expect(turns.contains { $0.action == .handoff && $0.handoff?.reason == .policy })
        #expect(!turns.contains { $0.reply.contains("November 3") })
        // Another order is not affected, and the window passes.
        let other = try await Conversation(store: try SQLiteStore(path: path), id: "G-5")
        let fine = try await other.say(["where is my order A10217", "maya.chen@example.com"])
        #expect(fine[1].action == .answer)
        let later = try await Conversation(store: try SQLiteStore(path: path), id: "G-6", at: Bundled.weekday.addingTimeInterval(2 * 3600))
        let answered = try await later.say(["where is my order A10234", "maya.chen@example.com"])
        #expect(answered[1].reply.contains("delivered on November 3"))
    }

    @Test func anEmailProvesOneOrderButNeverIdentifiesTheCustomerOrTouchesTheirProfile() async throws {
        let store = MemoryStore()
        try await store.save(
            customer: CustomerProfile(
                id: "C1001", name: "Maya Chen",
                fields: ["phone": .init(value: "(503) 555-0199", learnedAt: Bundled.weekday)], updatedAt: Bundled.weekday))
        let chat = try await Conversation(store: store)
        let turns = try await chat.say(["where is my order A10234", "maya.chen@example.com", "my new number is 503-555-0000"])
        #expect(turns[1].reply.contains("delivered on November 3"), "the email proves the order")
        #expect(turns.allSatisfy { $0.slots["phone"] != "(503) 555-0199" }, "the stored phone is never shown to this conversation")
        #expect(await chat.session.state.customerID == nil)
        let profile = try await store.customer(id: "C1001")
        #expect(profile?.fields["phone"]?.value == "(503) 555-0199", "an unauthenticated conversation never overwrites the profile")
    }

    @Test func theChannelsAuthenticatedCustomerSeesTheirOwnOrderWithoutACheck() async throws {
        let chat = try await Conversation(customer: "C1001")
        let turn = try await chat.say("where is A10234?")
        #expect(turn.action == .answer)
        #expect(turn.reply.contains("delivered on November 3"))
    }
}
