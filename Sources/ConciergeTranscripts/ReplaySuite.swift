public import ConciergeEngine
public import ConciergeKnowledge
public import Foundation

/// Replays many transcripts at once: finds them (folders recursively), builds each distinct
/// knowledge folder's engine once, runs the transcripts in parallel and returns the results in
/// file order, so the report is the same on every run.
///
/// ```swift
/// let files = try ReplaySuite.discover(["transcripts"])
/// let outcome = await ReplaySuite().run(files)
/// print(ReplayReport.text(outcome, colors: false))   // ... 42 passed, 0 failed
/// ```
///
/// A transcript that cannot be read or run (a malformed line, a knowledge folder with errors) is
/// reported as failed with its problems; it never stops the others.
public struct ReplaySuite: Sendable {
    /// The extension transcript files have; folders are searched for it.
    public static let fileExtension = "transcript"

    /// The knowledge folder for transcripts without `@knowledge`; nil: the `knowledge/` folder
    /// found in the transcript's folder or the nearest one above it.
    public var defaultKnowledge: URL?
    /// Only transcripts whose path contains this (ignoring case) run.
    public var filter: String?
    /// Where each knowledge folder's compiled engine is read from and written to; nil: built every time.
    public var cache: CompiledCache?

    /// Makes a suite runner.
    public init(defaultKnowledge: URL? = nil, filter: String? = nil) {
        self.defaultKnowledge = defaultKnowledge
        self.filter = filter
    }

    /// A transcript file to replay.
    public struct File: Sendable, Hashable {
        /// Where it is.
        public var url: URL
        /// How reports call it: the path as given, or joined onto the folder given.
        public var name: String

        /// Makes a file entry.
        public init(url: URL, name: String) {
            self.url = url
            self.name = name
        }
    }

    /// A path given to replay that does not exist or cannot be read.
    public struct UnreadablePath: Error, Sendable, LocalizedError {
        /// The path as given.
        public var path: String
        public var errorDescription: String? { "cannot read \(path); pass transcript files or folders that exist" }
    }

    /// The transcript files under `paths` (files as given; folders searched recursively for
    /// `*.transcript`), in path order, without duplicates.
    public static func discover(_ paths: [String]) throws(UnreadablePath) -> [File] {
        var files: [File] = []
        var seen: Set<String> = []
        let manager = FileManager.default
        for path in paths {
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: path, isDirectory: &isDirectory) else { throw UnreadablePath(path: path) }
            if !isDirectory.boolValue {
                guard manager.isReadableFile(atPath: path) else { throw UnreadablePath(path: path) }
                let url = URL(fileURLWithPath: path).standardizedFileURL
                if seen.insert(url.path).inserted { files.append(File(url: url, name: path)) }
                continue
            }
            let root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
            guard let enumerator = manager.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles]) else {
                throw UnreadablePath(path: path)
            }
            var found: [File] = []
            let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
            for case let url as URL in enumerator where url.pathExtension == fileExtension {
                let standardized = url.standardizedFileURL
                let relative =
                    standardized.path.hasPrefix(prefix) ? String(standardized.path.dropFirst(prefix.count)) : standardized.lastPathComponent
                let shown = path == "." ? relative : (path.hasSuffix("/") ? path + relative : path + "/" + relative)
                found.append(File(url: standardized, name: shown))
            }
            for file in found.sorted(by: { $0.name < $1.name }) where seen.insert(file.url.path).inserted { files.append(file) }
        }
        return files
    }

    /// The folder name that holds scored conversations: unscripted, with loose checks, measured by
    /// `replay --score` rather than gating a change. A plain `replay` of the default folder skips them.
    public static let scoredFolder = "conversations"

    /// True when `file` is a scored conversation (it sits under a `conversations/` folder).
    public static func isScored(_ file: File) -> Bool {
        file.url.deletingLastPathComponent().pathComponents.contains(scoredFolder)
    }

    /// Replays `files` and returns every result in the order given.
    public func run(_ files: [File]) async -> ReplayOutcome {
        let started = ContinuousClock.now
        let selected = filter.map { text in files.filter { $0.name.range(of: text, options: .caseInsensitive) != nil } } ?? files

        // 1. Read and parse, in parallel.
        let parsed: [Parsed] = await Self.parallelMap(selected) { file in
            guard let data = FileManager.default.contents(atPath: file.url.path) else {
                return Parsed(
                    file: file, text: nil, transcript: nil,
                    problems: [
                        TranscriptProblem(file: file.name, line: 0, message: "the file cannot be read", fix: "check that it exists and is readable")
                    ], unreadable: true)
            }
            guard let text = TranscriptParser.text(of: data) else {
                return Parsed(
                    file: file, text: nil, transcript: nil,
                    problems: [TranscriptProblem(file: file.name, line: 0, message: "the file is not valid UTF-8", fix: "save it as UTF-8")],
                    unreadable: true)
            }
            do {
                return Parsed(file: file, text: text, transcript: try TranscriptParser.parse(text, file: file.name), problems: [], unreadable: false)
            } catch let error as TranscriptParseError {
                return Parsed(file: file, text: text, transcript: nil, problems: error.problems, unreadable: false)
            } catch {
                return Parsed(
                    file: file, text: text, transcript: nil, problems: [TranscriptProblem(file: file.name, line: 0, message: "\(error)")],
                    unreadable: false)
            }
        }

        // 2. Build each distinct knowledge folder's engine once, in parallel.
        let loadStarted = ContinuousClock.now
        var sources: [KnowledgeSource?] = []
        var sourceProblems: [TranscriptProblem?] = []
        var nearest: [URL: URL?] = [:]
        for entry in parsed {
            guard let transcript = entry.transcript else {
                sources.append(nil)
                sourceProblems.append(nil)
                continue
            }
            let folder = entry.file.url.deletingLastPathComponent()
            if transcript.header.knowledge == nil, defaultKnowledge == nil, nearest[folder] == nil {
                nearest[folder] = .some(KnowledgeSource.nearestKnowledge(above: folder))
            }
            let fallback = defaultKnowledge ?? nearest[folder] ?? nil
            switch KnowledgeSource.resolve(for: transcript, at: entry.file.url, defaultKnowledge: fallback) {
            case .success(let source):
                sources.append(source)
                sourceProblems.append(nil)
            case .failure(let problem):
                sources.append(nil)
                sourceProblems.append(problem)
            }
        }
        var distinct: [KnowledgeSource] = []
        for source in sources.compactMap({ $0 }) where !distinct.contains(source) { distinct.append(source) }
        let loaded = await Self.parallelMap(distinct) { [cache] source in source.load(cache: cache) }
        var engines: [KnowledgeSource: Result<Engine, KnowledgeSource.LoadFailure>] = [:]
        for (source, result) in zip(distinct, loaded) { engines[source] = result }
        let loadSeconds = Self.seconds(since: loadStarted)
        let built = engines

        // 3. Replay, in parallel; results keep the files' order.
        let runStarted = ContinuousClock.now
        let jobs = parsed.indices.map { index in (index, parsed[index], sources[index], sourceProblems[index]) }
        let replayed: [ReplayedTranscript] = await Self.parallelMap(jobs) { job in
            let (_, entry, source, problem) = job
            guard let transcript = entry.transcript else {
                return ReplayedTranscript(
                    file: entry.file, text: entry.text, transcript: nil, source: nil, run: nil,
                    result: TranscriptResult(file: entry.file.name, problems: entry.problems), unreadable: entry.unreadable)
            }
            if let problem {
                return ReplayedTranscript(
                    file: entry.file, text: entry.text, transcript: transcript, source: nil, run: nil,
                    result: TranscriptResult(file: entry.file.name, problems: [problem]), unreadable: false)
            }
            guard let source, let engine = built[source] else {
                return ReplayedTranscript(
                    file: entry.file, text: entry.text, transcript: transcript, source: nil, run: nil,
                    result: TranscriptResult(
                        file: entry.file.name, problems: [TranscriptProblem(file: entry.file.name, line: 0, message: "no knowledge to run on")]),
                    unreadable: false)
            }
            switch engine {
            case .failure(let failure):
                let line = transcript.header.knowledge == nil ? 0 : 1
                return ReplayedTranscript(
                    file: entry.file, text: entry.text, transcript: transcript, source: source, run: nil,
                    result: TranscriptResult(
                        file: entry.file.name,
                        problems: [TranscriptProblem(file: entry.file.name, line: line, message: failure.description, fix: failure.fix)]),
                    unreadable: false)
            case .success(let engine):
                let run = await TranscriptRunner(engine: engine).run(transcript)
                return ReplayedTranscript(
                    file: entry.file, text: entry.text, transcript: transcript, source: source, run: run, result: run.result, unreadable: false)
            }
        }
        let runSeconds = Self.seconds(since: runStarted)

        var knowledge: [KnowledgeSource: KnowledgeBase] = [:]
        for (source, result) in engines { if case .success(let engine) = result { knowledge[source] = engine.knowledge } }
        return ReplayOutcome(
            transcripts: replayed, knowledge: knowledge, loadSeconds: loadSeconds, runSeconds: runSeconds, totalSeconds: Self.seconds(since: started))
    }

    struct Parsed: Sendable {
        var file: File
        var text: String?
        var transcript: Transcript?
        var problems: [TranscriptProblem]
        var unreadable: Bool
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// `transform` over `items` on every core, results in the items' order.
    static func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @escaping @Sendable (T) async -> R) async -> [R] {
        guard items.count > 1 else {
            var results: [R] = []
            for item in items { results.append(await transform(item)) }
            return results
        }
        return await withTaskGroup(of: (Int, R).self) { group in
            for (index, item) in items.enumerated() { group.addTask { (index, await transform(item)) } }
            var results: [R?] = Array(repeating: nil, count: items.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}

/// A replayed transcript file: its text, what it says, and what the replay gave.
public struct ReplayedTranscript: Sendable {
    /// The file.
    public var file: ReplaySuite.File
    /// The file's text, when it could be read.
    public var text: String?
    /// The parsed transcript, when it is well formed.
    public var transcript: Transcript?
    /// The knowledge it ran on.
    public var source: KnowledgeSource?
    /// The replay, when it ran.
    public var run: TranscriptRun?
    /// The verdict.
    public var result: TranscriptResult
    /// True when the file could not be read at all (exit status 2).
    public var unreadable: Bool
}

/// Everything a suite replay produced.
public struct ReplayOutcome: Sendable {
    /// Every transcript, in file order.
    public var transcripts: [ReplayedTranscript]
    /// The knowledge bases the transcripts ran on (for coverage).
    public var knowledge: [KnowledgeSource: KnowledgeBase]
    /// Seconds spent loading knowledge and building engines.
    public var loadSeconds: Double
    /// Seconds spent replaying.
    public var runSeconds: Double
    /// Seconds from start to end, everything included.
    public var totalSeconds: Double

    /// The results, in file order.
    public var results: [TranscriptResult] { transcripts.map(\.result) }
    /// Transcripts that passed.
    public var passed: Int { transcripts.count { $0.result.passed } }
    /// Transcripts that failed or could not run.
    public var failed: Int { transcripts.count - passed }
    /// Customer messages replayed.
    public var customerTurns: Int { transcripts.reduce(0) { $0 + ($1.run == nil ? 0 : $1.result.customerTurns) } }
    /// True when some file could not be read at all.
    public var hasUnreadable: Bool { transcripts.contains(where: \.unreadable) }
}

/// The knowledge a transcript runs on: a folder and, optionally, another settings file.
public struct KnowledgeSource: Sendable, Hashable, CustomStringConvertible {
    /// The knowledge folder.
    public var directory: URL
    /// A settings file used instead of the folder's own.
    public var settings: URL?

    /// Makes a source.
    public init(directory: URL, settings: URL? = nil) {
        self.directory = directory.standardizedFileURL
        self.settings = settings?.standardizedFileURL
    }

    public var description: String { directory.path + (settings.map { " with " + $0.path } ?? "") }

    /// Why a knowledge folder could not be used.
    public struct LoadFailure: Error, Sendable, CustomStringConvertible {
        /// What is wrong.
        public var description: String
        /// How to fix it.
        public var fix: String
    }

    /// The knowledge a transcript at `url` runs on: its `@knowledge` (relative to its folder),
    /// else `defaultKnowledge`, else the `knowledge/` folder in its folder or the nearest above.
    public static func resolve(for transcript: Transcript, at url: URL, defaultKnowledge: URL?) -> Result<KnowledgeSource, TranscriptProblem> {
        let folder = url.deletingLastPathComponent()
        let settings = transcript.header.config.map { relative($0, to: folder) }
        if let written = transcript.header.knowledge {
            return .success(KnowledgeSource(directory: relative(written, to: folder), settings: settings))
        }
        if let defaultKnowledge { return .success(KnowledgeSource(directory: defaultKnowledge, settings: settings)) }
        if let found = nearestKnowledge(above: folder) { return .success(KnowledgeSource(directory: found, settings: settings)) }
        return .failure(
            TranscriptProblem(
                file: transcript.file, line: 0, message: "no knowledge/ folder in the transcript's folder or above it",
                fix: "add `@knowledge PATH` to the header, or pass --knowledge DIR"))
    }

    /// `path` read relative to `folder` (absolute paths as they are).
    static func relative(_ path: String, to folder: URL) -> URL {
        path.hasPrefix("/") ? URL(fileURLWithPath: path) : folder.appendingPathComponent(path)
    }

    /// The `knowledge/` folder in `folder` or the nearest folder above it.
    public static func nearestKnowledge(above folder: URL) -> URL? {
        var current = folder.standardizedFileURL
        let manager = FileManager.default
        while true {
            let candidate = current.appendingPathComponent("knowledge")
            var isDirectory: ObjCBool = false
            if manager.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue { return candidate }
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { return nil }
            current = parent
        }
    }

    /// Loads the knowledge and builds its engine (read from `cache` when it holds it).
    public func load(cache: CompiledCache? = nil) -> Result<Engine, LoadFailure> {
        let loaded = KnowledgeLoader.load(directory: directory, settingsFile: settings)
        guard !loaded.problems.hasErrors else {
            let errors = loaded.problems.filter { $0.severity == .error }
            let first =
                errors.first.map { problem -> String in
                    var shown = problem
                    if !shown.location.file.hasPrefix("/") { shown.location.file = directory.appendingPathComponent(shown.location.file).path }
                    return shown.description
                } ?? ""
            return .failure(
                LoadFailure(
                    description: "the knowledge in \(directory.path) has \(errors.count) error\(errors.count == 1 ? "" : "s") (first: \(first))",
                    fix: "run `concierge check --knowledge \(directory.path)` and fix them"))
        }
        return .success(cache.map { $0.engine(for: loaded.knowledge).0 } ?? Engine(knowledge: loaded.knowledge))
    }
}
