import ConciergeEngine
import Foundation

/// What `concierge forget` erases: a customer, found by id, email or phone, and every trace of their
/// personal data (their profile; their email, phone, name and id wherever a turn, a conversation's
/// state, a handoff packet, a message or a suggestion holds them). Rows stay, so counts for reports
/// do not change; the values in them become `Erasure.replacement`.
///
/// ```swift
/// let report = try await store.erase(Erasure(email: "maya.chen@example.com"))
/// print(report.isEmpty ? "nothing matched" : "erased from \(report.rows) rows")
/// ```
public struct Erasure: Sendable, Hashable {
    /// What erased values become.
    public static let replacement = "[erased]"

    /// The customer's id, when that is how they were named.
    public var customerID: String?
    /// Values to erase as given (an email, a phone number).
    public var values: [String]

    public init(customerID: String) {
        self.customerID = customerID
        values = [customerID]
    }

    public init(email: String) {
        customerID = nil
        values = [email.trimmingCharacters(in: .whitespaces)]
    }

    public init(phone: String) {
        customerID = nil
        values = Self.phoneForms(phone)
    }

    /// The ways a phone number is written: as given, its digits, and the usual groupings of a
    /// 10-digit number ((503) 555-0147, 503-555-0147, 503.555.0147, 503 555 0147).
    public static func phoneForms(_ phone: String) -> [String] {
        var digits = phone.filter(\.isNumber)
        var forms = [phone.trimmingCharacters(in: .whitespaces)]
        if digits.count == 11 && digits.hasPrefix("1") { digits.removeFirst() }
        if !digits.isEmpty { forms.append(digits) }
        if digits.count == 10 {
            let a = digits.prefix(3), b = digits.dropFirst(3).prefix(3), c = digits.suffix(4)
            forms += ["(\(a)) \(b)-\(c)", "\(a)-\(b)-\(c)", "\(a).\(b).\(c)", "\(a) \(b) \(c)", "+1 \(a) \(b) \(c)", "+1\(digits)"]
        }
        var seen: Set<String> = []
        return forms.filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    /// The slots of a conversation that hold who the customer is.
    public static let personalSlots = ["email", "phone", "name", "customer_name"]

    /// True when a conversation is the customer's: theirs by id, or holding the value named.
    public func matches(_ conversation: ConversationRecord, profiles: [CustomerProfile]) -> Bool {
        let ids = Set(profiles.map(\.id) + [customerID].compactMap { $0 })
        if let customer = conversation.customerID ?? conversation.state.customerID, ids.contains(customer) { return true }
        let slots = Self.personalSlots.compactMap { conversation.state.slots[$0] }
        return values.contains { value in slots.contains { $0.caseInsensitiveCompare(value) == .orderedSame || Self.sameDigits($0, value) } }
    }

    /// Everything to erase once the matching profiles and conversations are known: the request's
    /// values, each profile's id, name, email and phone, and the personal slots of each of the
    /// customer's conversations (in all their forms), longest first so a value that contains
    /// another is replaced whole.
    public func values(with profiles: [CustomerProfile], conversations: [ConversationRecord] = []) -> [String] {
        var all = values
        for conversation in conversations {
            for slot in Self.personalSlots {
                guard let value = conversation.state.slots[slot] else { continue }
                all += slot == "phone" ? Self.phoneForms(value) : [value]
            }
        }
        for profile in profiles {
            all.append(profile.id)
            if let name = profile.name, name.count >= 3 { all.append(name) }
            for key in ["email", "phone"] {
                guard let value = profile.fields[key]?.value else { continue }
                all += key == "phone" ? Self.phoneForms(value) : [value]
            }
        }
        var seen: Set<String> = []
        return all.filter { $0.count >= 3 && seen.insert($0.lowercased()).inserted }.sorted { ($0.count, $0) > ($1.count, $1) }
    }

    /// True when a profile belongs to the customer named.
    public func matches(_ profile: CustomerProfile) -> Bool {
        if let customerID { return profile.id == customerID }
        let held = [profile.fields["email"]?.value, profile.fields["phone"]?.value].compactMap { $0 }
        return values.contains { value in held.contains { $0.caseInsensitiveCompare(value) == .orderedSame || Self.sameDigits($0, value) } }
    }

    static func sameDigits(_ a: String, _ b: String) -> Bool {
        let x = a.filter(\.isNumber), y = b.filter(\.isNumber)
        return x.count >= 7 && x == y
    }

    /// `text` with every value replaced, ignoring case.
    public static func scrub(_ text: String, values: [String]) -> String {
        var out = text
        for value in values where out.range(of: value, options: .caseInsensitive) != nil {
            out = out.replacingOccurrences(of: value, with: replacement, options: .caseInsensitive)
        }
        return out
    }
}

/// What an erasure changed.
public struct ErasureReport: Sendable, Hashable, Codable {
    /// Profiles removed.
    public var profiles = 0
    /// Rows in which a value was replaced, per kind (conversations, turns, handoffs, messages...).
    public var rowsByKind: [String: Int] = [:]

    public init() {}

    /// Rows changed in all.
    public var rows: Int { rowsByKind.values.reduce(0, +) }
    /// True when nothing matched.
    public var isEmpty: Bool { profiles == 0 && rows == 0 }
}

extension Erasure {
    /// `record` with every value replaced in its encoded form, or nil when it holds none: how a
    /// store that keeps records as values (in memory, or as JSON) scrubs them.
    public static func scrubbed<T: Codable>(_ record: T, values: [String]) -> T? {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .secondsSince1970
        guard let data = try? encoder.encode(record) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let scrubbed = scrub(text, values: values)
        guard scrubbed != text else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return try? decoder.decode(T.self, from: Data(scrubbed.utf8))
    }
}
