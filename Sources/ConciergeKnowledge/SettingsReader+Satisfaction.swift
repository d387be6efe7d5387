import ConciergeEngine
import Yams

extension SettingsReader {
    /// `satisfaction:` in settings.yaml: when the customer is asked how we did, and the words.
    static func readSatisfaction(_ node: Node, into satisfaction: inout SatisfactionSettings, file: inout YAMLFile) {
        let what = "`satisfaction`"
        guard
            let fields = file.fields(
                of: node, allowed: ["after_resolution", "after_bot_conversation", "closing_intents", "question", "thanks"], what: what)
        else { return }
        satisfaction.afterResolution = file.bool(fields, "after_resolution", what: what) ?? satisfaction.afterResolution
        satisfaction.afterBotConversation = file.bool(fields, "after_bot_conversation", what: what) ?? satisfaction.afterBotConversation
        if fields["closing_intents"] != nil {
            satisfaction.closingIntents = file.strings(fields, "closing_intents", what: what).map(\.0)
        }
        if let text = file.string(fields, "question", in: node, what: what) { satisfaction.question = text.trimmingCharacters() }
        if let text = file.string(fields, "thanks", in: node, what: what) { satisfaction.thanks = text.trimmingCharacters() }
    }
}
