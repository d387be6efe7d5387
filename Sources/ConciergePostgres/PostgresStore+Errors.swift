// Built only with the PostgreSQL trait (`--traits PostgreSQL`): see Package.swift.
#if PostgreSQL
import ConciergeStore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// The ``StoreError`` for a failure while doing `action` on the server of `configuration`: what
    /// went wrong and what to do. Messages name the server, the user and the database, never the
    /// password, a statement's arguments, or the server's `DETAIL` (which can quote a row).
    static func storeError(_ error: any Error, _ configuration: Configuration, doing action: String) -> StoreError {
        let server = "the PostgreSQL server at \(configuration.host):\(configuration.port)"
        switch error {
        case let error as StoreError:
            return error
        case let error as PostgresDecodingError:
            return .corrupt(
                "cannot \(action): the column \(error.columnName) of \(configuration.displayURL) holds a \(error.postgresType) this version of Concierge cannot read; it was changed outside Concierge: restore it, or a backup")
        case is DecodingError, is EncodingError:
            // Their descriptions quote the value: never repeat them.
            return .corrupt(
                "cannot \(action): \(configuration.displayURL) holds a value this version of Concierge cannot read; it was changed outside Concierge: restore it, or a backup")
        case let error as PSQLError:
            if let state = error.serverInfo?[.sqlState] {
                return serverError(state: state, message: error.serverInfo?[.message] ?? "", configuration, server: server, doing: action)
            }
            switch error.code {
            case .connectionError:
                return .unavailable(
                    "cannot \(action): cannot reach \(server) (\(underlyingReason(error.underlying))); check that the server is running and that the host and port in the URL are right, then retry")
            case .serverClosedConnection, .uncleanShutdown, .clientClosedConnection:
                return .unavailable(
                    "cannot \(action): \(server) closed the connection (it may be restarting); retry in a moment")
            case .sslUnsupported:
                return .unavailable(
                    "cannot \(action): \(server) does not offer TLS and the URL requires it; add ?sslmode=disable for a server on a trusted network")
            case .authMechanismRequiresPassword:
                return .unavailable(
                    "cannot \(action): \(server) asks a password for \(configuration.username); set PGPASSWORD (or put it in the URL)")
            case .unsupportedAuthMechanism, .saslError:
                return .unavailable(
                    "cannot \(action): logging in to \(server) as \(configuration.username) failed (\(error.code)); check the password and the server's pg_hba.conf")
            case .poolClosed:
                return .unavailable("cannot \(action): the store is closed")
            default:
                return .unavailable("cannot \(action) on \(server): \(error.code)")
            }
        case is CancellationError:
            return .unavailable("cannot \(action): cancelled")
        default:
            return .unavailable("cannot \(action) on \(server): \(type(of: error))")
        }
    }

    /// An error the server reported, by its SQLSTATE.
    private static func serverError(
        state: String, message: String, _ configuration: Configuration, server: String, doing action: String
    ) -> StoreError {
        let reason = "\(message) (SQLSTATE \(state))"
        switch state {
        case "28P01":
            return .unavailable(
                "cannot \(action): \(server) refused the password for user \(configuration.username); check PGPASSWORD or the password in the URL")
        case "28000":
            return .unavailable(
                "cannot \(action): \(server) does not let \(configuration.username) connect to \(configuration.database) from here (\(reason)); ask its administrator to allow it in pg_hba.conf")
        case "3D000":
            return .unavailable(
                "cannot \(action): \(server) has no database \(configuration.database); create it with `createdb -h \(configuration.host) -p \(configuration.port) -U \(configuration.username) \(configuration.database)`, or fix the URL")
        case "3F000":
            return .unavailable("cannot \(action): the schema \(configuration.schema ?? "public") does not exist in \(configuration.displayURL)")
        case "42501":
            return .unavailable(
                "cannot \(action): \(configuration.username) may not do that in \(configuration.displayURL) (\(reason)); grant it CREATE and USAGE on the schema, or use the database's owner")
        case "42P07":
            return .corrupt(
                "cannot \(action): \(configuration.displayURL) already has a table Concierge did not create (\(reason)); use another database, or another schema with ?schema=NAME")
        case "53300":
            return .unavailable(
                "cannot \(action): \(server) has no free connection slots (\(reason)); retry, or raise max_connections")
        case "57P01", "57P02", "57P03":
            return .unavailable("cannot \(action): \(server) is shutting down or starting up (\(reason)); retry in a moment")
        case "40001", "40P01":
            return .unavailable("cannot \(action): the write collided with another one (\(reason)); retry")
        case "23503", "23505":
            return .unavailable(
                "cannot \(action) in \(configuration.displayURL): the database refused the write (\(reason)); it refers to a record that does not exist, or repeats an id")
        case "22021", "22P05", "54000":
            return .unavailable(
                "cannot \(action): PostgreSQL cannot store this text (\(reason)); it holds a NUL character or is too long")
        default:
            if state.hasPrefix("08") {
                return .unavailable("cannot \(action): the connection to \(server) failed (\(reason)); retry in a moment")
            }
            if state.hasPrefix("53") {
                return .unavailable("cannot \(action): \(server) is out of resources (\(reason)); check its disk and memory")
            }
            return .unavailable("cannot \(action) in \(configuration.displayURL): \(reason)")
        }
    }

    /// A short reason for a network failure, from NIO's error (it names the address, never data).
    private static func underlyingReason(_ error: (any Error)?) -> String {
        guard let error else { return "no answer" }
        let text = String(describing: error)
        if text.localizedCaseInsensitiveContains("refused") { return "connection refused" }
        if text.localizedCaseInsensitiveContains("reset") { return "the connection was reset" }
        if text.localizedCaseInsensitiveContains("timeout") || text.localizedCaseInsensitiveContains("timed out") {
            return "no answer before the connect timeout"
        }
        if text.localizedCaseInsensitiveContains("resolve") || text.localizedCaseInsensitiveContains("lookup")
            || text.localizedCaseInsensitiveContains("host")
        {
            return "the host name does not resolve"
        }
        return text.count <= 120 ? text : String(text.prefix(120)) + "…"
    }
}
#endif
