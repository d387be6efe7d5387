/// Where something was written in the knowledge folder, so problems can say `file:line`.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The file, relative to the knowledge folder.
    public var file: String
    /// The 1-based line, or 0 when the whole file is meant.
    public var line: Int

    public init(file: String, line: Int = 0) {
        self.file = file
        self.line = line
    }

    public var description: String { line > 0 ? "\(file):\(line)" : file }
}
