public import ConciergeEngine
public import Foundation
import Yams

/// Reads a knowledge folder into a `KnowledgeBase`, collecting every problem with its file and line.
///
/// ```swift
/// let loaded = KnowledgeLoader.load(directory: URL(fileURLWithPath: "knowledge"))
/// for problem in loaded.problems { print(problem) }   // intents/orders.yaml:12: error: ...
/// let engine = try Engine(knowledge: loaded.knowledge)
/// ```
///
/// Loading never throws and never stops at the first mistake: a broken file is reported and the rest
/// still loads, so `concierge check` shows everything at once.
public enum KnowledgeLoader {
    /// What was read, and what is wrong with it.
    public struct Result: Sendable {
        public var knowledge: KnowledgeBase
        public var problems: [KnowledgeProblem]
        /// The number of files read.
        public var fileCount: Int
    }

    /// The settings file inside a knowledge folder.
    public static let settingsFileName = "settings.yaml"

    /// Loads `directory`; `settingsFile` replaces the folder's own `settings.yaml` when given.
    public static func load(directory: URL, settingsFile: URL? = nil) -> Result {
        var problems: [KnowledgeProblem] = []
        var knowledge = KnowledgeBase()
        var fileCount = 0
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            problems.append(
                KnowledgeProblem(
                    .error, SourceLocation(file: directory.path), "the knowledge folder does not exist",
                    fix: "pass the folder that holds intents/ and articles/ with --knowledge DIR"))
            return Result(knowledge: knowledge, problems: problems, fileCount: 0)
        }

        func read(_ url: URL, _ relative: String) -> String? {
            fileCount += 1
            guard let data = manager.contents(atPath: url.path) else {
                problems.append(KnowledgeProblem(.error, SourceLocation(file: relative), "the file cannot be read", fix: "check its permissions"))
                return nil
            }
            guard let text = String(data: data, encoding: .utf8) else {
                let line = Self.lineOfFirstInvalidUTF8(data)
                problems.append(
                    KnowledgeProblem(
                        .error, SourceLocation(file: relative, line: line), "the file is not valid UTF-8 (from this line)",
                        fix: "save it as UTF-8, or retype the characters on this line"))
                return nil
            }
            return text
        }

        // Settings first: they bound what the rest is checked against.
        let settingsURL = settingsFile ?? directory.appendingPathComponent(settingsFileName)
        let settingsName = settingsFile.map(\.path) ?? settingsFileName
        if manager.fileExists(atPath: settingsURL.path) {
            if let text = read(settingsURL, settingsName) {
                var file = YAMLFile(path: settingsName)
                knowledge.settings = SettingsReader.read(text, into: &file)
                problems += file.problems
            }
        } else if settingsFile != nil {
            problems.append(KnowledgeProblem(.error, SourceLocation(file: settingsName), "the settings file does not exist", fix: "check the path given to --config"))
        } else {
            problems.append(
                KnowledgeProblem(
                    .warning, SourceLocation(file: settingsName), "there is no settings.yaml: the default thresholds, texts, hours and teams apply",
                    fix: "copy the bundled knowledge/settings.yaml and edit it"))
        }

        for (url, relative) in files(in: directory, under: "intents", extensions: ["yaml", "yml"]) {
            guard let text = read(url, relative) else { continue }
            var file = YAMLFile(path: relative)
            knowledge.intents += IntentReader.read(text, family: url.deletingPathExtension().lastPathComponent, into: &file)
            problems += file.problems
        }
        for (url, relative) in files(in: directory, under: "articles", extensions: ["md", "markdown"]) {
            guard let text = read(url, relative) else { continue }
            var collected: [KnowledgeProblem] = []
            if let article = ArticleReader.read(text, path: relative, problems: &collected) { knowledge.articles.append(article) }
            problems += collected
        }
        if !["entities.yaml", "entities.yml"].contains(where: { manager.fileExists(atPath: directory.appendingPathComponent($0).path) }) {
            problems.append(
                KnowledgeProblem(
                    .warning, SourceLocation(file: "entities.yaml"), "there is no entities.yaml: no order numbers, emails or other values are recognised",
                    fix: "copy the bundled knowledge/entities.yaml and edit it"))
        }
        for name in ["entities.yaml", "entities.yml"] {
            let url = directory.appendingPathComponent(name)
            guard manager.fileExists(atPath: url.path), let text = read(url, name) else { continue }
            var file = YAMLFile(path: name)
            knowledge.entities += EntityReader.read(text, into: &file)
            problems += file.problems
        }
        for name in ["actions.yaml", "actions.yml"] {
            let url = directory.appendingPathComponent(name)
            guard manager.fileExists(atPath: url.path), let text = read(url, name) else { continue }
            var file = YAMLFile(path: name)
            knowledge.actions += ActionReader.read(text, into: &file)
            problems += file.problems
        }
        for name in ["synonyms.yaml", "synonyms.yml"] {
            let url = directory.appendingPathComponent(name)
            guard manager.fileExists(atPath: url.path), let text = read(url, name) else { continue }
            var file = YAMLFile(path: name)
            knowledge.synonyms += SynonymReader.read(text, into: &file)
            problems += file.problems
        }
        for (url, relative) in files(in: directory, under: "data", extensions: ["csv"]) {
            guard let text = read(url, relative) else { continue }
            do {
                let rows = try CSVTable.parseRows(text)
                guard let header = rows.first else {
                    problems.append(KnowledgeProblem(.warning, SourceLocation(file: relative), "the table is empty", fix: "add a header row and data rows"))
                    continue
                }
                for row in rows.dropFirst() where row.fields.count != header.fields.count {
                    problems.append(
                        KnowledgeProblem(
                            .error, SourceLocation(file: relative, line: row.line),
                            "the row has \(row.fields.count) fields but the header has \(header.fields.count)",
                            fix: "quote fields that contain commas"))
                }
                knowledge.tables.append(
                    DataTable(
                        name: url.deletingPathExtension().lastPathComponent, columns: header.fields.map { $0.trimmingCharacters() },
                        rows: rows.dropFirst().map(\.fields), location: SourceLocation(file: relative, line: 1)))
            } catch {
                problems.append(KnowledgeProblem(.error, SourceLocation(file: relative, line: error.line), error.message))
            }
        }
        if knowledge.intents.isEmpty && knowledge.articles.isEmpty {
            problems.append(
                KnowledgeProblem(
                    .error, SourceLocation(file: directory.path), "the folder holds no intents and no articles",
                    fix: "add intents/*.yaml or articles/*.md, or pass the right folder with --knowledge DIR"))
        }
        problems += KnowledgeValidator.validate(knowledge)
        switch BundledWordVectors.loaded {
        case .success(let table): knowledge.wordVectors = table
        case .failure(let failure):
            problems.append(
                KnowledgeProblem(
                    .warning, SourceLocation(file: failure.path), "the word-vector table was not read: \(failure.reason)",
                    fix: "rebuild Concierge (the table is a resource of ConciergeKnowledge), or set \(BundledWordVectors.environmentVariable)=off"))
        }
        return Result(knowledge: knowledge, problems: problems.sortedForReport(), fileCount: fileCount)
    }

    /// The 1-based line where `data` stops being valid UTF-8.
    static func lineOfFirstInvalidUTF8(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        var line = 1
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            let length = byte < 0x80 ? 1 : byte >> 5 == 0b110 ? 2 : byte >> 4 == 0b1110 ? 3 : byte >> 3 == 0b11110 ? 4 : 0
            guard length > 0, i + length <= bytes.count, String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return line }
            if byte == 0x0A { line += 1 }
            i += length
        }
        return line
    }

    /// Files under `directory/folder` with one of `extensions`, recursively, sorted by path.
    static func files(in directory: URL, under folder: String, extensions: Set<String>) -> [(URL, String)] {
        let root = directory.appendingPathComponent(folder)
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var found: [(URL, String)] = []
        let prefix = root.standardizedFileURL.path
        for case let url as URL in enumerator where extensions.contains(url.pathExtension.lowercased()) {
            if url.lastPathComponent.hasPrefix(".") || url.lastPathComponent.uppercased() == "README.MD" { continue }
            let path = url.standardizedFileURL.path
            let relative = folder + "/" + (path.hasPrefix(prefix + "/") ? String(path.dropFirst(prefix.count + 1)) : url.lastPathComponent)
            found.append((url, relative))
        }
        return found.sorted { $0.1 < $1.1 }
    }
}
