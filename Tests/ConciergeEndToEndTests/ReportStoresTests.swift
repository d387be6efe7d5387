import Foundation
import Testing

/// The same conversations give the same report on SQLite and on PostgreSQL (runs where PGHOST names
/// a server, as in CI).
@Suite("concierge report on PostgreSQL", .enabled(if: TestPostgres.isAvailable, "set PGHOST and build with --traits PostgreSQL to run"))
struct ReportStoresTests {
    @Test("simulate and report on PostgreSQL give the very bytes they give on SQLite")
    func sameReportOnEveryStore() throws {
        let url = TestPostgres.url + "?schema=report_\(UUID().uuidString.prefix(8).lowercased())"
        let (folder, sqlite) = try ReportEndToEndTests.filledStore(count: 40)
        defer { try? FileManager.default.removeItem(at: folder) }
        let filled = try ConciergeProcess.run(["simulate", "conversations", "--count", "40", "--store", url])
        #expect(filled.status == 0, "\(filled.stderr)")
        let onSQLite = try ConciergeProcess.run(["report", "--json", "--store", sqlite, "--now", ReportEndToEndTests.now])
        let onPostgres = try ConciergeProcess.run(["report", "--json", "--store", url, "--now", ReportEndToEndTests.now])
        #expect(onPostgres.status == 0, "\(onPostgres.stderr)")
        #expect(onSQLite.stdout.contains("\"conversations\" : 40"))
        #expect(onPostgres.stdout == onSQLite.stdout)
    }
}
