import Foundation

/// What a replay prints: a diff for each difference with its file, line and class, a summary, and
/// the closing line `N passed, N failed`; or JUnit XML for CI systems.
///
/// ```swift
/// print(ReplayReport.text(outcome, colors: isatty(1) == 1))
/// try ReplayReport.junit(outcome).write(toFile: "replay.xml", atomically: true, encoding: .utf8)
/// ```
public enum ReplayReport {
    /// The whole report: each failing transcript's differences, the summary, coverage when given,
    /// and the closing line. `updated` names the transcripts `--update` rewrote (they count as
    /// passed once nothing they still expect fails).
    public static func text(
        _ outcome: ReplayOutcome, colors: Bool, coverage: [ReplayCoverage] = [], updated: [String: TranscriptUpdater.Update] = [:]
    ) -> String {
        let style = Style(enabled: colors)
        var out: [String] = []
        for replayed in outcome.transcripts {
            if !replayed.result.passed {
                out.append(failure(replayed.result, style: style, update: updated[replayed.file.name]))
            } else if let update = updated[replayed.file.name], update.filled > 0 {
                out.append(
                    style.yellow("↻ \(replayed.file.name)")
                        + style.dim(" filled in \(update.filled) line\(update.filled == 1 ? "" : "s") of expectations: read them"))
            }
        }
        let counts = tally(outcome, updated: updated)
        out.append(summary(outcome, counts: counts, style: style))
        if !coverage.isEmpty { out.append(self.coverage(coverage, colors: colors)) }
        out.append(closingLine(passed: counts.passed, failed: counts.failed))
        return out.joined(separator: "\n") + "\n"
    }

    /// `N passed, N failed`: the last line of every replay.
    public static func closingLine(passed: Int, failed: Int) -> String { "\(passed) passed, \(failed) failed" }

    /// Passed and failed counts, with rewritten transcripts counted as passed when nothing they
    /// expect still fails.
    public static func tally(_ outcome: ReplayOutcome, updated: [String: TranscriptUpdater.Update] = [:]) -> (passed: Int, failed: Int) {
        var passed = 0
        for replayed in outcome.transcripts {
            if replayed.result.passed {
                passed += 1
            } else if let update = updated[replayed.file.name], update.kept.isEmpty, replayed.result.problems.isEmpty {
                passed += 1
            }
        }
        return (passed, outcome.transcripts.count - passed)
    }

    /// One transcript's block: a heading, then each difference as a small diff.
    public static func failure(_ result: TranscriptResult, colors: Bool) -> String {
        failure(result, style: Style(enabled: colors), update: nil)
    }

    static func failure(_ result: TranscriptResult, style: Style, update: TranscriptUpdater.Update?) -> String {
        var lines: [String] = []
        if result.isBroken {
            lines.append(style.red("✗ \(result.file)") + style.dim(" could not run"))
            for problem in result.problems { lines.append("  " + problem.description) }
            return lines.joined(separator: "\n")
        }
        let count = result.mismatches.count
        let classes = DifferenceClass.allCases.reversed().compactMap { kind -> String? in
            let n = result.mismatches.count { $0.difference == kind }
            return n == 0 ? nil : "\(n) \(kind)"
        }
        let verb = update.map { $0.kept.isEmpty ? "updated" : "partly updated" } ?? "differs"
        let filled = (update?.filled ?? 0) > 0 ? "; filled in \(update?.filled ?? 0) lines of new expectations" : ""
        lines.append(
            (update?.kept.isEmpty == true ? style.yellow("↻ \(result.file)") : style.red("✗ \(result.file)"))
                + style.dim(" \(verb): \(count) difference\(count == 1 ? "" : "s") (\(classes.joined(separator: ", ")))\(filled)"))
        let kept = Set((update?.kept ?? []).map(\.line))
        for mismatch in result.mismatches {
            lines.append(self.mismatch(mismatch, style: style))
            if update != nil {
                lines.append(
                    kept.contains(mismatch.line)
                        ? style.yellow("    kept as written (your own check): edit it by hand")
                        : style.dim("    rewritten"))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// One difference: where, what, its class, then expected (`-`) and actual (`+`).
    public static func mismatch(_ mismatch: Mismatch, colors: Bool) -> String { self.mismatch(mismatch, style: Style(enabled: colors)) }

    static func mismatch(_ mismatch: Mismatch, style: Style) -> String {
        var heading = "  \(mismatch.file):\(mismatch.line): \(mismatch.subject)"
        if let turn = mismatch.turn { heading += " of turn \(turn)" }
        if let message = mismatch.message {
            let short = message.count > 60 ? String(message.prefix(57)) + "..." : message
            heading += " (“\(short)”)"
        }
        var lines = [style.bold(heading) + " " + style.classColor(mismatch.difference, "[\(mismatch.difference)]")]
        let expected = mismatch.expected.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let actual = mismatch.actual.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let looser = mismatch.replacement == nil && (mismatch.subject.hasSuffix("(contains)") || mismatch.subject.hasSuffix("(pattern)"))
        if looser || mismatch.subject == "agent step" {
            lines += expected.map { "    " + style.red("- " + $0) }
            lines += actual.map { "    " + style.green("+ " + $0) }
            return lines.joined(separator: "\n")
        }
        let edits = TextDiff.diff(expected, actual)
        var index = 0
        while index < edits.count {
            switch edits[index] {
            case .same(let line):
                lines.append("    " + style.dim("  " + line))
                index += 1
            case .removed, .added:
                var removed: [String] = []
                var added: [String] = []
                while index < edits.count {
                    if case .removed(let line) = edits[index] {
                        removed.append(line)
                    } else if case .added(let line) = edits[index] {
                        added.append(line)
                    } else {
                        break
                    }
                    index += 1
                }
                if removed.count == added.count, style.enabled {
                    // Show which words changed inside each pair of lines.
                    for (old, new) in zip(removed, added) {
                        let (a, b) = wordHighlight(old, new, style: style)
                        lines.append("    " + style.red("- ") + a)
                        lines.append("    " + style.green("+ ") + b)
                    }
                } else {
                    lines += removed.map { "    " + style.red("- " + $0) }
                    lines += added.map { "    " + style.green("+ " + $0) }
                    // Without colours, say which words changed in a long line.
                    if removed.count == 1, added.count == 1, removed[0].count > 60 || added[0].count > 60,
                        let changes = wordChanges(removed[0], added[0])
                    {
                        lines.append("    ~ " + changes)
                    }
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func wordHighlight(_ old: String, _ new: String, style: Style) -> (String, String) {
        var a = ""
        var b = ""
        for edit in TextDiff.diff(TextDiff.words(old), TextDiff.words(new)) {
            switch edit {
            case .same(let word):
                a += style.red(word)
                b += style.green(word)
            case .removed(let word): a += style.redStrong(word)
            case .added(let word): b += style.greenStrong(word)
            }
        }
        return (a, b)
    }

    /// "“30” → “45”; “Circle” → “Club”" for up to three changed runs of words; nil for more.
    static func wordChanges(_ old: String, _ new: String) -> String? {
        var changes: [String] = []
        var removed = ""
        var added = ""
        func flush() {
            if !removed.isEmpty || !added.isEmpty {
                let a = removed.trimmingCharacters(in: .whitespaces)
                let b = added.trimmingCharacters(in: .whitespaces)
                changes.append((a.isEmpty ? "(nothing)" : "“\(a)”") + " → " + (b.isEmpty ? "(nothing)" : "“\(b)”"))
            }
            removed = ""
            added = ""
        }
        for edit in TextDiff.diff(TextDiff.words(old), TextDiff.words(new)) {
            switch edit {
            case .same(let word):
                if word.trimmingCharacters(in: .whitespaces).isEmpty && (!removed.isEmpty || !added.isEmpty) {
                    removed += word
                    added += word
                } else {
                    flush()
                }
            case .removed(let word): removed += word
            case .added(let word): added += word
            }
        }
        flush()
        return changes.isEmpty || changes.count > 3 ? nil : changes.joined(separator: "; ")
    }

    static func summary(_ outcome: ReplayOutcome, counts: (passed: Int, failed: Int), style: Style) -> String {
        var lines: [String] = []
        let differing = outcome.transcripts.filter { !$0.result.passed && !$0.result.isBroken }
        let broken = outcome.transcripts.filter(\.result.isBroken)
        if !differing.isEmpty || !broken.isEmpty { lines.append("") }
        if !differing.isEmpty {
            let all = differing.flatMap(\.result.mismatches)
            let byClass = DifferenceClass.allCases.map { kind in "\(all.count { $0.difference == kind }) \(kind)" }
            lines.append(
                "\(all.count) difference\(all.count == 1 ? "" : "s") (\(byClass.joined(separator: ", "))) in \(differing.count) "
                    + "transcript\(differing.count == 1 ? "" : "s")")
        }
        if !broken.isEmpty {
            lines.append("\(broken.count) transcript\(broken.count == 1 ? "" : "s") could not run (see the messages above)")
        }
        let turns = outcome.customerTurns
        let rate = outcome.runSeconds > 0 ? Int((Double(turns) / outcome.runSeconds).rounded()) : 0
        lines.append(
            style.dim(
                "Replayed \(outcome.transcripts.count) transcript\(outcome.transcripts.count == 1 ? "" : "s"), \(turns) customer turn\(turns == 1 ? "" : "s") "
                    + "in \(format(outcome.runSeconds)) s (\(rate) turns/s); knowledge loaded in \(format(outcome.loadSeconds)) s; "
                    + "\(format(outcome.totalSeconds)) s in all"))
        return lines.joined(separator: "\n")
    }

    /// The coverage section: what no transcript exercises.
    public static func coverage(_ coverage: [ReplayCoverage], colors: Bool) -> String {
        let style = Style(enabled: colors)
        var lines: [String] = [""]
        for entry in coverage {
            lines.append(style.bold("Coverage of \(entry.knowledge)"))
            for (name, tally) in [
                ("intent families", entry.families), ("intents", entry.intents), ("articles", entry.articles), ("slots", entry.slots),
                ("handoff reasons", entry.handoffReasons), ("actions", entry.actions),
            ] {
                let head = "  \(name): \(tally.covered) of \(tally.all.count)"
                if tally.missing.isEmpty {
                    lines.append(head + style.green(" ✓"))
                } else {
                    lines.append(head + "; not exercised:")
                    lines += wrap(tally.missing, indent: "    ", width: 100).map { style.yellow($0) }
                }
            }
        }
        return lines.joined(separator: "\n")
    }

    static func wrap(_ words: [String], indent: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = indent
        for (index, word) in words.enumerated() {
            let piece = word + (index == words.count - 1 ? "" : ",")
            if current.count + piece.count + 1 > width, current != indent {
                lines.append(current)
                current = indent
            }
            current += (current == indent ? "" : " ") + piece
        }
        if current != indent { lines.append(current) }
        return lines
    }

    static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    // MARK: - JUnit

    /// The outcome as JUnit XML: one `testcase` per transcript (class name from its folder), a
    /// `failure` per differing transcript with the plain-text diff, an `error` per one that could
    /// not run.
    public static func junit(_ outcome: ReplayOutcome) -> String {
        let failures = outcome.transcripts.count { !$0.result.passed && !$0.result.isBroken }
        let errors = outcome.transcripts.count { $0.result.isBroken }
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let totals = "tests=\"\(outcome.transcripts.count)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(format(outcome.totalSeconds))\""
        xml += "<testsuites name=\"concierge replay\" \(totals)>\n"
        xml += "  <testsuite name=\"transcripts\" \(totals) skipped=\"0\">\n"
        for replayed in outcome.transcripts {
            let result = replayed.result
            let path = result.file
            let folder = (path as NSString).deletingLastPathComponent
            let name = (path as NSString).lastPathComponent
            let className = folder.isEmpty ? "transcripts" : folder.replacingOccurrences(of: "/", with: ".")
            xml +=
                "    <testcase classname=\"\(escape(className))\" name=\"\(escape(name))\" file=\"\(escape(path))\" time=\"\(format(result.seconds))\""
            if result.passed {
                xml += "/>\n"
                continue
            }
            xml += ">\n"
            if result.isBroken {
                let message = result.problems.first?.message ?? "could not run"
                xml +=
                    "      <error message=\"\(escape(message))\" type=\"malformed\">\(escape(result.problems.map(\.description).joined(separator: "\n")))</error>\n"
            } else {
                let worst = result.worst ?? .wording
                let message = "\(result.mismatches.count) difference\(result.mismatches.count == 1 ? "" : "s"), worst: \(worst)"
                let body = result.mismatches.map { self.mismatch($0, style: Style(enabled: false)) }.joined(separator: "\n")
                xml += "      <failure message=\"\(escape(message))\" type=\"\(escape(worst.description))\">\(escape(body))</failure>\n"
            }
            xml += "    </testcase>\n"
        }
        xml += "  </testsuite>\n</testsuites>\n"
        return xml
    }

    /// Text safe inside XML attributes and elements; characters XML 1.0 forbids are dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case "\r": out += "&#13;"
            default:
                let value = scalar.value
                if value < 0x20 || (0xFFFE...0xFFFF).contains(value) { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// ANSI colours, or plain text when off.
struct Style {
    let enabled: Bool

    func paint(_ code: String, _ text: String) -> String { enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text }
    func red(_ text: String) -> String { paint("31", text) }
    func green(_ text: String) -> String { paint("32", text) }
    func yellow(_ text: String) -> String { paint("33", text) }
    func bold(_ text: String) -> String { paint("1", text) }
    func dim(_ text: String) -> String { paint("2", text) }
    func redStrong(_ text: String) -> String { paint("1;4;31", text) }
    func greenStrong(_ text: String) -> String { paint("1;4;32", text) }

    func classColor(_ kind: DifferenceClass, _ text: String) -> String {
        switch kind {
        case .wording: paint("36", text)
        case .answer: paint("33", text)
        case .action: paint("1;35", text)
        }
    }
}
