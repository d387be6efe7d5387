import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import ConciergeSQLite
import ConciergeService
import Foundation

extension Concierge {
    /// `concierge bench`: turns per second and per-turn latency of the engine, in-process.
    struct Bench: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure start-up, per-turn latency (with a per-stage breakdown) and memory.",
            discussion: """
                Each message runs as the first turn of its own conversation. Without --messages a built-in mix \
                of realistic customer messages is used (questions, typos, order numbers, small talk, \
                out-of-scope lines). Build with -c release for meaningful numbers.
                """)

        @OptionGroup var knowledgeOptions: KnowledgeOptions

        @Option(help: ArgumentHelp("Customer messages, one a line, instead of the built-in mix.", valueName: "file"))
        var messages: String?

        @Option(help: "Run the messages at least this many times in all.")
        var turns = 20_000

        @Flag(help: "Print one JSON object instead of a table.")
        var json = false

        @Option(
            name: .customLong("synthetic-articles"),
            help: ArgumentHelp(
                "Add this many generated articles to the knowledge (deterministic: the same every run), to measure at scale.",
                valueName: "count"))
        var syntheticArticles = 0

        @Option(
            name: .customLong("write-synthetic"),
            help: ArgumentHelp(
                "Instead: write the --synthetic-articles articles to DIR/articles.jsonl and 1,000 queries to DIR/queries.csv (for eval retrieval), and stop.",
                valueName: "dir"))
        var writeSynthetic: String?

        @Option(help: ArgumentHelp("Instead: run one conversation of this many turns on a SQLite store and compare its first and last 100 turns.", valueName: "turns"))
        var conversation: Int?

        func validate() throws {
            if syntheticArticles < 0 { throw ValidationError("--synthetic-articles takes a count, for example --synthetic-articles 10000") }
            if writeSynthetic != nil, syntheticArticles == 0 {
                throw ValidationError("--write-synthetic needs --synthetic-articles COUNT, for example --synthetic-articles 100000")
            }
        }

        func run() throws {
            if let conversation {
                try runConversation(turns: conversation)
                return
            }
            if let writeSynthetic {
                try Self.write(synthetic: syntheticArticles, to: writeSynthetic)
                return
            }
            var clock = Stopwatch()
            var loaded = try knowledgeOptions.load()
            let readMilliseconds = clock.lap()
            let synthetic = SyntheticKnowledge.articles(count: syntheticArticles)
            loaded.knowledge.articles += synthetic
            let generateMilliseconds = clock.lap()
            // Through the compiled cache, as chat starts: a hit maps the file, a miss builds and writes it.
            var outcome = "off"
            let engine: Engine
            if let cache = knowledgeOptions.compiledCache {
                let (built, result) = cache.engine(for: loaded.knowledge)
                engine = built
                outcome = result == .hit ? "hit" : result == .built ? "built" : "\(result)"
            } else {
                engine = Engine(knowledge: loaded.knowledge)
            }
            let engineMilliseconds = clock.lap()
            let loadMilliseconds = readMilliseconds + engineMilliseconds

            var lines = BenchMessages.builtIn
            if let messages {
                guard let data = FileManager.default.contents(atPath: messages) else {
                    Output.error("concierge: cannot read \(messages); give a text file with one message a line")
                    throw ExitCode(2)
                }
                lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                if lines.last == "" { lines.removeLast() }
                guard !lines.isEmpty else {
                    Output.error("concierge: \(messages) holds no messages")
                    throw ExitCode(2)
                }
            }

            // A fixed clock: a weekday afternoon, when the team is open.
            let benchDate = Date(timeIntervalSince1970: 1_795_014_000)
            // Warm up, then measure whole turns.
            for line in lines.prefix(200) {
                var state = ConversationState(id: "warm")
                _ = engine.respond(to: line, in: &state, now: benchDate)
            }
            let rounds = max(1, (turns + lines.count - 1) / lines.count)
            var latencies: [Double] = []
            latencies.reserveCapacity(rounds * lines.count)
            let wallStart = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<rounds {
                for line in lines {
                    var state = ConversationState(id: "bench")
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    _ = engine.respond(to: line, in: &state, now: benchDate)
                    latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
                }
            }
            let wallSeconds = Double(DispatchTime.now().uptimeNanoseconds - wallStart) / 1e9

            // Retrieval alone on queries made from the generated articles (their words, some noise).
            var syntheticRetrieval: [Double] = []
            for query in SyntheticKnowledge.queries(for: synthetic, count: synthetic.isEmpty ? 0 : 2_000) {
                let text = engine.analyzer.analyze(query.text)
                let t0 = DispatchTime.now().uptimeNanoseconds
                _ = engine.retriever.search(text, limit: 10)
                syntheticRetrieval.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
            }

            // The stages, timed one at a time on the same messages.
            var analyse: [Double] = [], classify: [Double] = [], retrieve: [Double] = []
            for line in lines {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let text = engine.analyzer.analyze(line)
                let t1 = DispatchTime.now().uptimeNanoseconds
                _ = engine.matcher.match(text)
                let t2 = DispatchTime.now().uptimeNanoseconds
                _ = engine.retriever.search(text)
                let t3 = DispatchTime.now().uptimeNanoseconds
                analyse.append(Double(t1 - t0) / 1e3)
                classify.append(Double(t2 - t1) / 1e3)
                retrieve.append(Double(t3 - t2) / 1e3)
            }
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            let median = Statistics.percentile(latencies, 50)
            Report.print(
                [
                    ("turns", latencies.count), ("turns_per_second", Double(latencies.count) / wallSeconds),
                    ("median_us", median), ("p99_us", Statistics.percentile(latencies, 99)),
                    ("max_us", latencies.max() ?? 0),
                    ("analyze_median_us", Statistics.percentile(analyse, 50)), ("analyze_p99_us", Statistics.percentile(analyse, 99)),
                    ("intent_median_us", Statistics.percentile(classify, 50)), ("intent_p99_us", Statistics.percentile(classify, 99)),
                    ("retrieval_median_us", Statistics.percentile(retrieve, 50)), ("retrieval_p99_us", Statistics.percentile(retrieve, 99)),
                    ("policy_median_us", max(0, median - Statistics.percentile(analyse, 50) - Statistics.percentile(classify, 50) - Statistics.percentile(retrieve, 50))),
                    ("load_ms", loadMilliseconds), ("load_read_ms", readMilliseconds),
                    (outcome == "hit" ? "load_map_ms" : "load_train_ms", engineMilliseconds), ("load_cache", outcome),
                    ("synthetic_generate_ms", generateMilliseconds), ("peak_rss_mb", Double(usage.ru_maxrss) / 1024),
                    ("intents", loaded.knowledge.intents.count), ("articles", loaded.knowledge.articles.count),
                    ("index_bytes", engine.retriever.indexBytes), ("postings", engine.retriever.postingCount),
                    ("synthetic_retrieval_median_us", Statistics.percentile(syntheticRetrieval, 50)),
                    ("synthetic_retrieval_p99_us", Statistics.percentile(syntheticRetrieval, 99)),
                ], json: json)
        }
    }
}

extension Concierge.Bench {
    /// Writes `count` generated articles as JSON Lines and 1,000 queries over them as CSV.
    static func write(synthetic count: Int, to folder: String) throws {
        let url = URL(fileURLWithPath: folder)
        let articles = SyntheticKnowledge.articles(count: count)
        let queries = SyntheticKnowledge.queries(for: articles, count: 1_000)
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data(SyntheticKnowledge.jsonLines(articles).utf8).write(to: url.appendingPathComponent("articles.jsonl"))
            try Data(SyntheticKnowledge.csv(queries).utf8).write(to: url.appendingPathComponent("queries.csv"))
        } catch {
            Output.error("concierge: cannot write to \(folder) (\(error.localizedDescription)); give a folder you can write")
            throw ExitCode(2)
        }
        Output.line("\(folder)/articles.jsonl: \(count) articles; \(folder)/queries.csv: \(queries.count) queries")
    }

    /// One long conversation, every turn saved to a SQLite store, as a customer would have it:
    /// does the per-turn time stay flat and the memory bounded?
    func runConversation(turns: Int) throws {
        let loaded = try knowledgeOptions.load()
        let engine = Engine(knowledge: loaded.knowledge)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let store = try SQLiteStore(path: folder.appendingPathComponent("bench.sqlite").path)
        let time = FrozenTime(Date(timeIntervalSince1970: 1_795_014_000), step: 15)
        let session = try blocking { try await CustomerSession(engine: engine, store: store, time: time, conversationID: "bench") }
        let script = [
            "where is my order", "A10234", "maya.chen@example.com", "how long does shipping take", "and for express?", "thanks",
            "can I return a lamp", "what's your return policy", "do gift cards expire", "how do I wash linen",
        ]
        var latencies: [Double] = []
        var sizes: [Int] = []
        for i in 0..<turns {
            let message = script[i % script.count]
            let t0 = DispatchTime.now().uptimeNanoseconds
            _ = try blocking { try await session.send(message) }
            latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
            if i % 100 == 99 { sizes.append(try JSONEncoder().encode(try blocking { await session.state }).count) }
        }
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        let first = Array(latencies.prefix(100)), last = Array(latencies.suffix(100))
        Report.print(
            [
                ("turns", turns), ("median_us", Statistics.percentile(latencies, 50)), ("p99_us", Statistics.percentile(latencies, 99)),
                ("first_100_p99_us", Statistics.percentile(first, 99)), ("last_100_p99_us", Statistics.percentile(last, 99)),
                ("last_over_first_p99", Statistics.percentile(last, 99) / max(Statistics.percentile(first, 99), 1e-9)),
                ("state_bytes_first", sizes.first ?? 0), ("state_bytes_last", sizes.last ?? 0),
                ("peak_rss_mb", Double(usage.ru_maxrss) / 1024),
            ], json: json)
    }
}

/// The built-in mix of customer messages for `concierge bench`.
enum BenchMessages {
    static let builtIn: [String] = [
        "where is my order", "hi, order A10234 hasn't arrived yet", "wheres my pakage", "how long does shipping take",
        "do you ship to canada", "how much is express delivery", "I want to return a lamp I bought last week",
        "what's your return policy", "can i get a refund to my gift card", "my refund hasn't shown up on my card",
        "the sofa arrived damaged, the leg is broken", "one item is missing from my box", "you sent me the wrong color towels",
        "how do I change my delivery address for order A10251", "cancel my order", "i was charged twice",
        "my card was declined", "do you take paypal", "can I pay with afterpay or affirm", "the promo code doesnt work",
        "how do i reset my password", "i can't log in", "how do i delete my account", "change my email address",
        "how do i wash the linen duvet cover", "how to care for cast iron", "is the oak table covered by warranty",
        "can i pick up in store", "what are the Denver store hours", "my friend will pick up my order, is that ok",
        "check my gift card balance", "do gift cards expire", "what data do you keep about me", "unsubscribe me from emails",
        "hello", "thanks so much!", "bye", "are you a real person", "agent", "I want to talk to a human",
        "this is useless", "that didn't help", "what's the weather like in paris", "tell me a joke",
        "asdkjh qwe zzz", "", "🙂🙂🙂", "???", "my email is maya.chen@example.com", "I paid $129.99 on Nov 3",
        "Can you tell me if the Harbor Linen Sheet Set is back in stock?", "how many points do i have",
        "i need an invoice for my purchase", "do you price match", "my package says delivered but it's not here",
        "when will my refund be processed for A10234", "can i exchange the rug for a bigger size",
        "how do i make a warranty claim", "is it free to return", "what happens if i miss the delivery",
    ]
}

/// Milliseconds between laps.
struct Stopwatch {
    private var last = DispatchTime.now().uptimeNanoseconds

    /// The milliseconds since the last lap (or the start).
    mutating func lap() -> Double {
        let now = DispatchTime.now().uptimeNanoseconds
        defer { last = now }
        return Double(now - last) / 1e6
    }
}
