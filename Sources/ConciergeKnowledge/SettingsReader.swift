import ConciergeEngine
import Yams

/// Reads `settings.yaml` over the defaults in `Settings()`.
enum SettingsReader {
    static func read(_ text: String, into file: inout YAMLFile) -> Settings {
        var settings = Settings()
        guard let root = file.parse(text) else { return settings }
        guard let top = file.fields(of: root, allowed: ["assistant", "understanding", "texts"], what: "the settings") else {
            return settings
        }
        if let node = top["assistant"], let fields = file.fields(of: node, allowed: ["name", "company"], what: "`assistant`") {
            settings.assistantName = file.string(fields, "name", in: node, what: "`assistant`") ?? settings.assistantName
            settings.companyName = file.string(fields, "company", in: node, what: "`assistant`") ?? settings.companyName
        }
        if let node = top["understanding"],
            let fields = file.fields(
                of: node, allowed: ["answer_threshold", "fallback_threshold", "clarify_margin", "max_choices", "max_message_length"],
                what: "`understanding`")
        {
            let what = "`understanding`"
            settings.answerThreshold = file.number(fields, "answer_threshold", what: what, range: 0...1) ?? settings.answerThreshold
            settings.fallbackThreshold = file.number(fields, "fallback_threshold", what: what, range: 0...1) ?? settings.fallbackThreshold
            settings.clarifyMargin = file.number(fields, "clarify_margin", what: what, range: 0...1) ?? settings.clarifyMargin
            settings.maximumChoices = file.number(fields, "max_choices", what: what, range: 2...9).map { Int($0) } ?? settings.maximumChoices
            settings.maximumMessageLength =
                file.number(fields, "max_message_length", what: what, range: 10...1_000_000).map { Int($0) } ?? settings.maximumMessageLength
            if settings.fallbackThreshold > settings.answerThreshold {
                file.report(
                    .error, at: fields["fallback_threshold"], "fallback_threshold is above answer_threshold",
                    fix: "keep fallback_threshold ≤ answer_threshold")
            }
        }
        if let node = top["texts"] {
            let keys: [(String, WritableKeyPath<Settings.Texts, String>)] = [
                ("welcome", \.welcome), ("fallback", \.fallback), ("clarify", \.clarify), ("clarify_footer", \.clarifyFooter),
                ("empty", \.empty), ("no_words", \.noWords), ("offer_human", \.offerHuman), ("slot_invalid", \.slotInvalid),
                ("goodbye", \.goodbye),
            ]
            if let fields = file.fields(of: node, allowed: keys.map(\.0), what: "`texts`") {
                for (key, path) in keys {
                    if let text = file.string(fields, key, in: node, what: "`texts`") { settings.texts[keyPath: path] = text.trimmingCharacters() }
                }
            }
        }
        return settings
    }
}
