import ConciergeStore
import Foundation
import GRDB

/// A row of the `customer` table: what Concierge remembers about one customer.
struct CustomerRow: StoreRow, PersistableRecord {
    static let databaseTableName = "customer"

    var id: String
    var name: String?
    /// JSON object: key → value and when it was learned.
    var fields: [String: CustomerProfile.RememberedValue]
    var updatedAt: Date

    enum Columns {
        static let id = Column(CodingKeys.id)
    }
}

extension CustomerRow {
    init(_ profile: CustomerProfile) {
        self.init(id: profile.id, name: profile.name, fields: profile.fields, updatedAt: profile.updatedAt)
    }

    var record: CustomerProfile { CustomerProfile(id: id, name: name, fields: fields, updatedAt: updatedAt) }
}
