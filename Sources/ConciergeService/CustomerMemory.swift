public import ConciergeEngine
public import ConciergeStore
public import Foundation

/// What Concierge carries from one conversation to the next for a customer, and for how long.
///
/// Remembered: the email, phone and name they gave, the orders they asked about (`order:A10234`),
/// their last topic and open requests (handoffs). Each field expires after the retention period set
/// for its kind in settings. Card numbers, passwords and security answers are never among them:
/// they are masked before anything reads a message.
public enum CustomerMemory {
    /// The kind of a remembered field, which decides its retention period.
    static func kind(of key: String) -> String {
        if key.hasPrefix("order:") { return "order" }
        if key.hasPrefix("request:") { return "request" }
        if key == "last_topic" { return "topic" }
        return key
    }

    /// The profile without fields older than their retention period.
    public static func applyingRetention(_ profile: CustomerProfile, settings: Settings, now: Date) -> CustomerProfile {
        var kept = profile
        kept.fields = profile.fields.filter { key, value in
            let days = settings.retentionDays[kind(of: key)] ?? 30
            return now.timeIntervalSince(value.learnedAt) <= Double(days) * 86_400
        }
        return kept
    }

    /// The profile updated with what this conversation has taught.
    public static func updating(_ profile: CustomerProfile, with state: ConversationState, handoffID: String?, now: Date) -> CustomerProfile {
        var updated = profile
        func learn(_ key: String, _ value: String?) {
            guard let value, !value.isEmpty else { return }
            if updated.fields[key]?.value != value || updated.fields[key] == nil {
                updated.fields[key] = .init(value: value, learnedAt: now)
            }
        }
        learn("email", state.slots["email"])
        learn("phone", state.slots["phone"])
        for order in state.mentioned["order_id"] ?? [] {
            if updated.fields["order:" + order] == nil || order == state.slots["order_id"] {
                updated.fields["order:" + order] = .init(value: order, learnedAt: now)
            }
        }
        learn("last_topic", state.topic?.intent ?? state.topic?.article)
        if let handoffID { learn("request:" + handoffID, handoffID) }
        updated.updatedAt = now
        return updated
    }

    /// The slot values a returning customer need not give again.
    public static func knownSlots(_ profile: CustomerProfile) -> [String: String] {
        var slots: [String: String] = [:]
        for key in ["email", "phone"] { if let value = profile.fields[key]?.value { slots[key] = value } }
        return slots
    }

    /// The order the customer asked about most recently, with when.
    public static func recentOrder(_ profile: CustomerProfile) -> (id: String, learnedAt: Date)? {
        profile.fields.filter { $0.key.hasPrefix("order:") }
            .max { ($0.value.learnedAt, $0.key) < ($1.value.learnedAt, $1.key) }
            .map { ($0.value.value, $0.value.learnedAt) }
    }
}
