/// A lookup that answers from a data table, declared in `actions.yaml`: find the row for a slot's
/// value, check the customer may see it, and reply with a template chosen by one of its columns.
///
/// ```yaml
/// actions:
///   - name: lookup_order
///     table: orders
///     key: {slot: order_id, column: order_id}
///     verify: {slot: email, column: email, customer_column: customer_id}
///     by: status
///     replies:
///       shipped: Order {order_id} shipped on {shipped} with {carrier}; it should arrive by {eta}.
///       default: Order {order_id} is {status}.
///     summary:
///       delivered: order {order_id} (delivered {delivered})
///       default: order {order_id} ({status})
///     not_found: I can't find an order {order_id}.
/// ```
public struct LookupAction: Sendable, Hashable {
    public var name: String
    /// The data table (the CSV's file name without `.csv`).
    public var table: String
    /// The slot whose value is looked up, and the column it must equal.
    public var keySlot: String
    public var keyColumn: String
    /// The identity check before anything is disclosed: the slot (an email, say) that must equal
    /// `verifyColumn`, unless the identified customer's id equals `customerColumn`.
    public var verifySlot: String?
    public var verifyColumn: String?
    public var customerColumn: String?
    /// The question that asks for the verifying value.
    public var verifyPrompt: String?
    /// The column whose value picks the reply (empty values read as `none`; a date column `X` also
    /// offers `X_passed`, `yes` once the date is behind us).
    public var by: String?
    /// Reply templates by the `by` column's value; `default` for any other. `{column}` fills in a
    /// value of the row, `{slot}` a slot.
    public var replies: [String: String]
    /// How the agent's handoff summary names the row, chosen like `replies` ("order A10234
    /// (delivered November 3)"); empty: the key slot and its value.
    public var summaries: [String: String]
    /// Said (then the key slot is asked again) when no row matches.
    public var notFound: String
    /// Said when the verifying value does not match.
    public var verifyFailed: String
    public var location: SourceLocation

    public init(
        name: String, table: String, keySlot: String, keyColumn: String, verifySlot: String? = nil, verifyColumn: String? = nil,
        customerColumn: String? = nil, verifyPrompt: String? = nil, by: String? = nil, replies: [String: String], summaries: [String: String] = [:],
        notFound: String, verifyFailed: String, location: SourceLocation = SourceLocation(file: "<memory>")
    ) {
        self.name = name
        self.table = table
        self.keySlot = keySlot
        self.keyColumn = keyColumn
        self.verifySlot = verifySlot
        self.verifyColumn = verifyColumn
        self.customerColumn = customerColumn
        self.verifyPrompt = verifyPrompt
        self.by = by
        self.replies = replies
        self.summaries = summaries
        self.notFound = notFound
        self.verifyFailed = verifyFailed
        self.location = location
    }
}
