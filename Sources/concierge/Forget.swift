import ArgumentParser
import ConciergeStore
import Foundation

extension Concierge {
    /// `concierge forget`: erases a customer's personal data from the store.
    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase a customer's personal data from every stored table.",
            discussion: """
                Removes the customer's profile and replaces their email, phone, name and id with [erased] in \
                every stored turn, conversation state, handoff packet, message and suggestion. The rows stay, \
                so conversation and handoff counts do not change. Exits 0 when done, 1 when nothing matched.
                """)

        @Option(name: .long, help: ArgumentHelp("The customer's id (for example C1001).", valueName: "id"))
        var customer: String?

        @Option(name: .long, help: ArgumentHelp("An email address the customer used.", valueName: "address"))
        var email: String?

        @Option(name: .long, help: ArgumentHelp("A phone number the customer used (any formatting).", valueName: "number"))
        var phone: String?

        @OptionGroup var storeOptions: StoreOptions

        @Flag(name: .long, help: "Print what was erased as one JSON object.")
        var json = false

        func validate() throws {
            let given = [customer, email, phone].compactMap { $0 }
            guard given.count == 1 else {
                throw ValidationError("name the customer one way: --customer C1001, --email ADDRESS or --phone NUMBER")
            }
            guard given[0].trimmingCharacters(in: .whitespaces).count >= 3 else {
                throw ValidationError("that is too short to name a customer; give the whole id, email or phone number")
            }
            if let phone, phone.filter(\.isNumber).count < 7 {
                throw ValidationError("--phone needs the whole number, for example --phone 503-555-0147")
            }
        }

        func run() throws {
            let store = try storeOptions.open()
            let erasure = customer.map { Erasure(customerID: $0) } ?? email.map { Erasure(email: $0) } ?? Erasure(phone: phone ?? "")
            let report = try blocking { try await store.erase(erasure) }
            let who = customer ?? email ?? phone ?? ""
            if json {
                Output.line(HandoffFormatter.json(ForgetReport(customer: who, profiles: report.profiles, rows: report.rowsByKind)))
            } else if !report.isEmpty {
                let rows = report.rowsByKind.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
                Output.line(
                    "Forgot \(who): \(report.profiles == 1 ? "1 profile" : "\(report.profiles) profiles") removed"
                        + (rows.isEmpty ? "." : "; personal data erased from \(rows)."))
            }
            if report.isEmpty {
                Output.error("concierge: nothing in the store matches \(who); check the spelling, or try --email or --phone")
                throw ExitCode(1)
            }
        }
    }
}

/// `forget --json`.
struct ForgetReport: Encodable {
    let customer: String
    let profiles: Int
    let rows: [String: Int]
}
