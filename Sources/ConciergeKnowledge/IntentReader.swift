import ConciergeEngine
import Yams

/// Reads `intents/*.yaml`.
enum IntentReader {
    static let intentKeys = [
        "name", "label", "kind", "examples", "patterns", "slots", "action", "answer", "response", "handoff_reason",
        "queue", "description", "offer_handoff",
    ]
    static let slotKeys = ["name", "entity", "prompt", "hint", "required"]

    static func read(_ text: String, family: String, into file: inout YAMLFile) -> [Intent] {
        guard let root = file.parse(text) else { return [] }
        guard let top = file.fields(of: root, allowed: ["intents"], what: "an intents file") else { return [] }
        guard top["intents"] != nil else {
            file.report(.error, at: root, "the file has no `intents:` list", fix: "start the file with `intents:` and list intents under it")
            return []
        }
        var intents: [Intent] = []
        for node in file.sequence(top, "intents", what: "the file") {
            guard let fields = file.fields(of: node, allowed: intentKeys, what: "an intent") else { continue }
            guard let name = file.string(fields, "name", in: node, what: "an intent", required: true) else { continue }
            let what = "intent `\(name)`"
            var kind = Intent.Kind.task
            if let raw = file.string(fields, "kind", in: node, what: what) {
                if let parsed = Intent.Kind(rawValue: raw) {
                    kind = parsed
                } else {
                    file.report(
                        .error, at: fields["kind"], "unknown kind `\(raw)` in \(what)",
                        fix: "use one of: \(Intent.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            var reason: HandoffReason?
            if let raw = file.string(fields, "handoff_reason", in: node, what: what) {
                reason = HandoffReason(rawValue: raw)
                if reason == nil {
                    file.report(
                        .error, at: fields["handoff_reason"], "unknown handoff_reason `\(raw)` in \(what)",
                        fix: "use one of: \(HandoffReason.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            let examples = file.strings(fields, "examples", what: what)
            let patterns = file.strings(fields, "patterns", what: what)
            var slots: [SlotRequirement] = []
            for slotNode in file.sequence(fields, "slots", what: what) {
                guard let slotFields = file.fields(of: slotNode, allowed: slotKeys, what: "a slot of \(what)"),
                    let slotName = file.string(slotFields, "name", in: slotNode, what: "a slot of \(what)", required: true)
                else { continue }
                let slotWhat = "slot `\(slotName)` of \(what)"
                let entity = file.string(slotFields, "entity", in: slotNode, what: slotWhat, required: true) ?? slotName
                let prompt = file.string(slotFields, "prompt", in: slotNode, what: slotWhat, required: true) ?? "What is the \(slotName)?"
                slots.append(
                    SlotRequirement(
                        name: slotName, entity: entity, prompt: prompt.trimmingCharacters(),
                        hint: file.string(slotFields, "hint", in: slotNode, what: slotWhat)?.trimmingCharacters(),
                        required: file.bool(slotFields, "required", what: slotWhat) ?? true))
            }
            intents.append(
                Intent(
                    name: name, label: file.string(fields, "label", in: node, what: what)?.trimmingCharacters(), kind: kind,
                    family: family, examples: examples.map(\.0), patterns: patterns.map(\.0),
                    slots: slots, action: file.string(fields, "action", in: node, what: what),
                    answer: file.string(fields, "answer", in: node, what: what),
                    response: file.string(fields, "response", in: node, what: what)?.trimmingCharacters(),
                    handoffReason: reason, queue: file.string(fields, "queue", in: node, what: what),
                    offersHandoff: file.bool(fields, "offer_handoff", what: what) ?? false,
                    location: file.location(of: node), exampleLocations: examples.map(\.1),
                    patternLocations: patterns.map(\.1)))
        }
        return intents
    }
}
