public import ConciergeEngine
import Foundation

/// What a suite of transcripts exercises of a knowledge base, and what it leaves out: intents (and
/// their families), articles, slots, handoff reasons and the bot's actions.
///
/// ```swift
/// for coverage in ReplayCoverage.compute(outcome) {
///     print(coverage.intents.missing)   // intents no transcript reaches
/// }
/// ```
public struct ReplayCoverage: Sendable {
    /// The knowledge folder it is about.
    public var knowledge: String
    /// Intent families (the `intents/*.yaml` file names).
    public var families: Tally
    /// Intents, by name.
    public var intents: Tally
    /// Articles, by id.
    public var articles: Tally
    /// Slots, as `intent.slot` (asked for, or filled while the intent was on).
    public var slots: Tally
    /// Handoff reasons.
    public var handoffReasons: Tally
    /// The bot's actions (answer, ask, clarify, handoff, smalltalk, fallback).
    public var actions: Tally

    /// How many of a kind of thing were exercised, and which were not.
    public struct Tally: Sendable, Hashable {
        /// Everything of the kind, in knowledge order.
        public var all: [String]
        /// Those no transcript exercises, in knowledge order.
        public var missing: [String]

        /// Makes a tally.
        public init(all: [String], exercised: Set<String>) {
            self.all = all
            self.missing = all.filter { !exercised.contains($0) }
        }

        /// How many were exercised.
        public var covered: Int { all.count - missing.count }
    }

    /// Coverage per knowledge base the outcome's transcripts ran on, in path order.
    public static func compute(_ outcome: ReplayOutcome) -> [ReplayCoverage] {
        outcome.knowledge.sorted { $0.key.description < $1.key.description }.map { source, knowledge in
            let runs = outcome.transcripts.filter { $0.source == source }.compactMap(\.run)
            return compute(knowledge: knowledge, name: source.directory.path, observations: runs.map(\.observation))
        }
    }

    /// Coverage of `knowledge` by the turns in `observations`.
    public static func compute(knowledge: KnowledgeBase, name: String, observations: [Observation]) -> ReplayCoverage {
        var intents: Set<String> = []
        var articles: Set<String> = []
        var slots: Set<String> = []
        var reasons: Set<String> = []
        var actions: Set<String> = []
        let slotsByIntent = Dictionary(knowledge.intents.map { ($0.name, Self.slotNames(of: $0, in: knowledge)) }, uniquingKeysWith: { a, _ in a })
        for observation in observations {
            for item in observation.items {
                guard let turn = item.turn else { continue }
                actions.insert(turn.action.rawValue)
                for article in turn.articles { articles.insert(article.id) }
                if let handoff = turn.handoff, !item.relayed { reasons.insert(handoff.reason.rawValue) }
                guard let intent = turn.intent?.name else { continue }
                intents.insert(intent)
                if let asked = turn.asked { slots.insert(intent + "." + asked) }
                for slot in slotsByIntent[intent] ?? [] where turn.slots[slot] != nil && turn.action != .ask { slots.insert(intent + "." + slot) }
            }
        }
        var families: [String] = []
        for intent in knowledge.intents where !families.contains(intent.family) { families.append(intent.family) }
        let exercisedFamilies = Set(knowledge.intents.filter { intents.contains($0.name) }.map(\.family))
        return ReplayCoverage(
            knowledge: name,
            families: Tally(all: families, exercised: exercisedFamilies),
            intents: Tally(all: knowledge.intents.map(\.name), exercised: intents),
            articles: Tally(all: knowledge.articles.map(\.id), exercised: articles),
            slots: Tally(
                all: knowledge.intents.flatMap { intent in Self.slotNames(of: intent, in: knowledge).map { intent.name + "." + $0 } },
                exercised: slots),
            handoffReasons: Tally(all: HandoffReason.allCases.map(\.rawValue), exercised: reasons),
            actions: Tally(all: Action.allCases.map(\.rawValue), exercised: actions))
    }

    /// The intent's slots, and the slot its lookup checks identity with.
    static func slotNames(of intent: Intent, in knowledge: KnowledgeBase) -> [String] {
        var names = intent.slots.map(\.name)
        if let action = intent.action.flatMap({ knowledge.action(named: $0) }), let verify = action.verifySlot, !names.contains(verify) {
            names.append(verify)
        }
        return names
    }
}
