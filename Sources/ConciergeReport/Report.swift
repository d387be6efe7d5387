public import Foundation

/// What the support lead sees: how many conversations the bot handled alone, why the others went to
/// people and how fast the team answered, what the bot could not answer (grouped into clusters a
/// knowledge author works through), and how customers rated us. A plain value computed by
/// ``ReportBuilder`` from a store's rows; `concierge report` prints it as text, JSON (the field
/// names below in snake_case, documented in README) or an HTML page.
///
/// Every figure is a count or a statistic over the conversations started in ``range``; times are
/// seconds; rates are fractions in 0...1 rounded to 4 decimals; percentiles are nearest-rank
/// (the value at position ⌈p·n⌉ of the sorted values).
public struct Report: Sendable, Hashable, Codable {
    /// The conversations covered: started at or after `since`, before `until`.
    public var range: Range
    /// The instant "waiting now" and open service-level targets are judged at.
    public var now: Date
    /// Conversations started in the range.
    public var conversations: Int
    /// Customer messages in them.
    public var turns: Int
    public var containment: Containment
    public var handoffs: Handoffs
    public var agents: Agents
    public var gaps: Gaps
    /// Intents and articles by the share of their answers followed by "that didn't help" or a handoff.
    public var unhelpfulAnswers: [UnhelpfulAnswer]
    public var satisfaction: Satisfaction

    public struct Range: Sendable, Hashable, Codable {
        public var since: Date?
        public var until: Date?
    }

    /// Conversations that ended without a person.
    public struct Containment: Sendable, Hashable, Codable {
        /// Conversations with no handoff.
        public var contained: Int
        /// Conversations with at least one handoff.
        public var handedOff: Int
        /// contained / conversations (0 when there are none).
        public var rate: Double
        /// Per day (in the team's time zone), oldest first.
        public var byDay: [Day]

        public struct Day: Sendable, Hashable, Codable {
            /// `2026-11-18`.
            public var day: String
            public var conversations: Int
            public var contained: Int
            public var rate: Double
        }
    }

    /// A name and how many: one bar of a breakdown.
    public struct Count: Sendable, Hashable, Codable {
        public var name: String
        public var count: Int
    }

    /// Why conversations went to people.
    public struct Handoffs: Sendable, Hashable, Codable {
        public var total: Int
        /// By reason (`customer_request`, `low_confidence`...), most first, then by name.
        public var byReason: [Count]
        /// By the queue they are in now.
        public var byQueue: [Count]
        /// By the intent the customer was on when the bot handed off (`(none)` when it had none).
        public var byIntent: [Count]
    }

    /// Median and 90th percentile of a duration, in seconds; nil when there is no sample.
    public struct Percentiles: Sendable, Hashable, Codable {
        public var count: Int
        public var p50Seconds: Double?
        public var p90Seconds: Double?
    }

    /// The team's side.
    public struct Agents: Sendable, Hashable, Codable {
        /// Handoffs waiting for an agent now (status queued).
        public var waitingNow: Int
        /// Handoffs an agent holds now (status claimed).
        public var claimedNow: Int
        /// From the handoff to the agent's first reply.
        public var firstReply: Percentiles
        /// From the handoff to its resolution (resolved handoffs; hand-backs are not resolutions).
        public var resolution: Percentiles
        /// Service-level targets (first response by the handoff's due time) per queue.
        public var sla: [Queue]
        /// Handoffs returned to the bot.
        public var handbacks: Int
        /// Moves to another queue.
        public var transfers: Int
        /// Claims given back to the queue by the agent.
        public var releases: Int
        /// Claims returned to the queue because the agent's lease ran out.
        public var leaseExpiries: Int
        /// Per agent, by name.
        public var byAgent: [Agent]

        public struct Queue: Sendable, Hashable, Codable {
            public var queue: String
            /// The queue's first-response target (settings.yaml `queues`), nil for a queue it does not name.
            public var targetMinutes: Double?
            public var handoffs: Int
            /// First reply by the due time.
            public var met: Int
            /// First reply after the due time, or none yet and the due time has passed.
            public var breached: Int
            /// No reply yet, not yet due.
            public var pending: Int
            /// Closed (resolved or handed back) without an agent reply, before the due time.
            public var closedWithoutReply: Int
            public var firstReply: Percentiles
        }

        public struct Agent: Sendable, Hashable, Codable {
            public var agent: String
            public var claims: Int
            public var replies: Int
            public var resolved: Int
            public var handbacks: Int
            public var transfers: Int
            public var releases: Int
        }
    }

    /// Messages the bot could not answer, grouped into clusters of similar questions.
    public struct Gaps: Sendable, Hashable, Codable {
        /// Messages in all.
        public var messages: Int
        /// By kind: `fallback`, `low_confidence`, `not_helpful` (the question whose answer did not help),
        /// `repeated_clarification`.
        public var byKind: [Count]
        /// Clusters found in all.
        public var clustersTotal: Int
        /// The largest clusters, most messages first (ties: by label).
        public var clusters: [Cluster]
        /// Messages in the clusters not listed.
        public var otherMessages: Int

        public struct Cluster: Sendable, Hashable, Codable {
            /// The cluster's most frequent message.
            public var label: String
            public var count: Int
            /// Its messages by kind.
            public var byKind: [Count]
            /// Up to three different messages, most frequent first (stored text: masked, erased).
            public var examples: [String]
            /// The intent or article these messages came closest to.
            public var nearest: Nearest?
        }

        public struct Nearest: Sendable, Hashable, Codable {
            /// `intent` or `article`.
            public var kind: String
            /// The intent's name or the article's id.
            public var id: String
            /// The intent's label or the article's title.
            public var label: String
            public var confidence: Double
        }
    }

    /// One intent or article and how often its answer was followed by trouble.
    public struct UnhelpfulAnswer: Sendable, Hashable, Codable {
        /// `intent` or `article`.
        public var kind: String
        public var id: String
        /// Answers given with it.
        public var answers: Int
        /// Answers the customer said did not help (the next message).
        public var notHelpful: Int
        /// Answers followed at once by a handoff.
        public var handoffs: Int
        /// (notHelpful + handoffs) / answers.
        public var rate: Double
    }

    /// How customers rated us.
    public struct Satisfaction: Sendable, Hashable, Codable {
        /// Conversations asked.
        public var asked: Int
        /// Conversations that answered.
        public var answered: Int
        /// Mean score of the answers, nil when none (2 decimals).
        public var average: Double?
        /// Answers per score: index 0 is the count of 1s ... index 4 of 5s.
        public var distribution: [Int]
        /// By queue (`(bot)` for conversations the bot handled alone), by agent, by intent.
        public var byQueue: [Group]
        public var byAgent: [Group]
        public var byIntent: [Group]
        /// The latest comments, newest first (at most five).
        public var comments: [Comment]

        public struct Group: Sendable, Hashable, Codable {
            public var name: String
            public var answered: Int
            public var average: Double
        }

        public struct Comment: Sendable, Hashable, Codable {
            public var score: Int
            public var comment: String
            public var queue: String
            public var at: Date
        }
    }
}

extension Report {
    /// The report as JSON: snake_case names, sorted keys, ISO 8601 dates; the same bytes for the
    /// same rows.
    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(self) else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }
}

// Absent values are written as null, so every field name is in every report.
extension Report.Range {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(since, forKey: .since)
        try container.encode(until, forKey: .until)
    }
}

extension Report.Percentiles {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(count, forKey: .count)
        try container.encode(p50Seconds, forKey: .p50Seconds)
        try container.encode(p90Seconds, forKey: .p90Seconds)
    }
}

extension Report.Agents.Queue {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(queue, forKey: .queue)
        try container.encode(targetMinutes, forKey: .targetMinutes)
        try container.encode(handoffs, forKey: .handoffs)
        try container.encode(met, forKey: .met)
        try container.encode(breached, forKey: .breached)
        try container.encode(pending, forKey: .pending)
        try container.encode(closedWithoutReply, forKey: .closedWithoutReply)
        try container.encode(firstReply, forKey: .firstReply)
    }
}

extension Report.Gaps.Cluster {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(label, forKey: .label)
        try container.encode(count, forKey: .count)
        try container.encode(byKind, forKey: .byKind)
        try container.encode(examples, forKey: .examples)
        try container.encode(nearest, forKey: .nearest)
    }
}

extension Report.Satisfaction {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(asked, forKey: .asked)
        try container.encode(answered, forKey: .answered)
        try container.encode(average, forKey: .average)
        try container.encode(distribution, forKey: .distribution)
        try container.encode(byQueue, forKey: .byQueue)
        try container.encode(byAgent, forKey: .byAgent)
        try container.encode(byIntent, forKey: .byIntent)
        try container.encode(comments, forKey: .comments)
    }
}
