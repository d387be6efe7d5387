import Foundation
import Testing

/// Issue 6's bar: 4 bot processes and 8 agent processes on one PostgreSQL database, 2,000 handoffs,
/// with the server restarted in the middle. Runs where CI starts a server and allows restarting it
/// (PGHOST and CONCIERGE_PG_RESTART set).
@Suite(
    .enabled(if: ProcessInfo.processInfo.environment["PGHOST"] != nil && ProcessInfo.processInfo.environment["CONCIERGE_PG_RESTART"] != nil),
    .serialized)
struct ScaleOutTests {
    static var url: String {
        let env = ProcessInfo.processInfo.environment
        let user = env["PGUSER"] ?? "concierge", host = env["PGHOST"] ?? "127.0.0.1", port = env["PGPORT"] ?? "5432"
        let database = env["PGDATABASE"] ?? "concierge"
        return "postgres://\(user)@\(host):\(port)/\(database)?schema=scale_\(UUID().uuidString.prefix(8).lowercased())"
    }

    @Test func fourBotsAndEightAgentsShareOneQueueThroughARestart() throws {
        let url = Self.url
        let bots = 4, perBot = 500, agents = 8
        let total = bots * perBot
        var processes: [(Process, Pipe)] = []
        func launch(_ arguments: [String]) throws {
            let process = Process()
            process.executableURL = ConciergeProcess.binary
            process.arguments = arguments + ["--store", url]
            process.currentDirectoryURL = ConciergeProcess.packageRoot
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            processes.append((process, output))
        }
        for a in 0..<agents { try launch(["simulate", "agents", "--name", "agent\(a)", "--expect", "\(total)", "--timeout", "600"]) }
        let began = Date()
        for b in 0..<bots { try launch(["simulate", "customers", "--count", "\(perBot)", "--prefix", "B\(b)"]) }

        // Restart the server while the customers are mid-way.
        Thread.sleep(forTimeInterval: 6)
        let restart = Process()
        restart.executableURL = URL(fileURLWithPath: "/bin/sh")
        restart.arguments = ["-c", ProcessInfo.processInfo.environment["CONCIERGE_PG_RESTART"]!]
        try restart.run()
        restart.waitUntilExit()
        #expect(restart.terminationStatus == 0, "the server restarted")

        var reports: [[String: Any]] = []
        for (process, output) in processes {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            if let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] { reports.append(object) }
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
        print("scale-out: \(total) handoffs, \(bots) bots, \(agents) agents in \(String(format: "%.1f", seconds)) s (\(Int(Double(total) / seconds)) claims/s overall), worst agent's p99 creation→notified \(p99) ms, with a server restart")
    }
}
