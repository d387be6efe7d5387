/// Two intents whose examples say the same thing: examples of `intent` that, held out of training,
/// read as `other`. The matcher cannot tell such intents apart reliably, so `concierge check` warns
/// about them and names the examples to rewrite.
///
/// ```swift
/// for overlap in engine.exampleOverlaps() {
///     print("\(overlap.intent): \(overlap.examples.count) of \(overlap.total) read as \(overlap.other)")
/// }
/// ```
public struct ExampleOverlap: Sendable, Hashable {
    /// The intent whose examples stray.
    public var intent: String
    /// The intent they read as.
    public var other: String
    /// The examples of `intent` that read as `other`, as the author wrote them.
    public var examples: [String]
    /// How many examples `intent` has.
    public var total: Int
}

extension Engine {
    /// Intents with at least `minimumCount` examples, and at least `minimumShare` of them, that read
    /// as one other intent when held out of training (the cross-validation that calibrates the
    /// confidence, run again here), most overlapping first. Knowledge with too few examples for the
    /// folds gives none.
    public func exampleOverlaps(minimumShare: Double = 0.25, minimumCount: Int = 2) -> [ExampleOverlap] {
        var examples: [[Token]] = []
        var labels: [Int] = []
        var written: [String] = []
        var names: [String] = []
        var totals: [Int] = []
        for intent in knowledge.intents where !intent.examples.isEmpty {
            let label = names.count
            names.append(intent.name)
            totals.append(intent.examples.count)
            for example in intent.examples {
                examples.append(analyzer.analyze(example).tokens)
                labels.append(label)
                written.append(example)
            }
        }
        guard names.count >= 2 else { return [] }
        let heldOut = IntentClassifier.heldOutPredictions(
            examples: examples, labels: labels, classCount: names.count, folds: 5, configuration: classifierConfiguration,
            wordVectors: knowledge.wordVectors)
        var strays: [Int: [Int: [String]]] = [:]
        for (example, best) in heldOut where best.label != labels[example] {
            strays[labels[example], default: [:]][best.label, default: []].append(written[example])
        }
        var overlaps: [ExampleOverlap] = []
        for (label, byOther) in strays {
            for (other, texts) in byOther where texts.count >= minimumCount && Double(texts.count) >= minimumShare * Double(totals[label]) {
                overlaps.append(ExampleOverlap(intent: names[label], other: names[other], examples: texts, total: totals[label]))
            }
        }
        return overlaps.sorted {
            let left = Double($0.examples.count) / Double($0.total), right = Double($1.examples.count) / Double($1.total)
            return left != right ? left > right : ($0.intent, $0.other) < ($1.intent, $1.other)
        }
    }
}
