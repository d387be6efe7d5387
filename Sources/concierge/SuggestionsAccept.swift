import ArgumentParser
import ConciergeKnowledge
import ConciergeStore
import Foundation

extension Concierge.Suggestions {
    /// `concierge suggestions accept ID`: an author approves a suggestion into knowledge/.
    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a suggested example to its intent in knowledge/intents/ (then run check and replay).")

        @OptionGroup var storeOptions: StoreOptions

        @Option(name: .long, help: ArgumentHelp("The knowledge folder.", valueName: "dir"))
        var knowledge: String = "knowledge"

        @Argument(help: "The suggestion's number, as `concierge suggestions` lists it.")
        var id: Int

        func run() throws {
            let store = try storeOptions.open()
            guard let suggestion = try blocking({ try await store.suggestions() }).first(where: { $0.id == id }) else {
                Output.error("concierge: no suggestion #\(id); `concierge suggestions` lists them")
                throw ExitCode(2)
            }
            guard suggestion.target.hasPrefix("intent:") else {
                Output.error("concierge: suggestion #\(id) is for \(suggestion.target); add it to that article's questions by hand")
                throw ExitCode(2)
            }
            let intent = String(suggestion.target.dropFirst("intent:".count))
            let folder = URL(fileURLWithPath: knowledge).appendingPathComponent("intents")
            let files = (try? FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)) ?? []
            for file in files.sorted(by: { $0.path < $1.path }) where ["yaml", "yml"].contains(file.pathExtension) {
                guard let text = try? String(contentsOf: file, encoding: .utf8),
                    let updated = ExampleInserter.insert(suggestion.text, intoIntent: intent, in: text)
                else { continue }
                // The knowledge must still pass `check` with the example in: otherwise nothing changes.
                let before = KnowledgeLoader.load(directory: URL(fileURLWithPath: knowledge)).problems.filter { $0.severity == .error }.count
                try updated.write(to: file, atomically: true, encoding: .utf8)
                let after = KnowledgeLoader.load(directory: URL(fileURLWithPath: knowledge)).problems.filter { $0.severity == .error }
                if after.count > before {
                    try text.write(to: file, atomically: true, encoding: .utf8)
                    Output.error("concierge: suggestion #\(id) would break the knowledge (\(after.first.map { "\($0)" } ?? "check fails")); nothing was changed. Edit it into \(knowledge)/intents/ by hand.")
                    throw ExitCode(1)
                }
                Output.line("Added “\(suggestion.text)” to the examples of \(intent) in \(knowledge)/intents/\(file.lastPathComponent).")
                Output.line("Run `concierge check` and `concierge replay` before you ship it.")
                return
            }
            Output.error("concierge: no intent \(intent) with an examples list in \(knowledge)/intents/ (or the example is already there)")
            throw ExitCode(2)
        }
    }
}

/// Adding one example to an intent's list in a YAML file, keeping everything else as it was.
enum ExampleInserter {
    /// The file with `example` added after the intent's last example, or nil when the intent or its
    /// list is not there, or the example is already in it.
    static func insert(_ example: String, intoIntent intent: String, in text: String) -> String? {
        var lines = text.components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "- name: \(intent)" }) else { return nil }
        let intentIndent = String(lines[start].prefix { $0 == " " })
        var end = lines.count
        for i in (start + 1)..<lines.count where lines[i].hasPrefix(intentIndent + "- ") {
            end = i
            break
        }
        guard let examples = (start..<end).first(where: { lines[$0].trimmingCharacters(in: .whitespaces) == "examples:" }) else { return nil }
        var last = examples
        var itemIndent = intentIndent + "    "
        for i in (examples + 1)..<end {
            let trimmed = lines[i].trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("- ") {
                last = i
                itemIndent = String(lines[i].prefix { $0 == " " })
                let existing = trimmed.dropFirst(2).trimmingCharacters(in: CharacterSet(charactersIn: "\"' "))
                if existing.lowercased() == example.lowercased() { return nil }
            } else if !trimmed.isEmpty && !trimmed.hasPrefix("#") {
                break
            }
        }
        let escaped = example.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        lines.insert(itemIndent + "- \"" + escaped + "\"", at: last + 1)
        return lines.joined(separator: "\n")
    }
}
