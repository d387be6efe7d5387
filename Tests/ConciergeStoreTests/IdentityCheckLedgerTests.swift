import ConciergeEngine
import ConciergeStore
import Foundation
import Testing

extension SupportStoreBehaviour {
    @Test("a key is locked once it has the limit of failed identity checks in the window, from any conversation", arguments: StoreFactory.all)
    func identityCheckLedger(_ factory: StoreFactory) async throws {
        let store = try await factory.make(scratch)
        #expect(try await store.lockedIdentityKeys(since: Fixture.at(0), limit: 3).isEmpty)
        try await store.recordFailedIdentityCheck(key: "A10234", conversationID: "c-1", at: Fixture.at(10))
        try await store.recordFailedIdentityCheck(key: "A10234", conversationID: "c-2", at: Fixture.at(20))
        try await store.recordFailedIdentityCheck(key: "A10235", conversationID: "c-2", at: Fixture.at(25))
        #expect(try await store.lockedIdentityKeys(since: Fixture.at(0), limit: 3).isEmpty)
        try await store.recordFailedIdentityCheck(key: "A10234", conversationID: "c-3", at: Fixture.at(30))
        #expect(try await store.lockedIdentityKeys(since: Fixture.at(0), limit: 3) == ["A10234"])
        #expect(try await store.lockedIdentityKeys(since: Fixture.at(0), limit: 1) == ["A10234", "A10235"])
        // Checks before the window do not count.
        #expect(try await store.lockedIdentityKeys(since: Fixture.at(15), limit: 3).isEmpty)
    }
}
