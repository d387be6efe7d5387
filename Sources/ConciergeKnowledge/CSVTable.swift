/// Reads CSV as RFC 4180 describes it: comma-separated fields, optional double quotes around a
/// field, `""` for a quote inside one, quoted fields spanning lines, CRLF or LF line ends.
///
/// ```swift
/// let rows = try CSVTable.parse("text,label\n\"Hi, there\",greeting\n")
/// // [["text", "label"], ["Hi, there", "greeting"]]
/// ```
public enum CSVTable {
    /// A CSV syntax error with the 1-based line it starts on.
    public struct SyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// A parsed row with the line it starts on.
    public struct Row: Sendable, Hashable {
        public var line: Int
        public var fields: [String]
    }

    /// Every row of `text`, blank lines skipped.
    public static func parse(_ text: String) throws(SyntaxError) -> [[String]] {
        try parseRows(text).map(\.fields)
    }

    /// Every row of `text` with its line number, blank lines skipped.
    public static func parseRows(_ text: String) throws(SyntaxError) -> [Row] {
        var rows: [Row] = []
        var field: [UInt8] = []
        var fields: [String] = []
        var line = 1
        var rowLine = 1
        var inQuotes = false
        var quoteLine = 0
        var fieldWasQuoted = false
        let bytes = Array(text.utf8)
        var i = 0
        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldWasQuoted = false
        }
        func endRow() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) { rows.append(Row(line: rowLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }
        while i < bytes.count {
            let byte = bytes[i]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte)
                        i += 2
                        continue
                    }
                    inQuotes = false
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
                i += 1
                continue
            }
            switch byte {
            case UInt8(ascii: ","):
                endField()
            case UInt8(ascii: "\""):
                if field.isEmpty && !fieldWasQuoted {
                    inQuotes = true
                    fieldWasQuoted = true
                    quoteLine = line
                } else {
                    throw SyntaxError(line: line, message: "a quote inside an unquoted field; quote the whole field and write the quote as \"\"")
                }
            case UInt8(ascii: "\r"):
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") { break }
                endRow()
                line += 1
                rowLine = line
            case UInt8(ascii: "\n"):
                endRow()
                line += 1
                rowLine = line
            default:
                if fieldWasQuoted {
                    throw SyntaxError(line: line, message: "text after a closing quote; put the whole field inside the quotes")
                }
                field.append(byte)
            }
            i += 1
        }
        if inQuotes { throw SyntaxError(line: quoteLine, message: "a quoted field is never closed") }
        if !field.isEmpty || !fields.isEmpty || fieldWasQuoted { endRow() }
        return rows
    }
}
