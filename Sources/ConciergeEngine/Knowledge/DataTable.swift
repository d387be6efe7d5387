/// A small CSV table from `data/`, read by lookup actions.
public struct DataTable: Sendable, Hashable {
    /// The file name without `.csv`, for example `orders`.
    public var name: String
    public var columns: [String]
    public var rows: [[String]]
    public var location: SourceLocation

    public init(name: String, columns: [String], rows: [[String]], location: SourceLocation = SourceLocation(file: "<memory>")) {
        self.name = name
        self.columns = columns
        self.rows = rows
        self.location = location
    }

    /// The first row whose `column` equals `value` (case-insensitively), as column → value.
    public func row(where column: String, equals value: String) -> [String: String]? {
        guard let index = columns.firstIndex(of: column) else { return nil }
        let wanted = value.lowercased()
        guard let row = rows.first(where: { index < $0.count && $0[index].lowercased() == wanted }) else { return nil }
        return record(row)
    }

    /// Every row whose `column` equals `value` (case-insensitively), in file order.
    public func rows(where column: String, equals value: String) -> [[String: String]] {
        guard let index = columns.firstIndex(of: column) else { return [] }
        let wanted = value.lowercased()
        return rows.filter { index < $0.count && $0[index].lowercased() == wanted }.map(record)
    }

    private func record(_ row: [String]) -> [String: String] {
        var out: [String: String] = [:]
        for (i, column) in columns.enumerated() { out[column] = i < row.count ? row[i] : "" }
        return out
    }
}
