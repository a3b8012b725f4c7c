import NIOCore
import NIOPosix
import PostgresNIO
import RunStore

/// Turns PostgresNIO's errors into ``RunStoreError/server(location:detail:advice:)`` sentences
/// a user can act on. Nothing here prints a password: messages are built from the address's
/// parts, and a server's own message never contains one.
enum PostgresFailure {
    /// SQLSTATEs the store reacts to (PostgreSQL's Appendix A).
    enum State {
        static let invalidPassword = "28P01"
        static let invalidAuthorization = "28000"
        static let unknownDatabase = "3D000"
        static let uniqueViolation = "23505"
        static let foreignKeyViolation = "23503"
        static let adminShutdown = "57P01"
        static let cannotConnectNow = "57P03"
    }

    /// A statement that should return a row (`RETURNING id`) returned none.
    struct NoRowReturned: Error, CustomStringConvertible {
        var description: String { "a statement returned no row" }
    }

    /// The SQLSTATE of a server error, nil for any other failure.
    static func sqlState(_ error: any Error) -> String? {
        (error as? PSQLError)?.serverInfo?[.sqlState]
    }

    /// Whether the connection itself failed (dropped, closed, shut down by an administrator), so
    /// a new connection may succeed where a statement on the old one could not.
    static func isConnectionLoss(_ error: PSQLError) -> Bool {
        switch error.code {
        case .serverClosedConnection, .clientClosedConnection, .connectionError, .uncleanShutdown: return true
        case .server:
            let state = error.serverInfo?[.sqlState]
            return state == State.adminShutdown || state == State.cannotConnectNow
        default: return false
        }
    }

    /// The store error for `error`, met while connecting to or using `address`.
    static func translating(_ error: any Error, address: PostgresAddress, connectTimeoutSeconds: Double? = nil) -> RunStoreError {
        if let error = error as? RunStoreError { return error }
        let location = address.redacted
        let endpoint = address.endpoint
        guard let error = error as? PSQLError else {
            return .server(location: location, detail: "PostgreSQL at \(endpoint) failed: \(error)", advice: "")
        }
        let message = error.serverInfo?[.message] ?? ""
        switch (error.code, error.serverInfo?[.sqlState]) {
        case (.server, State.invalidPassword?),
            (.server, State.invalidAuthorization?) where message.contains("password"):
            let source =
                address.passwordSource == .none ? "no password was given" : "password from \(address.passwordSource.rawValue)"
            return .server(
                location: location,
                detail: "PostgreSQL at \(endpoint) refused user \(address.user)'s password for database \(address.database) (\(source))",
                advice: "Check the password in the URL, PGPASSWORD or ~/.pgpass (a line host:port:database:user:password, mode 0600).")
        case (.server, State.invalidAuthorization?):
            return .server(
                location: location, detail: "PostgreSQL at \(endpoint) refused user \(address.user): \(message)",
                advice: "Ask the server's administrator to allow this user and host (pg_hba.conf).")
        case (.server, State.unknownDatabase?):
            return .server(
                location: location, detail: "PostgreSQL at \(endpoint) has no database \(address.database)",
                advice: "Create it once: `createdb -h \(address.host) -p \(address.port) -U \(address.user) \(address.database)` "
                    + "(or CREATE DATABASE \(address.database) OWNER \(address.user); in psql).")
        case (.authMechanismRequiresPassword, _):
            return .server(
                location: location,
                detail: "PostgreSQL at \(endpoint) wants a password for user \(address.user) and none was given",
                advice: "Put it in ~/.pgpass (host:port:database:user:password, mode 0600) or PGPASSWORD.")
        case (.sslUnsupported, _):
            return .server(
                location: location, detail: "PostgreSQL at \(endpoint) does not offer TLS, and the URL says sslmode=require",
                advice: "Enable ssl on the server, or use sslmode=prefer or disable on a trusted network.")
        case (.connectionError, _):
            return .server(
                location: location,
                detail: "cannot reach PostgreSQL at \(endpoint) (\(reason(of: error.underlying, timeout: connectTimeoutSeconds)))",
                advice: "Check that the server runs and listens there (listen_addresses, port, firewall), "
                    + "or record into a local file (--db footprint.sqlite) and `footprint sync --to URL` later.")
        case (.serverClosedConnection, _), (.clientClosedConnection, _),
            (.uncleanShutdown, _) where connectTimeoutSeconds != nil:
            return .server(
                location: location, detail: "cannot reach PostgreSQL at \(endpoint) (the connection closed before the login finished)",
                advice: "Check that PostgreSQL, not another program, listens there, and that it accepts connections.")
        case (.serverClosedConnection, _), (.clientClosedConnection, _), (.uncleanShutdown, _):
            return .server(
                location: location, detail: "PostgreSQL at \(endpoint) closed the connection",
                advice: "The server stopped or restarted; run again once it is back.")
        case (.server, let state):
            return .server(
                location: location,
                detail: "PostgreSQL at \(endpoint) refused a statement: \(message) (SQLSTATE \(state ?? "?"))",
                advice: "If the database was changed by hand, check its tables against this Footprint's schema.")
        default:
            return .server(location: location, detail: "PostgreSQL at \(endpoint) failed: \(error.code)", advice: "")
        }
    }

    /// Why a connection attempt failed, in a few words.
    private static func reason(of underlying: (any Error)?, timeout: Double?) -> String {
        guard let underlying else { return "no reason given" }
        if let error = underlying as? ChannelError, case .connectTimeout = error {
            return "no answer within \(timeout.map { String(format: "%g", $0) } ?? "?") s"
        }
        if let error = underlying as? NIOConnectionError {
            if let first = error.connectionErrors.first {
                return reason(of: first.error, timeout: timeout)
            }
            if error.dnsAAAAError != nil || error.dnsAError != nil { return "the host name does not resolve" }
        }
        if let error = underlying as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "connection refused: nothing listens on that port"
            case EHOSTUNREACH, ENETUNREACH: return "no route to the host"
            default: return "\(error)"
            }
        }
        return "\(underlying)"
    }
}
