import ConciergeReport
import Testing

@Suite("Gap clusters")
struct GapClustererTests {
    @Test("similar questions share a cluster, in a stable order, largest first")
    func similarQuestionsCluster() {
        let messages = [
            "do you ship to mars", "can you ship to Mars?", "shipping to mars please", "do you sell gift wrap", "gift wrap available?",
            "do you ship to mars",
        ]
        let clusters = GapClusterer().clusters(of: messages)
        #expect(clusters.count == 3)
        #expect(clusters.first?.members == [0, 1, 5])
        #expect(GapClusterer().clusters(of: messages) == clusters, "the same every time")
        #expect(clusters.reduce(0) { $0 + $1.members.count } == messages.count)
    }
}
