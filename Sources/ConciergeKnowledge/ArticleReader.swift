import ConciergeEngine
import Yams

/// Reads one `articles/**/*.md`: a YAML front matter between `---` lines, then the Markdown body.
enum ArticleReader {
    static let keys = ["id", "title", "questions", "tags", "summary"]

    static func read(_ text: String, path: String, problems: inout [KnowledgeProblem]) -> Article? {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        if lines.first?.hasPrefix("\u{FEFF}") == true { lines[0] = lines[0].dropFirst() }
        guard lines.first?.trimmingCharacters() == "---" else {
            problems.append(
                KnowledgeProblem(
                    .error, SourceLocation(file: path, line: 1), "the article has no front matter",
                    fix: "start the file with a `---` line, then `id:`, `title:` and `questions:`, then another `---`"))
            return nil
        }
        guard let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters() == "---" }) else {
            problems.append(
                KnowledgeProblem(.error, SourceLocation(file: path, line: 1), "the front matter is never closed", fix: "add a `---` line after it"))
            return nil
        }
        var file = YAMLFile(path: path, lineOffset: 1)
        let frontMatter = lines[1..<end].joined(separator: "\n")
        let body = lines[(end + 1)...].joined(separator: "\n").trimmingCharacters()
        defer { problems += file.problems }
        guard let root = file.parse(frontMatter), let fields = file.fields(of: root, allowed: keys, what: "the front matter") else {
            if frontMatter.trimmingCharacters().isEmpty {
                problems.append(KnowledgeProblem(.error, SourceLocation(file: path, line: 1), "the front matter is empty", fix: "add `id:` and `title:`"))
            }
            return nil
        }
        guard let id = file.string(fields, "id", in: root, what: "the article", required: true),
            let title = file.string(fields, "title", in: root, what: "article `\(id)`", required: true)
        else { return nil }
        if body.isEmpty {
            file.report(.warning, line: end + 1, "article `\(id)` has no body", fix: "write the article below the front matter")
        }
        return Article(
            id: id, title: title.trimmingCharacters(), questions: file.strings(fields, "questions", what: "article `\(id)`").map(\.0),
            tags: file.strings(fields, "tags", what: "article `\(id)`").map(\.0),
            summary: file.string(fields, "summary", in: root, what: "article `\(id)`")?.trimmingCharacters(), body: body,
            location: SourceLocation(file: path, line: file.line(of: fields["id"])))
    }
}
