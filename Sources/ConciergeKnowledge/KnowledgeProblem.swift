public import ConciergeEngine

/// Something wrong in the knowledge folder, reported like a compiler: `file:line: error: what; fix`.
public struct KnowledgeProblem: Sendable, Hashable, CustomStringConvertible {
    /// How bad the problem is.
    public enum Severity: String, Sendable, Hashable, Comparable {
        /// The knowledge still loads, but something is likely wrong.
        case warning
        /// The knowledge is wrong: `concierge check` fails.
        case error

        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var location: SourceLocation
    /// What is wrong, in one sentence.
    public var message: String
    /// What to do about it.
    public var fix: String?

    public init(_ severity: Severity, _ location: SourceLocation, _ message: String, fix: String? = nil) {
        self.severity = severity
        self.location = location
        self.message = message
        self.fix = fix
    }

    public var description: String {
        "\(location): \(severity.rawValue): \(message)" + (fix.map { "; \($0)" } ?? "")
    }
}

extension Array where Element == KnowledgeProblem {
    /// True when any problem is an error.
    public var hasErrors: Bool { contains { $0.severity == .error } }

    /// Problems in file order, then line, then message: a stable order for reports.
    public func sortedForReport() -> [KnowledgeProblem] {
        sorted {
            ($0.location.file, $0.location.line, $0.message) < ($1.location.file, $1.location.line, $1.message)
        }
    }
}
