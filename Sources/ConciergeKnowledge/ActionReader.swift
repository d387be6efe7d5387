import ConciergeEngine
import Yams

/// Reads `actions.yaml`: lookups that answer from the data tables.
enum ActionReader {
    static let keys = ["name", "table", "key", "verify", "by", "replies", "summary", "not_found", "verify_failed", "description"]

    static func read(_ text: String, into file: inout YAMLFile) -> [LookupAction] {
        guard let root = file.parse(text), let top = file.fields(of: root, allowed: ["actions"], what: "the actions file") else { return [] }
        var actions: [LookupAction] = []
        for node in file.sequence(top, "actions", what: "the actions file") {
            guard let fields = file.fields(of: node, allowed: keys, what: "an action"),
                let name = file.string(fields, "name", in: node, what: "an action", required: true)
            else { continue }
            let what = "action `\(name)`"
            guard let table = file.string(fields, "table", in: node, what: what, required: true) else { continue }
            guard let keyNode = fields["key"], let key = file.fields(of: keyNode, allowed: ["slot", "column"], what: "`key` of \(what)"),
                let keySlot = file.string(key, "slot", in: keyNode, what: "`key` of \(what)", required: true),
                let keyColumn = file.string(key, "column", in: keyNode, what: "`key` of \(what)", required: true)
            else {
                if fields["key"] == nil { file.report(.error, at: node, "\(what) has no `key`", fix: "add `key: {slot: order_id, column: order_id}`") }
                continue
            }
            var verifySlot: String?, verifyColumn: String?, customerColumn: String?, verifyPrompt: String?
            if let verifyNode = fields["verify"],
                let verify = file.fields(of: verifyNode, allowed: ["slot", "column", "customer_column", "prompt"], what: "`verify` of \(what)")
            {
                verifySlot = file.string(verify, "slot", in: verifyNode, what: "`verify` of \(what)", required: true)
                verifyColumn = file.string(verify, "column", in: verifyNode, what: "`verify` of \(what)", required: true)
                customerColumn = file.string(verify, "customer_column", in: verifyNode, what: "`verify` of \(what)")
                verifyPrompt = file.string(verify, "prompt", in: verifyNode, what: "`verify` of \(what)")?.trimmingCharacters()
            }
            let replies = templates(fields["replies"], named: "replies", of: what, into: &file)
            let summaries = templates(fields["summary"], named: "summary", of: what, into: &file)
            if replies.isEmpty { file.report(.error, at: node, "\(what) has no `replies`", fix: "add `replies:` with at least `default: ...`") }
            actions.append(
                LookupAction(
                    name: name, table: table, keySlot: keySlot, keyColumn: keyColumn, verifySlot: verifySlot, verifyColumn: verifyColumn,
                    customerColumn: customerColumn, verifyPrompt: verifyPrompt, by: file.string(fields, "by", in: node, what: what),
                    replies: replies, summaries: summaries,
                    notFound: file.string(fields, "not_found", in: node, what: what)?.trimmingCharacters()
                        ?? "I couldn't find {\(keySlot)}.",
                    verifyFailed: file.string(fields, "verify_failed", in: node, what: what)?.trimmingCharacters()
                        ?? "That doesn't match what we have, so I can't share the details.",
                    location: file.location(of: node)))
        }
        return actions
    }

    /// Texts by the `by` column's value (`shipped: Order {order_id} shipped…`), or one text for every
    /// value (kept as `default`).
    static func templates(_ node: Node?, named key: String, of what: String, into file: inout YAMLFile) -> [String: String] {
        guard let node else { return [:] }
        var templates: [String: String] = [:]
        if case .mapping(let mapping) = node {
            for (keyNode, valueNode) in mapping {
                guard let value = keyNode.scalar?.string, let text = valueNode.scalar?.string else {
                    file.report(.error, at: keyNode, "each entry of `\(key)` of \(what) must be `value: text`")
                    continue
                }
                templates[value.lowercased()] = text.trimmingCharacters()
            }
        } else if let single = node.scalar?.string {
            templates["default"] = single.trimmingCharacters()
        } else {
            file.report(.error, at: node, "`\(key)` of \(what) must map values to texts", fix: "write `shipped: Order {order_id} shipped...`")
        }
        return templates
    }
}
