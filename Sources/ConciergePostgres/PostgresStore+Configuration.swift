// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
public import ConciergeStore
public import Foundation

extension PostgresStore {
    /// Where the server is, who to log in as, and how long to wait: read from a `postgres://` URL, with
    /// libpq's environment variables filling what the URL leaves out.
    ///
    /// ```swift
    /// let configuration = try PostgresStore.Configuration(url: "postgres://concierge@db.internal:5432/support?sslmode=require")
    /// print(configuration.displayURL)  // postgres://concierge@db.internal:5432/support (never the password)
    /// ```
    ///
    /// The URL is `postgres://[user[:password]@][host][:port][/database][?parameter=value&...]`
    /// (`postgresql://` too). Missing parts come from `PGUSER`, `PGPASSWORD`, `PGHOST`, `PGPORT` and
    /// `PGDATABASE`, then from libpq's defaults (`localhost`, 5432, the database named after the user).
    /// Keep the password out of the URL, and so out of shell history and `ps`, by setting `PGPASSWORD`.
    ///
    /// Parameters:
    /// - `sslmode`: `disable`, `prefer` (the default: TLS when the server offers it) or `require`
    ///   (`verify-ca` and `verify-full` also mean `require`, with the system's certificate authorities).
    /// - `schema`: keep Concierge's tables in this schema (created when missing) instead of `public`,
    ///   so several Concierge installations, or test runs, can share one database.
    /// - `connect_timeout`: seconds to wait for the server when connecting (default 10).
    /// - `application_name`: how the store's connections appear in `pg_stat_activity` (default
    ///   `concierge`; the listening connection adds ` listener`).
    public struct Configuration: Sendable, Hashable {
        /// Whether to talk to the server over TLS.
        public enum TLSMode: String, Sendable, Hashable {
            /// Never: plain TCP (a server on the same machine or a private network).
            case disable
            /// When the server offers it (libpq's default).
            case prefer
            /// Always: refuse to talk to a server without TLS.
            case require
        }

        public var host: String
        public var port: Int
        public var username: String
        /// Never printed: ``displayURL`` and every error message leave it out.
        public var password: String?
        public var database: String
        /// The schema holding Concierge's tables; nil for the database's default (`public`).
        public var schema: String?
        public var tls: TLSMode
        /// How long to wait for the server to accept a connection.
        public var connectTimeout: Duration
        /// How long an operation waits for a connection from the pool before failing with
        /// `StoreError.unavailable`, so a write to an unreachable server is reported, never left hanging.
        public var acquireTimeout: Duration
        /// The most connections this store keeps open to the server at once.
        public var maximumConnections: Int
        /// How the store's connections appear in `pg_stat_activity`.
        public var applicationName: String

        /// A configuration from its parts.
        public init(
            host: String = "localhost", port: Int = 5432, username: String, password: String? = nil, database: String? = nil,
            schema: String? = nil, tls: TLSMode = .prefer, connectTimeout: Duration = .seconds(10),
            acquireTimeout: Duration = .seconds(15), maximumConnections: Int = 4, applicationName: String = "concierge"
        ) {
            self.host = host
            self.port = port
            self.username = username
            self.password = password
            self.database = database ?? username
            self.schema = schema
            self.tls = tls
            self.connectTimeout = connectTimeout
            self.acquireTimeout = acquireTimeout
            self.maximumConnections = maximumConnections
            self.applicationName = applicationName
        }

        /// Reads a `postgres://` URL, filling what it leaves out from `environment` (libpq's variables).
        ///
        /// - Throws: `StoreError.unavailable` naming what is wrong with the URL and how to write it.
        public init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(StoreError) {
            let example = "postgres://USER@HOST:PORT/DATABASE (the password in PGPASSWORD)"
            guard let components = URLComponents(string: url),
                let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
            else {
                throw StoreError.unavailable("\(Self.redacting(url)) is not a PostgreSQL URL; write it as \(example)")
            }
            if components.percentEncodedHost?.hasPrefix("%2F") == true || components.host?.hasPrefix("/") == true {
                throw StoreError.unavailable("Unix socket folders are not supported in \(Self.redacting(url)); connect over TCP: \(example)")
            }
            let env = { (name: String) in environment[name].flatMap { $0.isEmpty ? nil : $0 } }
            let username = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? env("PGUSER") ?? env("USER")
            guard let username else {
                throw StoreError.unavailable("\(Self.redacting(url)) names no user, and PGUSER is not set; write it as \(example)")
            }
            let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
            if path.contains("/") {
                throw StoreError.unavailable("\(Self.redacting(url)) has more than a database name after the host; write it as \(example)")
            }
            var port = 5432
            if let urlPort = components.port {
                port = urlPort
            } else if let text = env("PGPORT") {
                guard let value = Int(text) else { throw StoreError.unavailable("PGPORT=\(text) is not a port number; unset it or give a number") }
                port = value
            }
            guard (1...65535).contains(port) else {
                throw StoreError.unavailable("port \(port) in \(Self.redacting(url)) is out of range; PostgreSQL's usual port is 5432")
            }
            self.init(
                host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? env("PGHOST") ?? "localhost", port: port,
                username: username, password: components.password ?? env("PGPASSWORD"),
                database: path.isEmpty ? env("PGDATABASE") ?? username : path)

            for item in components.queryItems ?? [] {
                let value = item.value ?? ""
                switch item.name {
                case "sslmode":
                    switch value {
                    case "disable", "allow": tls = .disable
                    case "prefer": tls = .prefer
                    case "require", "verify-ca", "verify-full": tls = .require
                    default:
                        throw StoreError.unavailable("sslmode=\(value) is not a TLS mode; use disable, prefer or require")
                    }
                case "schema", "search_path":
                    guard Self.isPlainName(value) else {
                        throw StoreError.unavailable(
                            "schema=\(value) is not a plain schema name; use lower-case letters, digits and _ (at most 63), starting with a letter")
                    }
                    schema = value
                case "connect_timeout":
                    guard let seconds = Int(value), seconds > 0 else {
                        throw StoreError.unavailable("connect_timeout=\(value) is not a whole number of seconds")
                    }
                    connectTimeout = .seconds(seconds)
                case "application_name":
                    applicationName = value
                case "target_session_attrs":
                    continue
                default:
                    throw StoreError.unavailable(
                        "\(item.name) is not a parameter Concierge understands in \(Self.redacting(url)); it understands sslmode, schema, connect_timeout and application_name")
                }
            }
        }

        /// The URL without the password, for messages and logs.
        public var displayURL: String {
            var text = "postgres://\(username)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
            if let schema { text += "?schema=\(schema)" }
            return text
        }

        /// True for a name that needs no quoting anywhere: a schema, or part of a notification channel.
        static func isPlainName(_ name: String) -> Bool {
            guard let first = name.first, first.isASCII, first.isLetter, name.count <= 63 else { return false }
            return name.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" }
        }

        /// `url` with any password replaced by `***`, for messages.
        static func redacting(_ url: String) -> String {
            guard var components = URLComponents(string: url) else {
                // Not even a URL: drop everything between "://" and the last "@", where a password would be.
                guard let scheme = url.range(of: "://"), let at = url.range(of: "@", options: .backwards),
                    scheme.upperBound <= at.lowerBound
                else { return url }
                return String(url[..<scheme.upperBound]) + "***" + String(url[at.lowerBound...])
            }
            if components.password != nil { components.password = "***" }
            return components.string ?? "the PostgreSQL URL"
        }
    }
}
#endif
