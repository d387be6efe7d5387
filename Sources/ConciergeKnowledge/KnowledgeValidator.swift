public import ConciergeEngine
import Foundation

/// The checks that span files: references, duplicates, and everything that would make the bot
/// misbehave at run time. Each problem says where and what to do.
public enum KnowledgeValidator {
    /// Fewer examples than this and an intent is learned less reliably (a warning, not an error).
    public static let minimumExamples = 10

    /// Placeholders every response may use without a slot.
    static let builtInPlaceholders: Set<String> = ["assistant", "company"]

    /// Articles larger than this get a warning.
    static let largeArticleBytes = 100_000

    public static func validate(_ knowledge: KnowledgeBase) -> [KnowledgeProblem] {
        var problems: [KnowledgeProblem] = []
        let normalizer = TextNormalizer()
        let articleIDs = Set(knowledge.articles.map(\.id))
        let entityNames = Set(knowledge.entities.map(\.name))

        // Duplicate names and ids.
        var firstIntent: [String: SourceLocation] = [:]
        for intent in knowledge.intents {
            if let first = firstIntent[intent.name] {
                problems.append(KnowledgeProblem(.error, intent.location, "intent `\(intent.name)` is defined twice (first at \(first))", fix: "rename one or merge their examples"))
            } else {
                firstIntent[intent.name] = intent.location
            }
        }
        var firstArticle: [String: SourceLocation] = [:]
        for article in knowledge.articles {
            if let first = firstArticle[article.id] {
                problems.append(KnowledgeProblem(.error, article.location, "article id `\(article.id)` is used twice (first at \(first))", fix: "give each article its own id"))
            } else {
                firstArticle[article.id] = article.location
            }
        }
        // Very large articles: read whole at every start, and no help-centre answer needs one.
        for article in knowledge.articles where article.body.utf8.count > Self.largeArticleBytes {
            problems.append(
                KnowledgeProblem(
                    .warning, article.location,
                    "article `\(article.id)` is \(article.body.utf8.count / 1_000) KB; an article over \(Self.largeArticleBytes / 1_000) KB slows every start and no customer reads that much",
                    fix: "split it into articles of one question each, or link to the long document instead"))
        }
        // Asking for a person works without any authored intent (a built-in reader), but the knowledge
        // should say so: the intent's examples cover the phrasings the reader does not know.
        if !knowledge.intents.contains(where: { $0.kind == .handoff && $0.handoffReason == .customerRequest }) {
            problems.append(
                KnowledgeProblem(
                    .warning, SourceLocation(file: "intents/"),
                    "no intent hands off at the customer's request: \"agent\", \"a person\" and \"talk to a human\" still reach a person (built in), but other phrasings will not",
                    fix: "add an intent with `kind: handoff` and `handoff_reason: customer_request` (see intents/handoff.yaml in the bundled knowledge)"))
        }
        var firstEntity: Set<String> = []
        for entity in knowledge.entities where !firstEntity.insert(entity.name).inserted {
            problems.append(KnowledgeProblem(.error, entity.location, "entity `\(entity.name)` is defined twice", fix: "merge the two definitions"))
        }

        // Entities: regular expressions compile and match something.
        for entity in knowledge.entities {
            for (pattern, location) in zip(entity.patterns, entity.patternLocations) {
                if RegexRisk.nestedUnboundedQuantifier(in: pattern) {
                    problems.append(
                        KnowledgeProblem(
                            .error, location, "the pattern of entity `\(entity.name)` repeats a repeated group (`\(pattern)`): matching it can take seconds on a short message",
                            fix: "repeat the group a bounded number of times ({1,5}), or drop the inner + or *"))
                    continue
                }
                do {
                    let regex = try NSRegularExpression(pattern: pattern, options: [.caseInsensitive])
                    if regex.firstMatch(in: "", range: NSRange(location: 0, length: 0)) != nil {
                        problems.append(KnowledgeProblem(.error, location, "the pattern of entity `\(entity.name)` matches an empty message", fix: "require at least one character"))
                    }
                } catch {
                    problems.append(
                        KnowledgeProblem(
                            .error, location, "invalid regular expression for entity `\(entity.name)`: `\(pattern)`",
                            fix: "check brackets and escapes (ICU syntax; in YAML single quotes a backslash is written once)"))
                }
            }
        }

        // Lookup actions: their tables, columns and slots exist.
        var actionNames: Set<String> = []
        var checkedKeys: Set<String> = []
        for action in knowledge.actions {
            if !actionNames.insert(action.name).inserted {
                problems.append(KnowledgeProblem(.error, action.location, "action `\(action.name)` is defined twice", fix: "rename one"))
            }
            guard let table = knowledge.table(named: action.table) else {
                problems.append(
                    KnowledgeProblem(
                        .error, action.location, "action `\(action.name)` reads table `\(action.table)`, which does not exist",
                        fix: "add data/\(action.table).csv or fix the name"))
                continue
            }
            var columns = [action.keyColumn] + [action.verifyColumn, action.customerColumn, action.by].compactMap { $0 }
            if let by = action.by, by.hasSuffix("_passed") { columns.removeAll { $0 == by }; columns.append(String(by.dropLast(7))) }
            for column in columns where !table.columns.contains(column) {
                problems.append(
                    KnowledgeProblem(
                        .error, action.location, "action `\(action.name)` uses column `\(column)`, which \(action.table).csv does not have",
                        fix: "use one of: \(table.columns.joined(separator: ", "))"))
            }
            if let key = table.columns.firstIndex(of: action.keyColumn), !checkedKeys.contains("\(action.table).\(action.keyColumn)") {
                // A key that two rows share: a lookup would answer from the first and never the other.
                checkedKeys.insert("\(action.table).\(action.keyColumn)")
                var firstRow: [String: Int] = [:]
                for (index, row) in table.rows.enumerated() where key < row.count && !row[key].isEmpty {
                    let value = row[key].lowercased()
                    if let first = firstRow[value] {
                        problems.append(
                            KnowledgeProblem(
                                .error, SourceLocation(file: table.location.file, line: index + 2),
                                "`\(action.keyColumn)` \(row[key]) is in two rows of \(action.table).csv (the first on line \(first + 2)); a lookup would only ever answer from the first",
                                fix: "keep one row per \(action.keyColumn)"))
                    } else {
                        firstRow[value] = index
                    }
                }
            }
            if action.verifySlot != nil && action.verifyPrompt == nil {
                problems.append(KnowledgeProblem(.warning, action.location, "action `\(action.name)` verifies without a `prompt`", fix: "add `prompt:` under `verify:`"))
            }
            let known = Set(table.columns + table.columns.map { $0 + "_passed" } + [action.keySlot] + [action.verifySlot].compactMap { $0 })
            for (_, reply) in action.replies.sorted(by: { $0.key < $1.key }) {
                for placeholder in placeholders(in: reply) where !known.contains(placeholder) && !builtInPlaceholders.contains(placeholder) {
                    problems.append(
                        KnowledgeProblem(
                            .error, action.location, "a reply of action `\(action.name)` uses `{\(placeholder)}`, which is neither a column nor its key slot",
                            fix: "use a column of \(action.table).csv"))
                }
            }
        }

        // Intents.
        var exampleOwner: [String: (intent: String, location: SourceLocation)] = [:]
        for intent in knowledge.intents {
            let what = "intent `\(intent.name)`"
            if intent.examples.isEmpty && intent.patterns.isEmpty {
                problems.append(
                    KnowledgeProblem(
                        .error, intent.location, "\(what) has no examples and no patterns, so nothing can match it",
                        fix: "add a few ways customers say it: short, long, casual, with typos"))
            } else if intent.examples.count < minimumExamples {
                // Few examples are normal for a new intent: it works, and more make it match better.
                problems.append(
                    KnowledgeProblem(
                        .warning, intent.location,
                        "\(what) has \(intent.examples.count) example\(intent.examples.count == 1 ? "" : "s"); \(minimumExamples) or more match more reliably",
                        fix: "add varied ways customers say it: short, long, casual, with typos"))
            }
            if let answer = intent.answer, !articleIDs.contains(answer) {
                let suggestion = closest(to: answer, in: Array(articleIDs)).map { "did you mean `\($0)`?" } ?? "add the article or fix the id"
                problems.append(KnowledgeProblem(.error, intent.location, "\(what) answers with article `\(answer)`, which does not exist", fix: suggestion))
            }
            if intent.kind != .handoff && intent.kind != .outOfScope && intent.answer == nil && intent.response == nil && intent.action == nil {
                problems.append(KnowledgeProblem(.error, intent.location, "\(what) has no `answer`, `response` or `action`", fix: "say how the bot replies: `answer: article-id` or `response: text`"))
            }
            if intent.kind == .handoff && intent.handoffReason == nil {
                problems.append(KnowledgeProblem(.warning, intent.location, "\(what) hands off without a `handoff_reason`; `policy` is assumed", fix: "add `handoff_reason: policy` or `customer_request`"))
            }
            var slotNames: Set<String> = []
            for slot in intent.slots {
                if !slotNames.insert(slot.name).inserted {
                    problems.append(KnowledgeProblem(.error, intent.location, "\(what) declares slot `\(slot.name)` twice", fix: "keep one"))
                }
                if !entityNames.contains(slot.entity) {
                    let suggestion = closest(to: slot.entity, in: Array(entityNames)).map { "did you mean `\($0)`?" } ?? "define it in entities.yaml"
                    problems.append(KnowledgeProblem(.error, intent.location, "slot `\(slot.name)` of \(what) is filled by entity `\(slot.entity)`, which does not exist", fix: suggestion))
                }
            }
            if let name = intent.action {
                if let action = knowledge.action(named: name) {
                    if !slotNames.contains(action.keySlot) {
                        problems.append(
                            KnowledgeProblem(
                                .error, intent.location, "\(what) runs `\(name)`, which looks up slot `\(action.keySlot)`, but the intent has no such slot",
                                fix: "add a slot named `\(action.keySlot)`"))
                    }
                } else {
                    problems.append(KnowledgeProblem(.error, intent.location, "\(what) runs action `\(name)`, which does not exist", fix: "define it in actions.yaml"))
                }
            }
            if let response = intent.response {
                for placeholder in placeholders(in: response) where !slotNames.contains(placeholder) && !builtInPlaceholders.contains(placeholder) {
                    problems.append(
                        KnowledgeProblem(
                            .error, intent.location, "the response of \(what) uses `{\(placeholder)}`, but no slot of the intent fills it",
                            fix: "declare a slot named `\(placeholder)` or remove the placeholder"))
                }
                // A slot can be missing when the reply is given (the customer declined it; a handoff
                // never asks): a bare `{slot}` would reach the customer as it is written.
                let unguarded = ResponseTemplate.placeholders(in: response).filter { $0.fallback == nil }.map(\.name)
                for placeholder in Set(unguarded).sorted() where slotNames.contains(placeholder) {
                    problems.append(
                        KnowledgeProblem(
                            .warning, intent.location,
                            "the response of \(what) uses `{\(placeholder)}` without words for when it is unknown (the customer may decline it\(intent.kind == .handoff ? "; a handoff never asks for it" : ""))",
                            fix: "write `{\(placeholder)|your order}` or similar: the words after `|` stand in when it is unknown"))
                }
            }
            for (pattern, location) in zip(intent.patterns, intent.patternLocations) {
                do {
                    let compiled = try TokenPattern(pattern, stems: { $0 })
                    for name in compiled.entityNames where !entityNames.contains(name) {
                        problems.append(KnowledgeProblem(.error, location, "pattern `\(pattern)` uses entity `{\(name)}`, which does not exist", fix: "define it in entities.yaml"))
                    }
                } catch {
                    problems.append(KnowledgeProblem(.error, location, "pattern `\(pattern)`: \(error.message) (column \(error.column))", fix: "see “Patterns” in knowledge/README.md"))
                }
            }
            var seenHere: Set<String> = []
            for (example, location) in zip(intent.examples, intent.exampleLocations) {
                let key = normalizer.tokenize(normalizer.sanitize(example)).map(\.text).joined(separator: " ")
                if key.isEmpty {
                    problems.append(KnowledgeProblem(.error, location, "an example of \(what) has no words", fix: "remove it or write a real message"))
                    continue
                }
                if !seenHere.insert(key).inserted {
                    problems.append(KnowledgeProblem(.warning, location, "\(what) lists the example “\(example)” twice", fix: "remove one"))
                    continue
                }
                if let owner = exampleOwner[key], owner.intent != intent.name {
                    problems.append(
                        KnowledgeProblem(
                            .error, location, "the example “\(example)” is under both `\(owner.intent)` (\(owner.location)) and `\(intent.name)`",
                            fix: "keep it under the intent it really means"))
                } else {
                    exampleOwner[key] = (intent.name, location)
                }
            }
        }
        return problems
    }

    /// The names of the `{name}` placeholders in a template.
    static func placeholders(in template: String) -> [String] {
        ResponseTemplate.placeholders(in: template).map(\.name)
    }
}
