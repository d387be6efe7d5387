/// A help-centre article from `articles/**/*.md`.
public struct Article: Sendable, Hashable {
    /// Unique kebab-case id, as reported in `articles[].id`.
    public var id: String
    public var title: String
    /// Other ways customers ask the article's question; weighted above the body in retrieval.
    public var questions: [String]
    public var tags: [String]
    /// What the chat says when it answers with this article; the body's first paragraph when absent.
    public var summary: String?
    /// The full article, Markdown.
    public var body: String
    public var location: SourceLocation

    public init(
        id: String, title: String, questions: [String] = [], tags: [String] = [], summary: String? = nil,
        body: String, location: SourceLocation = SourceLocation(file: "<memory>")
    ) {
        self.id = id
        self.title = title
        self.questions = questions
        self.tags = tags
        self.summary = summary
        self.body = body
        self.location = location
    }

    /// The text the chat shows: the summary, or the first paragraph of the body without Markdown marks.
    public var chatText: String {
        if let summary, !summary.isEmpty { return summary.trimmingWhitespace() }
        for paragraph in body.split(separator: "\n\n", omittingEmptySubsequences: true) {
            let text = paragraph.trimmingWhitespace()
            if text.isEmpty || text.hasPrefix("#") { continue }
            return text
        }
        return title
    }
}

extension StringProtocol {
    /// The string without leading and trailing spaces, tabs and newlines.
    func trimmingWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars[...]
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(scalars)
    }
}
