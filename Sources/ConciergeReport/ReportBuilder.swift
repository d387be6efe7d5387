public import ConciergeEngine
public import ConciergeStore
public import Foundation

/// Computes a ``Report`` from a store's rows: a pure function, no I/O, the same report for the same
/// rows. The definitions are in ``Report``'s documentation and in README's "Reports" section.
///
/// ```swift
/// let rows = try await store.reportRows(in: ReportRange(), progress: { _ in })
/// let report = ReportBuilder(engine: engine).build(rows, range: ReportRange(), now: .now)
/// print(report.containment.rate)
/// ```
public struct ReportBuilder: Sendable {
    /// What the builder needs to know about the knowledge and the settings.
    public struct Configuration: Sendable {
        /// Answers below this confidence count as low-confidence gaps (`understanding.answer_threshold`).
        public var answerThreshold: Double
        /// The intent for "that didn't help".
        public var notHelpfulIntent = "not_helpful"
        /// The bot's replies to "that didn't help" begin with one of these (settings `texts`).
        public var notHelpfulReplies: [String]
        /// First-response targets per queue, in minutes (settings `queues`).
        public var queueTargets: [String: Double]
        /// Days of the containment chart are in this zone (the team's, settings `handoff.time_zone`).
        public var timeZone: TimeZone
        /// The intents that say what a conversation is about (tasks, and matters only a person handles;
        /// not a bare request for a person); nil: every intent but "that didn't help".
        public var topicIntents: Set<String>?
        /// Gap clusters listed (the rest are counted in `other_messages`).
        public var maximumClusters = 25

        public init(settings: Settings) {
            answerThreshold = settings.answerThreshold
            notHelpfulReplies = [settings.texts.notHelpful, settings.fill(settings.texts.notHelpfulNoAlternative)].filter { !$0.isEmpty }
            queueTargets = settings.queues.mapValues(\.firstResponseMinutes)
            timeZone = TimeZone(identifier: settings.handoff.timeZone) ?? TimeZone(identifier: "UTC")!
        }
    }

    public var configuration: Configuration
    /// Groups the gaps.
    public var clusterer: GapClusterer
    /// The intent or article a message comes closest to, for each listed cluster.
    public var nearest: (@Sendable (String) -> Report.Gaps.Nearest?)?

    public init(configuration: Configuration, clusterer: GapClusterer = GapClusterer(), nearest: (@Sendable (String) -> Report.Gaps.Nearest?)? = nil) {
        self.configuration = configuration
        self.clusterer = clusterer
        self.nearest = nearest
    }

    /// A builder that reads gaps with `engine`'s analyser and finds the nearest intent or article
    /// with its understanding (out-of-scope intents and "that didn't help" are never nearest).
    public init(engine: Engine, maximumClusters: Int = 25) {
        var configuration = Configuration(settings: engine.settings)
        configuration.maximumClusters = maximumClusters
        // What the customer was on: a task, or a matter only a person handles (a complaint); a bare
        // request for a person says nothing about the topic.
        configuration.topicIntents = Set(
            engine.knowledge.intents.filter { $0.kind == .task || ($0.kind == .handoff && $0.handoffReason != .customerRequest) }.map(\.name))
        configuration.topicIntents?.remove(configuration.notHelpfulIntent)
        let notHelpful = configuration.notHelpfulIntent
        let knowledge = engine.knowledge
        self.init(configuration: configuration, clusterer: GapClusterer(analyzer: engine.analyzer)) { message in
            for candidate in engine.understand(message).candidates {
                if let index = candidate.intent {
                    let intent = knowledge.intents[index]
                    guard intent.kind == .task || intent.kind == .handoff, intent.name != notHelpful else { continue }
                    return .init(kind: "intent", id: intent.name, label: intent.label, confidence: Self.rounded(candidate.confidence))
                }
                if let index = candidate.article {
                    let article = knowledge.articles[index]
                    return .init(kind: "article", id: article.id, label: article.title, confidence: Self.rounded(candidate.confidence))
                }
            }
            return nil
        }
    }

    /// The kinds of gap, in the order a message is classed when several apply.
    enum GapKind: String, CaseIterable {
        case notHelpful = "not_helpful"
        case repeatedClarification = "repeated_clarification"
        case lowConfidence = "low_confidence"
        case fallback
    }

    // MARK: - Building

    /// The report over `rows` (the conversations a store found in `range`), judged at `now`.
    public func build(_ rows: ReportRows, range: ReportRange, now: Date) -> Report {
        let conversationIDs = Set(rows.conversations.map(\.id))
        let handoffs = rows.handoffs.filter { conversationIDs.contains($0.conversationID) }
        let handoffByID = Dictionary(handoffs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let turnsByConversation = Self.group(rows.turns.filter { conversationIDs.contains($0.conversationID) })

        var handoffIntent: [String: String] = [:]
        var gaps: [(message: String, kind: GapKind)] = []
        var answers: [String: (answers: Int, notHelpful: Int, handoffs: Int)] = [:]
        var turnCount = 0
        for turns in turnsByConversation {
            turnCount += turns.count
            analyse(turns, handoffs: handoffByID, handoffIntent: &handoffIntent, gaps: &gaps, answers: &answers)
        }

        let handedOff = Set(handoffs.map(\.conversationID))
        let contained = rows.conversations.count - handedOff.count
        return Report(
            range: .init(since: range.since, until: range.until), now: now, conversations: rows.conversations.count, turns: turnCount,
            containment: .init(
                contained: contained, handedOff: handedOff.count, rate: Self.rate(contained, rows.conversations.count),
                byDay: days(rows.conversations, handedOff: handedOff)),
            handoffs: .init(
                total: handoffs.count, byReason: Self.counts(handoffs.map(\.reason.rawValue)), byQueue: Self.counts(handoffs.map(\.queue)),
                byIntent: Self.counts(handoffs.map { handoffIntent[$0.id] ?? "(none)" })),
            agents: agents(handoffs, events: rows.events.filter { handoffByID[$0.handoffID] != nil }, now: now),
            gaps: gapReport(gaps),
            unhelpfulAnswers: answers.map { key, value in
                let parts = key.split(separator: ":", maxSplits: 1).map(String.init)
                return Report.UnhelpfulAnswer(
                    kind: parts[0], id: parts.count > 1 ? parts[1] : "", answers: value.answers, notHelpful: value.notHelpful,
                    handoffs: value.handoffs, rate: Self.rate(value.notHelpful + value.handoffs, value.answers))
            }.sorted { a, b in
                if a.rate != b.rate { return a.rate > b.rate }
                if a.answers != b.answers { return a.answers > b.answers }
                return (a.kind, a.id) < (b.kind, b.id)
            },
            satisfaction: satisfaction(rows.satisfaction.filter { conversationIDs.contains($0.conversationID) }))
    }

    /// Turns grouped by conversation, each group in turn order (the stores send them so; other
    /// orders are sorted).
    static func group(_ turns: [ReportRows.Turn]) -> [ArraySlice<ReportRows.Turn>] {
        var groups: [ArraySlice<ReportRows.Turn>] = []
        var seen: Set<String> = []
        var start = 0
        var ordered = true
        for index in turns.indices where index == turns.count - 1 || turns[index + 1].conversationID != turns[index].conversationID {
            let group = turns[start...index]
            if !seen.insert(turns[index].conversationID).inserted || !zip(group, group.dropFirst()).allSatisfy({ $0.number <= $1.number }) {
                ordered = false
                break
            }
            groups.append(group)
            start = index + 1
        }
        if ordered { return groups }
        let sorted = turns.sorted { ($0.conversationID, $0.number) < ($1.conversationID, $1.number) }
        return group(sorted)
    }

    /// True when the bot's turn answers "that didn't help".
    func isNotHelpful(_ turn: ReportRows.Turn) -> Bool {
        turn.intent == configuration.notHelpfulIntent || configuration.notHelpfulReplies.contains { turn.reply.hasPrefix($0) }
    }

    /// One conversation's gaps, answers followed by trouble, and the topic of each handoff it made.
    func analyse(
        _ turns: ArraySlice<ReportRows.Turn>, handoffs: [String: ReportRows.Handoff], handoffIntent: inout [String: String],
        gaps: inout [(message: String, kind: GapKind)], answers: inout [String: (answers: Int, notHelpful: Int, handoffs: Int)]
    ) {
        let turns = Array(turns)
        // The turn that made each handoff is its first; the later ones went to the agent.
        var made: [Int: String] = [:]
        var relayed = Array(repeating: false, count: turns.count)
        var seenHandoffs: Set<String> = []
        for (index, turn) in turns.enumerated() {
            guard let id = turn.handoffID else { continue }
            if seenHandoffs.insert(id).inserted { made[index] = id } else { relayed[index] = true }
        }
        var kinds: [Int: GapKind] = [:]
        var topic: String?
        for (index, turn) in turns.enumerated() where !relayed[index] {
            if let intent = turn.intent, configuration.topicIntents?.contains(intent) ?? (intent != configuration.notHelpfulIntent) {
                topic = intent
            }
            if let id = made[index], handoffs[id] != nil { handoffIntent[id] = topic }
            let previous = index > 0 && !relayed[index - 1] ? turns[index - 1] : nil
            if isNotHelpful(turn) {
                if let previous, previous.action == .answer { kinds[index - 1] = .notHelpful }
            } else if turn.action == .clarify, previous?.action == .clarify {
                kinds[index] = kinds[index] ?? .repeatedClarification
            } else if turn.action == .answer, let confidence = turn.confidence, confidence < configuration.answerThreshold {
                kinds[index] = kinds[index] ?? .lowConfidence
            } else if let id = made[index], handoffs[id]?.reason == .lowConfidence {
                kinds[index] = kinds[index] ?? .lowConfidence
            } else if turn.action == .fallback {
                kinds[index] = kinds[index] ?? .fallback
            }
            guard turn.action == .answer else { continue }
            let next = index + 1 < turns.count && !relayed[index + 1] ? turns[index + 1] : nil
            let notHelped = next.map(isNotHelpful) ?? false
            let handedOff = !notHelped && made[index + 1] != nil
            var keys = turn.articles.map { "article:" + $0 }
            if let intent = turn.intent { keys.insert("intent:" + intent, at: 0) }
            for key in Set(keys) {
                var entry = answers[key] ?? (0, 0, 0)
                entry.answers += 1
                if notHelped { entry.notHelpful += 1 }
                if handedOff { entry.handoffs += 1 }
                answers[key] = entry
            }
        }
        for (index, kind) in kinds.sorted(by: { $0.key < $1.key }) {
            let message = turns[index].customer.trimmingCharacters(in: .whitespacesAndNewlines)
            if !message.isEmpty { gaps.append((message, kind)) }
        }
    }

    /// Containment per day, in the team's time zone.
    func days(_ conversations: [ReportRows.Conversation], handedOff: Set<String>) -> [Report.Containment.Day] {
        var byDay: [Int: (conversations: Int, contained: Int)] = [:]
        for conversation in conversations {
            let seconds = conversation.startedAt.timeIntervalSince1970 + Double(configuration.timeZone.secondsFromGMT(for: conversation.startedAt))
            let day = Int((seconds / 86_400).rounded(.down))
            var entry = byDay[day] ?? (0, 0)
            entry.conversations += 1
            if !handedOff.contains(conversation.id) { entry.contained += 1 }
            byDay[day] = entry
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return byDay.keys.sorted().map { day in
            let parts = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            let name = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
            let entry = byDay[day]!
            return .init(day: name, conversations: entry.conversations, contained: entry.contained, rate: Self.rate(entry.contained, entry.conversations))
        }
    }

    /// The team's side: what waits, how fast, against which targets, and what agents did.
    func agents(_ handoffs: [ReportRows.Handoff], events: [ReportRows.Event], now: Date) -> Report.Agents {
        let firstReplies = handoffs.compactMap { handoff in handoff.firstResponseAt.map { $0.timeIntervalSince(handoff.createdAt) } }
        let resolutions = handoffs.filter { $0.status == .resolved }.compactMap { handoff in
            handoff.resolvedAt.map { $0.timeIntervalSince(handoff.createdAt) }
        }
        var queues: [String: [ReportRows.Handoff]] = [:]
        for handoff in handoffs { queues[handoff.queue, default: []].append(handoff) }
        let sla = queues.keys.sorted().map { name -> Report.Agents.Queue in
            var queue = Report.Agents.Queue(
                queue: name, targetMinutes: configuration.queueTargets[name], handoffs: queues[name]!.count, met: 0, breached: 0, pending: 0,
                closedWithoutReply: 0, firstReply: Self.percentiles([]))
            var replies: [Double] = []
            for handoff in queues[name]! {
                if let first = handoff.firstResponseAt {
                    replies.append(first.timeIntervalSince(handoff.createdAt))
                    if first <= handoff.dueAt { queue.met += 1 } else { queue.breached += 1 }
                } else if handoff.status == .queued || handoff.status == .claimed {
                    if now > handoff.dueAt { queue.breached += 1 } else { queue.pending += 1 }
                } else {
                    queue.closedWithoutReply += 1
                }
            }
            queue.firstReply = Self.percentiles(replies)
            return queue
        }
        var byAgent: [String: Report.Agents.Agent] = [:]
        func count(_ event: ReportRows.Event, _ field: WritableKeyPath<Report.Agents.Agent, Int>) {
            var agent = byAgent[event.actor] ?? .init(agent: event.actor, claims: 0, replies: 0, resolved: 0, handbacks: 0, transfers: 0, releases: 0)
            agent[keyPath: field] += 1
            byAgent[event.actor] = agent
        }
        for event in events where event.actor != "system" && event.actor != "customer" {
            switch event.kind {
            case .claimed: count(event, \.claims)
            case .replied: count(event, \.replies)
            case .resolved: count(event, \.resolved)
            case .handedBack: count(event, \.handbacks)
            case .transferred: count(event, \.transfers)
            case .released: count(event, \.releases)
            default: break
            }
        }
        func tally(_ kind: HandoffEvent.Kind) -> Int { events.count { $0.kind == kind } }
        return Report.Agents(
            waitingNow: handoffs.count { $0.status == .queued }, claimedNow: handoffs.count { $0.status == .claimed },
            firstReply: Self.percentiles(firstReplies), resolution: Self.percentiles(resolutions), sla: sla,
            handbacks: tally(.handedBack), transfers: tally(.transferred), releases: tally(.released), leaseExpiries: tally(.leaseExpired),
            byAgent: byAgent.keys.sorted().map { byAgent[$0]! })
    }

    /// The gaps, clustered.
    func gapReport(_ gaps: [(message: String, kind: GapKind)]) -> Report.Gaps {
        let clusters = clusterer.clusters(of: gaps.map(\.message))
        let listed = clusters.prefix(configuration.maximumClusters).map { cluster -> Report.Gaps.Cluster in
            var texts: [String: Int] = [:]
            for member in cluster.members { texts[gaps[member].message, default: 0] += 1 }
            let examples = texts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(3).map(\.key)
            let label = examples.first ?? ""
            return Report.Gaps.Cluster(
                label: label, count: cluster.members.count, byKind: Self.counts(cluster.members.map { gaps[$0].kind.rawValue }),
                examples: Array(examples), nearest: nearest?(label))
        }
        let shown = listed.reduce(0) { $0 + $1.count }
        return Report.Gaps(
            messages: gaps.count, byKind: Self.counts(gaps.map(\.kind.rawValue)), clustersTotal: clusters.count,
            clusters: listed.sorted { $0.count != $1.count ? $0.count > $1.count : $0.label < $1.label }, otherMessages: gaps.count - shown)
    }

    /// Answers to "how did we do?", overall and per queue, agent and intent.
    func satisfaction(_ records: [SatisfactionRecord]) -> Report.Satisfaction {
        let answered = records.filter { $0.score != nil }
        var distribution = [0, 0, 0, 0, 0]
        for record in answered { distribution[record.score! - 1] += 1 }
        func groups(_ name: (SatisfactionRecord) -> String) -> [Report.Satisfaction.Group] {
            var scores: [String: [Int]] = [:]
            for record in answered { scores[name(record), default: []].append(record.score!) }
            return scores.keys.sorted().map { key in
                .init(name: key, answered: scores[key]!.count, average: Self.mean(scores[key]!) ?? 0)
            }
        }
        let comments = answered.filter { ($0.comment ?? "").isEmpty == false }
            .sorted { ($0.answeredAt ?? $0.askedAt, $0.conversationID) > ($1.answeredAt ?? $1.askedAt, $1.conversationID) }
            .prefix(5)
            .map { Report.Satisfaction.Comment(score: $0.score!, comment: $0.comment!, queue: $0.queue ?? "(bot)", at: $0.answeredAt ?? $0.askedAt) }
        return Report.Satisfaction(
            asked: records.count, answered: answered.count, average: Self.mean(answered.map { $0.score! }), distribution: distribution,
            byQueue: groups { $0.queue ?? "(bot)" }, byAgent: groups { $0.agent ?? "(bot)" }, byIntent: groups { $0.intent ?? "(none)" },
            comments: Array(comments))
    }

    // MARK: - Arithmetic

    /// `part / whole`, rounded to 4 decimals; 0 when `whole` is 0.
    public static func rate(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : rounded(Double(part) / Double(whole))
    }

    static func rounded(_ value: Double, places: Double = 10_000) -> Double { (value * places).rounded() / places }

    static func mean(_ scores: [Int]) -> Double? {
        scores.isEmpty ? nil : rounded(Double(scores.reduce(0, +)) / Double(scores.count), places: 100)
    }

    /// Nearest-rank percentiles: the value at position ⌈p·n⌉ of the sorted values, in seconds to the millisecond.
    public static func percentiles(_ values: [Double]) -> Report.Percentiles {
        let sorted = values.sorted()
        func at(_ p: Double) -> Double? {
            guard !sorted.isEmpty else { return nil }
            let rank = min(sorted.count, max(1, Int((p * Double(sorted.count)).rounded(.up))))
            return rounded(sorted[rank - 1], places: 1_000)
        }
        return .init(count: sorted.count, p50Seconds: at(0.5), p90Seconds: at(0.9))
    }

    /// How many of each name, most first, then by name.
    static func counts(_ names: [String]) -> [Report.Count] {
        var counts: [String: Int] = [:]
        for name in names { counts[name, default: 0] += 1 }
        return counts.map { Report.Count(name: $0.key, count: $0.value) }.sorted { $0.count != $1.count ? $0.count > $1.count : $0.name < $1.name }
    }
}
