import Foundation
import Testing

/// Runs the built `concierge` binary the way a user or a script would.
struct ConciergeProcess {
    /// What a finished run printed and returned.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String

        /// The `--jsonl` lines, parsed.
        var turns: [[String: Any]] {
            stdout.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            }
        }
    }

    /// The package's root folder (where knowledge/ is).
    static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url }
        }
        fatalError("cannot find the package root above \(#filePath)")
    }()

    /// The binary next to the test bundle (`swift test` builds it, as the tests depend on it).
    static let binary: URL = {
        var candidates: [URL] = []
        let bundle = Bundle.main.bundleURL
        candidates.append(bundle.deletingLastPathComponent().appendingPathComponent("concierge"))
        candidates.append(bundle.appendingPathComponent("concierge"))
        for argument in CommandLine.arguments.prefix(1) {
            let url = URL(fileURLWithPath: argument)
            candidates.append(url.deletingLastPathComponent().appendingPathComponent("concierge"))
            candidates.append(url.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("concierge"))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/concierge"))
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        fatalError("the concierge binary was not built; run `swift build` first (looked in \(candidates.map(\.path)))")
    }()

    /// Runs `concierge arguments...` with `input` on standard input, in `directory` (the package root by default).
    static func run(
        _ arguments: [String], input: String = "", inputData: Data? = nil, directory: URL? = nil, environment: [String: String] = [:],
        executable: URL? = nil
    ) throws -> Result {
        let process = Process()
        process.executableURL = executable ?? binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        var env = ProcessInfo.processInfo.environment
        // Each run gets its own store unless the test shares one on purpose.
        env["CONCIERGE_STORE"] = FileManager.default.temporaryDirectory
            .appendingPathComponent("concierge-test-\(UUID().uuidString)/store.sqlite").path
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // Write and read concurrently so a large input or output cannot deadlock the pipes.
        let data = inputData ?? Data(input.utf8)
        let writer = Thread {
            stdin.fileHandleForWriting.write(data)
            try? stdin.fileHandleForWriting.close()
        }
        writer.start()
        let errors = ReadAll(stderr.fileHandleForReading)
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: errors.wait())
    }
}

/// Reads a pipe to its end on a background thread.
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread {
            self.data = handle.readDataToEndOfFile()
            self.done.signal()
        }.start()
    }

    func wait() -> String {
        done.wait()
        return String(decoding: data, as: UTF8.self)
    }
}
