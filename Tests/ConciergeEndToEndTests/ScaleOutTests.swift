import Foundation
import Testing

/// Issue 6's bar: 4 bot processes and 8 agent processes on one PostgreSQL database, 2,000 handoffs,
/// with the server restarted in the middle. Runs where CI starts a server and allows restarting it
/// (PGHOST and CONCIERGE_PG_RESTART set).
@Suite(
    .enabled(if: TestPostgres.isAvailable && ProcessInfo.processInfo.environment["CONCIERGE_PG_RESTART"] != nil),
    .serialized)
struct ScaleOutTests {
    static var url: String {
        TestPostgres.url + "?schema=scale_\(UUID().uuidString.prefix(8).lowercased())"
    }

    @Test func fourBotsAndEightAgentsShareOneQueueThroughARestart() throws {
        let url = Self.url
        let bots = 4, perBot = 500, agents = 8
        let total = bots * perBot
        // Each process writes its report to a file, not a pipe: the restarted server inherits open
        // descriptors, and a pipe it holds would never reach end of file.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("concierge-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var processes: [(Process, URL)] = []
        func launch(_ arguments: [String], environment: [String: String] = [:]) throws {
            let process = Process()
            process.executableURL = ConciergeProcess.binary
            process.arguments = arguments + ["--store", url]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            process.currentDirectoryURL = ConciergeProcess.packageRoot
            let report = folder.appendingPathComponent("\(processes.count).json")
            _ = FileManager.default.createFile(atPath: report.path, contents: nil)
            process.standardOutput = try FileHandle(forWritingTo: report)
            let log = folder.appendingPathComponent("\(processes.count).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: log)
            process.standardInput = FileHandle.nullDevice
            try process.run()
            processes.append((process, report))
        }
        // A shared store: an operator adds the agents, and each proves who it is with its secret.
        for a in 0..<agents {
            let added = try ConciergeProcess.run(["agents", "add", "agent\(a)", "--all-queues", "--json", "--store", url])
            let secret = try #require((try JSONSerialization.jsonObject(with: Data(added.stdout.utf8)) as? [String: Any])?["secret"] as? String)
            try launch(
                ["simulate", "agents", "--name", "agent\(a)", "--expect", "\(total)", "--timeout", "600"],
                environment: ["CONCIERGE_AGENT_SECRET": secret])
        }
        let began = Date()
        for b in 0..<bots { try launch(["simulate", "customers", "--count", "\(perBot)", "--prefix", "B\(b)"]) }

        // Restart the server while the customers are mid-way.
        Thread.sleep(forTimeInterval: 6)
        // system(3), not Process: Foundation sometimes never reaps a child whose own child (the
        // server, restarted by pg_ctl) lives on, and waitUntilExit() would wait forever.
        let status = system(ProcessInfo.processInfo.environment["CONCIERGE_PG_RESTART"]! + " </dev/null >/dev/null 2>&1")
        #expect(status == 0, "the server restarted")

        // A watchdog: a process still running after 15 minutes is a failure, never a hung CI run.
        let deadline = Date().addingTimeInterval(900)
        var reports: [[String: Any]] = []
        for (process, report) in processes {
            while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                Issue.record("\(process.arguments?.prefix(2).joined(separator: " ") ?? "a process") did not finish in time")
            }
            process.waitUntilExit()
            let data = (try? Data(contentsOf: report)) ?? Data()
            if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] { reports.append(object) }
            if process.terminationStatus != 0 {
                let log = (try? String(contentsOf: report.deletingPathExtension().appendingPathExtension("log"), encoding: .utf8)) ?? ""
                Issue.record("\(process.arguments?.prefix(2).joined(separator: " ") ?? "a process") exited with \(process.terminationStatus): \(log.suffix(2000))")
            }
        }
        let seconds = Date().timeIntervalSince(began)
        let customerReports = reports.filter { $0["customers"] != nil }
        let agentReports = reports.filter { $0["agent"] != nil }
        #expect(customerReports.count == bots)
        #expect(agentReports.count == agents)
        #expect(customerReports.reduce(0) { $0 + (($1["handoffs"] as? Double) ?? 0) } == Double(total), "every handoff made it into the queue")
        let claimed = agentReports.flatMap { (($0["ids"] as? String) ?? "").split(separator: ",").map(String.init) }
        #expect(claimed.count == total, "every handoff claimed")
        #expect(Set(claimed).count == total, "no handoff claimed twice")
        #expect(agentReports.allSatisfy { ($0["wrong_messages"] as? String) == "0" }, "every customer message reached the right agent")
        #expect(agentReports.allSatisfy { ($0["missing_messages"] as? String) == "0" }, "no customer message lost")
        let p99 = agentReports.compactMap { ($0["notified_p99_ms"] as? String).flatMap(Double.init) }.max() ?? -1
        let p50 = agentReports.compactMap { ($0["notified_p50_ms"] as? String).flatMap(Double.init) }.max() ?? -1
        print("scale-out: \(total) handoffs, \(bots) bots, \(agents) agents in \(String(format: "%.1f", seconds)) s (\(Int(Double(total) / seconds)) claims/s overall), creation→notified p50 \(p50) ms and p99 \(p99) ms (worst agent), with a server restart")
    }
}
