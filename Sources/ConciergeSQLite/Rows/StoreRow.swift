import Foundation
import GRDB

/// The coding rules every table of the store shares.
///
/// - Dates in columns are REAL seconds since 1970: they sort correctly, `datetime(at, 'unixepoch')`
///   reads them in the `sqlite3` shell, and they round-trip a `Date` to well under a microsecond
///   (exactly, for dates with a whole number of milliseconds between 1985 and 2032).
/// - Nested values (conversation state, slots, transcript, profile...) are JSON text with sorted
///   keys, their own dates as seconds since 1970 too.
///
/// Each table has one row type, a plain `Codable` struct named after the table, with its column
/// names in a nested `enum Columns` (GRDB's recommended practices).
protocol StoreRow: Codable, FetchableRecord, MutablePersistableRecord {}

extension StoreRow {
    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }
    static func databaseJSONEncoder(for column: String) -> JSONEncoder { StoreJSON.encoder }
    static func databaseJSONDecoder(for column: String) -> JSONDecoder { StoreJSON.decoder }
}

/// JSON for the store's nested values. One encoder and one decoder for every column: they are
/// configured once and never changed, and encoding or decoding with them is thread-safe.
enum StoreJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        encoder.dateEncodingStrategy = .secondsSince1970
        encoder.nonConformingFloatEncodingStrategy = .throw
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()
}

extension Date {
    /// The value a date column holds: seconds since 1970. Bind this, never a `Date`, in raw SQL
    /// (GRDB would bind a `Date` as text).
    var databaseSeconds: Double { timeIntervalSince1970 }
}
