import ConciergeEngine
import Foundation
import Yams

/// Reads `settings.yaml` over the defaults in `Settings()`.
enum SettingsReader {
    static func read(_ text: String, into file: inout YAMLFile) -> Settings {
        var settings = Settings()
        guard let root = file.parse(text) else { return settings }
        guard let top = file.fields(of: root, allowed: ["assistant", "understanding", "texts", "handoff", "queues", "memory", "identity", "satisfaction"], what: "the settings") else {
            return settings
        }
        if let node = top["assistant"], let fields = file.fields(of: node, allowed: ["name", "company"], what: "`assistant`") {
            settings.assistantName = file.string(fields, "name", in: node, what: "`assistant`") ?? settings.assistantName
            settings.companyName = file.string(fields, "company", in: node, what: "`assistant`") ?? settings.companyName
        }
        if let node = top["understanding"],
            let fields = file.fields(
                of: node, allowed: ["answer_threshold", "fallback_threshold", "clarify_margin", "max_choices", "max_message_length", "word_vectors"],
                what: "`understanding`")
        {
            let what = "`understanding`"
            settings.answerThreshold = file.number(fields, "answer_threshold", what: what, range: 0...1) ?? settings.answerThreshold
            settings.fallbackThreshold = file.number(fields, "fallback_threshold", what: what, range: 0...1) ?? settings.fallbackThreshold
            settings.clarifyMargin = file.number(fields, "clarify_margin", what: what, range: 0...1) ?? settings.clarifyMargin
            settings.maximumChoices = file.number(fields, "max_choices", what: what, range: 2...9).map { Int($0) } ?? settings.maximumChoices
            settings.maximumMessageLength =
                file.number(fields, "max_message_length", what: what, range: 10...1_000_000).map { Int($0) } ?? settings.maximumMessageLength
            settings.wordVectorWeight = file.number(fields, "word_vectors", what: what, range: 0...10) ?? settings.wordVectorWeight
            if settings.fallbackThreshold > settings.answerThreshold {
                file.report(
                    .error, at: fields["fallback_threshold"], "fallback_threshold is above answer_threshold",
                    fix: "keep fallback_threshold ≤ answer_threshold")
            }
        }
        if let node = top["texts"] {
            let keys: [(String, WritableKeyPath<Settings.Texts, String>)] = [
                ("welcome", \.welcome), ("fallback", \.fallback), ("clarify", \.clarify), ("clarify_footer", \.clarifyFooter), ("clarify_one", \.clarifyOne), ("apology", \.apology), ("not_yours", \.notYours),
                ("empty", \.empty), ("no_words", \.noWords), ("offer_human", \.offerHuman), ("slot_invalid", \.slotInvalid),
                ("goodbye", \.goodbye), ("handoff_queued", \.handoffQueued), ("handoff_closed", \.handoffClosed),
                ("handoff_waiting", \.handoffWaiting), ("masked", \.masked), ("not_helpful", \.notHelpful), ("resume", \.resume),
                ("corrected", \.corrected), ("declined", \.declined), ("welcome_back", \.welcomeBack),
                ("welcome_back_order", \.welcomeBackOrder),
                ("anything_else", \.anythingElse),
                ("what_today", \.whatToday),
                ("confirmed", \.confirmed),
                ("noted", \.noted),
                ("noted_before_choice", \.notedBeforeChoice),
                ("unreadable", \.unreadable),
                ("not_helpful_none", \.notHelpfulNoAlternative),
                ("handoff_customer_request", \.handoffCustomerRequest),
                ("handoff_policy", \.handoffPolicy),
                ("handoff_frustration", \.handoffFrustration),
                ("handoff_low_confidence", \.handoffLowConfidence),
                ("handoff_repeated_failure", \.handoffRepeatedFailure),
                ("handoff_action_failed", \.handoffActionFailed),
                ("handoff_saving", \.handoffSaving),
                ("handoff_still_saving", \.handoffStillSaving),
                ("relay_held", \.relayHeld),
                ("relay_out_of_hours", \.relayOutOfHours),
                ("relayed", \.relayed),
                ("handed_back", \.handedBack),
                ("handoff_ended", \.handoffEnded),
                ("message_cut", \.messageCut),
                ("identity_locked", \.identityLocked),
            ]
            if let fields = file.fields(of: node, allowed: keys.map(\.0), what: "`texts`") {
                for (key, path) in keys {
                    if let text = file.string(fields, key, in: node, what: "`texts`") { settings.texts[keyPath: path] = text.trimmingCharacters() }
                }
            }
        }
        if let node = top["handoff"] { readHandoff(node, into: &settings.handoff, file: &file) }
        if let node = top["satisfaction"] { readSatisfaction(node, into: &settings.satisfaction, file: &file) }
        if let node = top["queues"] {
            if case .mapping(let mapping) = node {
                var queues: [String: Settings.QueueSettings] = [:]
                for (key, value) in mapping {
                    guard let name = key.scalar?.string else { continue }
                    let what = "queue `\(name)`"
                    guard let fields = file.fields(of: value, allowed: ["label", "first_response_minutes"], what: what) else { continue }
                    queues[name] = Settings.QueueSettings(
                        label: file.string(fields, "label", in: value, what: what) ?? name,
                        firstResponseMinutes: file.number(fields, "first_response_minutes", what: what, range: 1...100_000) ?? 10)
                }
                settings.queues = queues
            } else {
                file.report(.error, at: node, "`queues` must map each team to its settings", fix: "write `orders: {label: Orders, first_response_minutes: 10}`")
            }
        }
        if let node = top["identity"], let fields = file.fields(of: node, allowed: ["max_failed_checks", "window_minutes"], what: "`identity`") {
            settings.identityCheckLimit =
                file.number(fields, "max_failed_checks", what: "`identity`", range: 1...100).map { Int($0) } ?? settings.identityCheckLimit
            settings.identityCheckWindowMinutes =
                file.number(fields, "window_minutes", what: "`identity`", range: 1...100_000).map { Int($0) } ?? settings.identityCheckWindowMinutes
        }
        if let node = top["memory"], let fields = file.fields(of: node, allowed: ["retention_days", "sweep_every_hours"], what: "`memory`") {
            settings.sweepEveryHours =
                file.number(fields, "sweep_every_hours", what: "`memory`", range: 0...100_000).map { Int($0) } ?? settings.sweepEveryHours
            if let days = fields["retention_days"] { readRetention(days, into: &settings, file: &file) }
        }
        return settings
    }

    /// `memory.retention_days`: days per kind of memory.
    static func readRetention(_ days: Node, into settings: inout Settings, file: inout YAMLFile) {
        if case .mapping(let mapping) = days {
            for (key, value) in mapping {
                guard let kind = key.scalar?.string else { continue }
                guard let number = value.scalar.flatMap({ Int($0.string) }), number >= 0 else {
                    file.report(.error, at: value, "the retention of `\(kind)` must be a whole number of days")
                    continue
                }
                settings.retentionDays[kind] = number
            }
        } else {
            file.report(.error, at: days, "`retention_days` must map each kind of memory to days", fix: "write `order: 90`")
        }
    }

    static let weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    static func readHandoff(_ node: Node, into handoff: inout Settings.HandoffSettings, file: inout YAMLFile) {
        let keys = [
            "triggers", "frustration_threshold", "fallbacks_before_handoff", "not_helpful_before_handoff", "lease_minutes",
            "minutes_per_customer", "time_zone", "hours", "reply_within_hours", "default_queue",
        ]
        let what = "`handoff`"
        guard let fields = file.fields(of: node, allowed: keys, what: what) else { return }
        if fields["triggers"] != nil {
            var triggers: Set<HandoffReason> = []
            for (name, location) in file.strings(fields, "triggers", what: what) {
                if let reason = HandoffReason(rawValue: name) {
                    triggers.insert(reason)
                } else {
                    file.report(
                        .error, line: location.line, "unknown trigger `\(name)`",
                        fix: "use any of: \(HandoffReason.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            handoff.triggers = triggers
        }
        handoff.frustrationThreshold = file.number(fields, "frustration_threshold", what: what, range: 0...1) ?? handoff.frustrationThreshold
        handoff.fallbacksBeforeHandoff =
            file.number(fields, "fallbacks_before_handoff", what: what, range: 1...100).map { Int($0) } ?? handoff.fallbacksBeforeHandoff
        handoff.notHelpfulBeforeHandoff =
            file.number(fields, "not_helpful_before_handoff", what: what, range: 1...100).map { Int($0) } ?? handoff.notHelpfulBeforeHandoff
        handoff.leaseMinutes = file.number(fields, "lease_minutes", what: what, range: 0.1...1_440) ?? handoff.leaseMinutes
        handoff.minutesPerCustomer = file.number(fields, "minutes_per_customer", what: what, range: 0.1...1_440) ?? handoff.minutesPerCustomer
        handoff.defaultQueue = file.string(fields, "default_queue", in: node, what: what) ?? handoff.defaultQueue
        handoff.replyWithinHours = file.number(fields, "reply_within_hours", what: what, range: 0...240).map { Int($0) } ?? handoff.replyWithinHours
        if let zone = file.string(fields, "time_zone", in: node, what: what) {
            if TimeZone(identifier: zone) == nil {
                file.report(.error, at: fields["time_zone"], "unknown time zone `\(zone)`", fix: "use an IANA name such as America/Chicago")
            } else {
                handoff.timeZone = zone
            }
        }
        if let hoursNode = fields["hours"], let days = file.fields(of: hoursNode, allowed: weekdays, what: "`handoff.hours`") {
            var hours: [Int: Range<Int>] = [:]
            for (index, day) in weekdays.enumerated() {
                guard let text = file.string(days, day, in: hoursNode, what: "`handoff.hours`") else { continue }
                if text.lowercased() == "closed" { continue }
                guard let range = parseHours(text) else {
                    file.report(.error, at: days[day], "`\(day)` hours must look like 08:00-20:00, or closed", fix: "write `\(day): 08:00-20:00`")
                    continue
                }
                hours[index + 1] = range
            }
            handoff.hours = hours
        }
    }

    /// "08:00-20:00" → minutes after midnight.
    static func parseHours(_ text: String) -> Range<Int>? {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters() }
        guard parts.count == 2, let open = minutes(parts[0]), let close = minutes(parts[1]), open < close else { return nil }
        return open..<close
    }

    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), (0...24).contains(hours), (0..<60).contains(minutes) else {
            return nil
        }
        return hours * 60 + minutes
    }
}
