import ArgumentParser
import ConciergeEngine
import ConciergeKnowledge
import Foundation

extension Concierge {
    /// `concierge eval`: accuracy and speed of the engine chat uses, on labelled data.
    struct Eval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Measure the intent matcher or the article retriever on labelled data.",
            subcommands: [Intents.self, Retrieval.self])
    }
}

extension Concierge.Eval {
    /// `concierge eval intents`.
    struct Intents: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Train the intent matcher on TRAIN.csv and score it on TEST.csv.",
            discussion: """
                CSV files: first column the text, second the label; a header row is allowed; RFC 4180 quoting. \
                Rows labelled with the out-of-scope label are never trained on, and the matcher must reject them.
                """)

        @Option(help: ArgumentHelp("Labelled utterances to learn from.", valueName: "train.csv"))
        var train: String

        @Option(help: ArgumentHelp("Labelled utterances to score.", valueName: "test.csv"))
        var test: String

        @Option(name: .customLong("oos-label"), help: "The label of out-of-scope rows.")
        var oosLabel = "oos"

        @Option(name: .customLong("tune-on"), help: ArgumentHelp("Pick the rejection threshold on this validation CSV.", valueName: "val.csv"))
        var tuneOn: String?

        @Flag(help: "Print one JSON object instead of a table.")
        var json = false

        @Option(
            name: .customLong("vector-weight"),
            help: ArgumentHelp("The weight of the word-vector features beside the n-grams (0: none).", valueName: "weight"))
        var vectorWeight = FeatureExtractor.defaultVectorWeight

        func run() throws {
            let trainRows = try LabelledCSV.read(train)
            let testRows = try LabelledCSV.read(test)
            let validationRows = try tuneOn.map(LabelledCSV.read)

            let start = DispatchTime.now()
            var order: [String] = []
            var examples: [String: [String]] = [:]
            for row in trainRows where row.label != oosLabel {
                if examples[row.label] == nil { order.append(row.label) }
                examples[row.label, default: []].append(row.text)
            }
            guard order.count >= 2 else {
                Output.error("concierge: \(train) has fewer than two in-scope labels; give a CSV of text,label rows")
                throw ExitCode(2)
            }
            let knowledge = KnowledgeBase(
                intents: order.map { Intent(name: $0, examples: examples[$0]!) }, wordVectors: try Concierge.wordVectors())
            var classifier = IntentClassifier.Configuration()
            classifier.features.vectorWeight = vectorWeight
            var engine = Engine(knowledge: knowledge, classifier: classifier)
            let trainSeconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9

            var threshold = engine.settings.fallbackThreshold
            if let validationRows {
                threshold = RejectionThreshold.tune(engine: &engine, on: validationRows, oosLabel: oosLabel)
            }
            var latencies: [Double] = []
            latencies.reserveCapacity(testRows.count)
            var predictions: [(label: String, confidence: Double)] = []
            for row in testRows {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let prediction = engine.bestIntent(for: row.text)
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
                predictions.append(prediction)
            }
            let scores = IntentScores(
                predictions: predictions, labels: testRows.map(\.label), oosLabel: oosLabel, threshold: threshold)
            let raw = IntentScores(predictions: predictions, labels: testRows.map(\.label), oosLabel: oosLabel, threshold: 0)
            let inScope = zip(predictions, testRows).filter { $0.1.label != oosLabel }
            let calibrationError = LogisticFit.expectedCalibrationError(
                confidences: inScope.map(\.0.confidence), correct: inScope.map { $0.0.label == $0.1.label })
            // What the confidence adds, whatever the threshold: how well it ranks in-scope messages
            // above out-of-scope ones (0.5: no better than chance; reported when the test set has both).
            let auroc = Statistics.auroc(
                positives: inScope.map(\.0.confidence),
                negatives: zip(predictions, testRows).filter { $0.1.label == oosLabel }.map(\.0.confidence))
            let report: [(String, Any)] = [
                ("accuracy", scores.accuracy), ("in_scope_accuracy", scores.inScopeAccuracy), ("oos_recall", scores.oosRecall),
                ("oos_precision", scores.oosPrecision), ("macro_f1", scores.macroF1), ("examples", testRows.count),
                ("train_examples", trainRows.filter { $0.label != oosLabel }.count), ("intents", order.count),
                ("threshold", threshold), ("accuracy_without_rejection", raw.inScopeAccuracy),
                ("calibration_error", calibrationError), ("auroc", auroc.map { $0 as Any } ?? NSNull()), ("train_seconds", trainSeconds),
                ("median_us", Statistics.percentile(latencies, 50)), ("p99_us", Statistics.percentile(latencies, 99)),
            ]
            Report.print(report, json: json)
        }
    }

    /// `concierge eval retrieval`.
    struct Retrieval: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Index ARTICLES.jsonl with the chat's retriever and score it on QUERIES.csv.",
            discussion: "Articles: one JSON object a line with id, title, body. Queries: CSV query,article_id (header allowed).")

        @Option(help: ArgumentHelp("Articles, one JSON object a line: {\"id\", \"title\", \"body\"}.", valueName: "articles.jsonl"))
        var articles: String

        @Option(help: ArgumentHelp("Queries with the id of the article that answers each.", valueName: "queries.csv"))
        var queries: String

        @Flag(help: "Print one JSON object instead of a table.")
        var json = false

        struct ArticleLine: Decodable {
            var id: String
            var title: String
            var body: String
        }

        func run() throws {
            let loadStart = DispatchTime.now().uptimeNanoseconds
            // Mapped, and read a line at a time: a large file is never copied whole.
            guard let data = try? Data(contentsOf: URL(fileURLWithPath: articles), options: .alwaysMapped) else {
                Output.error("concierge: cannot read \(articles); give a JSON Lines file of {\"id\",\"title\",\"body\"} objects")
                throw ExitCode(2)
            }
            var list: [Article] = []
            let decoder = JSONDecoder()
            for (number, line) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated()
            where line.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D }) {
                guard let article = try? decoder.decode(ArticleLine.self, from: line) else {
                    Output.error("concierge: \(articles):\(number + 1): not a JSON object with id, title and body")
                    throw ExitCode(2)
                }
                list.append(Article(id: article.id, title: article.title, body: article.body))
            }
            let engine = Engine(knowledge: KnowledgeBase(articles: list))
            let loadMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6
            let rows = try LabelledCSV.read(queries)
            var hit1 = 0, hit3 = 0
            var reciprocal = 0.0
            var latencies: [Double] = []
            var confidences: [Double] = [], correct: [Bool] = [], features: [[Double]] = []
            for row in rows {
                let t0 = DispatchTime.now().uptimeNanoseconds
                let text = engine.analyzer.analyze(row.text)
                let hits = engine.retriever.search(text, limit: 10)
                latencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
                let ids = hits.map { list[$0.article].id }
                if let best = engine.retriever.scored(text, limit: 1).first {
                    confidences.append(hits[0].confidence)
                    correct.append(ids.first == row.label)
                    features.append([best.features.share, best.features.margin])
                }
                if ids.first == row.label { hit1 += 1 }
                if ids.prefix(3).contains(row.label) { hit3 += 1 }
                if let rank = ids.firstIndex(of: row.label) { reciprocal += 1 / Double(rank + 1) }
            }
            // The index alone, pruned and exhaustive on the same terms: what pruning saves, and a check
            // that it changes nothing.
            // One pass each, so neither finds the other's postings in the cache.
            let queryTerms = rows.map { ArticleRetriever.terms(engine.analyzer.analyze($0.text).tokens) }
            var pruned: [Double] = [], exhaustive: [Double] = []
            var fast: [[BM25FIndex.Hit]] = [], full: [[BM25FIndex.Hit]] = []
            for terms in queryTerms {
                let t0 = DispatchTime.now().uptimeNanoseconds
                fast.append(engine.retriever.index.search(terms, limit: 10))
                pruned.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
            }
            for terms in queryTerms {
                let t0 = DispatchTime.now().uptimeNanoseconds
                full.append(engine.retriever.index.exhaustiveSearch(terms, limit: 10))
                exhaustive.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e3)
            }
            let differ = zip(fast, full).filter { $0 != $1 }.count
            let n = Double(max(rows.count, 1))
            var usage = rusage()
            getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
            Report.print(
                [
                    ("hit_at_1", Double(hit1) / n), ("hit_at_3", Double(hit3) / n), ("mrr_at_10", reciprocal / n),
                    ("queries", rows.count), ("articles", list.count),
                    ("load_ms", loadMilliseconds), ("index_bytes", engine.retriever.indexBytes), ("postings", engine.retriever.postingCount),
                    ("peak_rss_mb", Double(usage.ru_maxrss) / 1024),
                    ("median_us", Statistics.percentile(latencies, 50)), ("p99_us", Statistics.percentile(latencies, 99)),
                    ("index_median_us", Statistics.percentile(pruned, 50)), ("index_p99_us", Statistics.percentile(pruned, 99)),
                    ("exhaustive_median_us", Statistics.percentile(exhaustive, 50)), ("exhaustive_p99_us", Statistics.percentile(exhaustive, 99)),
                    ("pruned_differs", differ),
                    ("calibration_error", LogisticFit.expectedCalibrationError(confidences: confidences, correct: correct)),
                    ("fitted_calibration", LogisticFit.fit(features: features, targets: correct).map { $0.map { String(format: "%.2f", $0) }.joined(separator: " ") } ?? ""),
                ], json: json)
        }
    }
}

extension Engine {
    /// The best intent for a message and its confidence: the matcher chat uses, without dialogue.
    func bestIntent(for text: String) -> (label: String, confidence: Double) {
        let understanding = understand(text)
        guard let best = understanding.intents.best else { return ("", 0) }
        return (knowledge.intents[best.intent].name, best.confidence)
    }
}

/// Tuning how out-of-scope messages are rejected, on a validation set that holds some.
enum RejectionThreshold {
    /// Refits the engine's confidence model on the validation rows (so it learns what out-of-scope
    /// messages look like), then returns the confidence threshold at which the most validation rows
    /// are handled right (answered with the right intent, or rejected when out of scope), judged on
    /// out-of-fold confidences so the threshold is not fitted to the rows it is judged on.
    static func tune(engine: inout Engine, on rows: [LabelledCSV.Row], oosLabel: String) -> Double {
        guard var classifier = engine.matcher.classifier else { return engine.settings.fallbackThreshold }
        let names = engine.knowledge.intents.map(\.name)
        var evidence: [[Double]] = [], correct: [Bool] = [], guesses: [String] = []
        for row in rows {
            let tokens = engine.analyzer.analyze(row.text).tokens
            guard let best = classifier.predict(tokens, limit: 1).ranked.first else {
                evidence.append([Double](repeating: 0, count: ConfidenceModel.featureNames.count))
                correct.append(false)
                guesses.append("")
                continue
            }
            evidence.append(best.evidence)
            guesses.append(names[best.label])
            correct.append(row.label != oosLabel && names[best.label] == row.label)
        }
        let labels = rows.map(\.label)
        // Out-of-fold confidences: every fifth row is scored by a model fitted on the other four fifths.
        var confidences = [Double](repeating: 0, count: rows.count)
        for fold in 0..<5 {
            let train = rows.indices.filter { $0 % 5 != fold }
            guard let model = ConfidenceModel(fitting: train.map { evidence[$0] }, correct: train.map { correct[$0] }) else { continue }
            for i in rows.indices where i % 5 == fold { confidences[i] = model.confidence(evidence[i]) }
        }
        if let model = ConfidenceModel(fitting: evidence, correct: correct) {
            classifier.confidenceModel = model
            engine.matcher.classifier = classifier
        }
        let predictions = zip(guesses, confidences).map { (label: $0, confidence: $1) }
        let candidates = Set(confidences).sorted()
        var best = (score: -1.0, threshold: 0.5)
        for (a, b) in zip(candidates, candidates.dropFirst()) {
            let threshold = (a + b) / 2
            let scores = IntentScores(predictions: predictions, labels: labels, oosLabel: oosLabel, threshold: threshold)
            let score = scores.accuracy
            if score > best.score { best = (score, threshold) }
        }
        return best.threshold
    }
}

/// The scores `eval intents` reports.
struct IntentScores {
    var accuracy = 0.0, inScopeAccuracy = 0.0, oosRecall = 0.0, oosPrecision = 0.0, macroF1 = 0.0

    init(predictions: [(label: String, confidence: Double)], labels: [String], oosLabel: String, threshold: Double) {
        var correct = 0, inScope = 0, inScopeCorrect = 0, oos = 0, oosRejected = 0, rejected = 0
        var truePositive: [String: Int] = [:], predicted: [String: Int] = [:], actual: [String: Int] = [:]
        for (prediction, label) in zip(predictions, labels) {
            let guess = prediction.confidence < threshold ? oosLabel : prediction.label
            if guess == label { correct += 1; truePositive[label, default: 0] += 1 }
            predicted[guess, default: 0] += 1
            actual[label, default: 0] += 1
            if guess == oosLabel { rejected += 1 }
            if label == oosLabel {
                oos += 1
                if guess == oosLabel { oosRejected += 1 }
            } else {
                inScope += 1
                if guess == label { inScopeCorrect += 1 }
            }
        }
        accuracy = Double(correct) / Double(max(labels.count, 1))
        inScopeAccuracy = Double(inScopeCorrect) / Double(max(inScope, 1))
        oosRecall = oos == 0 ? 0 : Double(oosRejected) / Double(oos)
        oosPrecision = rejected == 0 ? 0 : Double(oosRejected) / Double(rejected)
        var f1Sum = 0.0
        for label in actual.keys {
            let tp = Double(truePositive[label] ?? 0)
            let precision = tp / Double(max(predicted[label] ?? 0, 1))
            let recall = tp / Double(max(actual[label] ?? 0, 1))
            f1Sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        }
        macroF1 = f1Sum / Double(max(actual.count, 1))
    }
}

/// Reading `text,label` CSV files for evaluation.
enum LabelledCSV {
    struct Row {
        var text: String
        var label: String
    }

    /// The rows of a two-column CSV; the first row is taken as a header when its label is used by no other row.
    static func read(_ path: String) throws -> [Row] {
        guard let data = FileManager.default.contents(atPath: path) else {
            Output.error("concierge: cannot read \(path); give the path of a CSV file of text,label rows")
            throw ExitCode(2)
        }
        let rows: [CSVTable.Row]
        do {
            rows = try CSVTable.parseRows(String(decoding: data, as: UTF8.self))
        } catch {
            Output.error("concierge: \(path):\(error.line): \(error.message)")
            throw ExitCode(2)
        }
        var parsed: [Row] = []
        for row in rows {
            guard row.fields.count >= 2 else {
                Output.error("concierge: \(path):\(row.line): expected two columns (text,label), found \(row.fields.count)")
                throw ExitCode(2)
            }
            parsed.append(Row(text: row.fields[0], label: row.fields[1].trimmingCharacters(in: .whitespaces)))
        }
        if let first = parsed.first, !parsed.dropFirst().contains(where: { $0.label == first.label }) { parsed.removeFirst() }
        return parsed
    }
}

/// Percentiles and other small statistics for reports.
enum Statistics {
    /// The area under the ROC curve of `positives` scored above `negatives`: the chance that a random
    /// positive outscores a random negative (ties count half). Nil when either side is empty.
    static func auroc(positives: [Double], negatives: [Double]) -> Double? {
        guard !positives.isEmpty, !negatives.isEmpty else { return nil }
        let all = (positives.map { ($0, true) } + negatives.map { ($0, false) }).sorted { $0.0 < $1.0 }
        // Mann-Whitney U from average ranks, so ties share their rank.
        var rankSum = 0.0
        var i = 0
        while i < all.count {
            var j = i
            while j + 1 < all.count, all[j + 1].0 == all[i].0 { j += 1 }
            let rank = Double(i + j) / 2 + 1
            for k in i...j where all[k].1 { rankSum += rank }
            i = j + 1
        }
        let p = Double(positives.count), n = Double(negatives.count)
        return (rankSum - p * (p + 1) / 2) / (p * n)
    }

    /// The `p`th percentile (nearest rank) of `values`.
    static func percentile(_ values: [Double], _ p: Double) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }
}

/// Printing a flat report as aligned text or one JSON object.
enum Report {
    static func print(_ fields: [(String, Any)], json: Bool) {
        if json {
            let body = fields.map { key, value -> String in
                switch value {
                case let double as Double: return "\"\(key)\":\(rounded(double))"
                case let int as Int: return "\"\(key)\":\(int)"
                case let string as String: return "\"\(key)\":\"\(string)\""
                default: return "\"\(key)\":null"
                }
            }
            Output.line("{" + body.joined(separator: ",") + "}")
        } else {
            let width = fields.map(\.0.count).max() ?? 0
            for (key, value) in fields {
                let text = value is NSNull ? "-" : (value as? Double).map { rounded($0) } ?? "\(value)"
                Output.line(key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + text)
            }
        }
    }

    static func rounded(_ value: Double) -> String {
        value.isFinite ? String(format: "%.4f", value).replacingOccurrences(of: #"\.?0+$"#, with: "", options: .regularExpression) : "0"
    }
}

extension Concierge {
    /// The word-vector table for knowledge built outside the loader (`eval intents`): the bundled one, or
    /// what `CONCIERGE_WORD_VECTORS` names; a table that cannot be read is an error, not a silent "none".
    static func wordVectors() throws -> WordVectors? {
        switch BundledWordVectors.loaded {
        case .success(let table): return table
        case .failure(let failure):
            Output.error("concierge: the word-vector table was not read: \(failure); set \(BundledWordVectors.environmentVariable)=off to run without it")
            throw ExitCode(2)
        }
    }
}
