import ConciergeEngine
import Yams

/// Reads `entities.yaml`.
enum EntityReader {
    static let keys = ["name", "patterns", "values", "normalize", "description"]

    static func read(_ text: String, into file: inout YAMLFile) -> [EntityDefinition] {
        guard let root = file.parse(text), let top = file.fields(of: root, allowed: ["entities"], what: "the entities file") else { return [] }
        var definitions: [EntityDefinition] = []
        for node in file.sequence(top, "entities", what: "the entities file") {
            guard let fields = file.fields(of: node, allowed: keys, what: "an entity"),
                let name = file.string(fields, "name", in: node, what: "an entity", required: true)
            else { continue }
            let what = "entity `\(name)`"
            var normalization = EntityDefinition.Normalization.none
            if let raw = file.string(fields, "normalize", in: node, what: what) {
                if let parsed = EntityDefinition.Normalization(rawValue: raw) {
                    normalization = parsed
                } else {
                    file.report(
                        .error, at: fields["normalize"], "unknown normalize `\(raw)` in \(what)",
                        fix: "use one of: \(EntityDefinition.Normalization.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            var values: [EntityDefinition.Value] = []
            for valueNode in file.sequence(fields, "values", what: what) {
                if let plain = valueNode.scalar?.string {
                    values.append(.init(value: plain))
                    continue
                }
                guard let valueFields = file.fields(of: valueNode, allowed: ["value", "synonyms"], what: "a value of \(what)"),
                    let value = file.string(valueFields, "value", in: valueNode, what: "a value of \(what)", required: true)
                else { continue }
                values.append(.init(value: value, synonyms: file.strings(valueFields, "synonyms", what: "value `\(value)`").map(\.0)))
            }
            let patterns = file.strings(fields, "patterns", what: what)
            if patterns.isEmpty && values.isEmpty {
                file.report(.error, at: node, "\(what) has neither `patterns` nor `values`", fix: "add regular expressions under `patterns:` or a list under `values:`")
            }
            definitions.append(
                EntityDefinition(
                    name: name, patterns: patterns.map(\.0), values: values, normalization: normalization,
                    location: file.location(of: node), patternLocations: patterns.map(\.1)))
        }
        return definitions
    }
}

/// Reads `synonyms.yaml`.
enum SynonymReader {
    static func read(_ text: String, into file: inout YAMLFile) -> [KnowledgeBase.SynonymEntry] {
        guard let root = file.parse(text), let top = file.fields(of: root, allowed: ["synonyms"], what: "the synonyms file") else { return [] }
        guard let table = top["synonyms"] else { return [] }
        guard case .mapping(let mapping) = table else {
            file.report(.error, at: table, "`synonyms` must map each canonical word to a list", fix: "write `refund: [money back, reimbursement]`")
            return []
        }
        var entries: [KnowledgeBase.SynonymEntry] = []
        for (key, value) in mapping {
            guard let canonical = key.scalar?.string else { continue }
            let variants: [String]
            switch value {
            case .sequence(let items): variants = items.compactMap { $0.scalar?.string }
            case .scalar(let scalar): variants = [scalar.string]
            default:
                file.report(.error, at: value, "the synonyms of `\(canonical)` must be a list", fix: "write `\(canonical): [word, other phrase]`")
                continue
            }
            entries.append(.init(canonical: canonical, variants: variants, location: file.location(of: key)))
        }
        return entries
    }
}
