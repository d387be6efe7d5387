import Foundation

/// The PostgreSQL server the end-to-end tests use: the one libpq's variables name (`.ci/run`
/// starts a throwaway one and sets them).
enum TestPostgres {
    /// A server is named (`PGHOST`) and the binary can use it: it was built with the PostgreSQL
    /// trait (`swift test --traits PostgreSQL`). Otherwise every PostgreSQL test is skipped.
    static let isAvailable: Bool = {
        #if PostgreSQL
        return ProcessInfo.processInfo.environment["PGHOST"].map { !$0.isEmpty } ?? false
        #else
        return false
        #endif
    }()

    /// The server's `postgres://` URL, from `PGUSER`, `PGHOST`, `PGPORT` and `PGDATABASE` (the
    /// password stays in `PGPASSWORD`).
    static var url: String {
        let env = ProcessInfo.processInfo.environment
        return "postgres://\(env["PGUSER"] ?? "concierge")@\(env["PGHOST"] ?? "127.0.0.1"):\(env["PGPORT"] ?? "5432")/\(env["PGDATABASE"] ?? "concierge")"
    }
}
