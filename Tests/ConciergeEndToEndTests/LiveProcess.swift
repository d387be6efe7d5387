import Foundation
import Synchronization

/// A running `concierge` process that a test talks to line by line, like a person at a terminal
/// (without the terminal): write to its input, wait for something on its output.
final class LiveProcess: Sendable {
    private let process: Process
    private let input: FileHandle
    private let output = Mutex("")
    private let finished = DispatchSemaphore(value: 0)

    init(_ arguments: [String], store: String) throws {
        process = Process()
        process.executableURL = ConciergeProcess.binary
        process.arguments = arguments
        process.currentDirectoryURL = ConciergeProcess.packageRoot
        var environment = ProcessInfo.processInfo.environment
        environment["CONCIERGE_STORE"] = store
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        input = stdin.fileHandleForWriting
        try process.run()
        let reader = stdout.fileHandleForReading
        Thread { [self] in
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                self.output.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
            self.finished.signal()
        }.start()
    }

    var pid: Int32 { process.processIdentifier }

    /// Everything printed so far.
    var printed: String { output.withLock { $0 } }

    func send(_ line: String) {
        input.write(Data((line + "\n").utf8))
    }

    /// Waits until the output contains `text`; false after `timeout` seconds.
    @discardableResult
    func waitFor(_ text: String, timeout: TimeInterval = 30) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if printed.contains(text) { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return printed.contains(text)
    }

    /// Closes the input and waits for the process to end; its exit status.
    func finish() -> Int32 {
        try? input.close()
        process.waitUntilExit()
        finished.wait()
        return process.terminationStatus
    }

    func kill() {
        Foundation.kill(process.processIdentifier, SIGKILL)
        try? input.close()
        process.waitUntilExit()
    }
}
