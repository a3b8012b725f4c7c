import Foundation
import RunStore

/// A `postgres://` URL taken apart: where the server is, who logs in, which database and
/// schema, and whether to use TLS. The password is kept apart from everything that is printed.
struct PostgresAddress: Sendable, Equatable {
    /// How the connection uses TLS, after libpq's `sslmode` (`disable`, `prefer`, `require`).
    enum TLSMode: String, Sendable {
        /// Plain TCP (the default: loopback and private networks).
        case disable
        /// TLS when the server offers it, plain TCP otherwise.
        case prefer
        /// TLS or no connection. As in libpq, the server's certificate is not verified.
        case require
    }

    /// Where the password came from, for the message when the server refuses it.
    enum PasswordSource: String, Sendable {
        case url = "the URL"
        case environment = "PGPASSWORD"
        case passFile = "~/.pgpass"
        case none = "no password given"
    }

    var host: String
    var port: Int
    var user: String
    var password: String?
    var passwordSource: PasswordSource
    var database: String
    /// The schema Footprint's tables live in (`?schema=`; default `public`).
    var schema: String?
    var tlsMode: TLSMode

    /// `host:port`, for messages.
    var endpoint: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The address for messages: never the password.
    var redacted: String {
        var text = "postgres://\(user)@\(endpoint)/\(database)"
        if let schema { text += "?schema=\(schema)" }
        return text
    }

    /// Reads `url`: `postgres[ql]://[user[:password]@]host[:port][/database][?sslmode=…&schema=…]`.
    ///
    /// The user defaults to `PGUSER`, then the login name; the database to the user's name, as
    /// libpq does. Without a password in the URL, `PGPASSWORD` is used, then the `~/.pgpass`
    /// line (or `PGPASSFILE`'s) that matches host, port, database and user.
    ///
    /// - Throws: ``RunStoreError/invalidLocation(location:reason:)`` for a malformed URL or an
    ///   unknown parameter value.
    init(url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let shown = RunStoreLocation.redacting(url)
        func invalid(_ reason: String) -> RunStoreError { .invalidLocation(location: shown, reason: reason) }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "postgres" || scheme == "postgresql"
        else { throw invalid("it is not a postgres:// URL (a character may need percent-encoding)") }
        guard let host = components.host, !host.isEmpty else { throw invalid("the URL names no host") }
        self.host = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        port = components.port ?? 5432
        guard (1...65_535).contains(port) else { throw invalid("port \(port) is out of range") }
        user = components.user.flatMap { $0.isEmpty ? nil : $0 } ?? environment["PGUSER"] ?? Self.loginName()
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        database = path.isEmpty ? (environment["PGDATABASE"] ?? user) : path
        tlsMode = .disable
        schema = nil
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                guard let mode = TLSMode(rawValue: item.value ?? "") else {
                    throw invalid("sslmode must be disable, prefer or require, not '\(item.value ?? "")'")
                }
                tlsMode = mode
            case "schema":
                guard let value = item.value, Self.isPlainIdentifier(value) else {
                    throw invalid("schema must be a plain identifier (letters, digits, _), not '\(item.value ?? "")'")
                }
                schema = value
            default:
                throw invalid("unknown parameter '\(item.name)' (Footprint reads sslmode and schema)")
            }
        }
        if let password = components.password {
            self.password = password
            passwordSource = .url
        } else if let password = environment["PGPASSWORD"] {
            self.password = password
            passwordSource = .environment
        } else if let password = PostgresPassFile.password(
            host: self.host, port: port, database: database, user: user, environment: environment)
        {
            self.password = password
            passwordSource = .passFile
        } else {
            password = nil
            passwordSource = .none
        }
    }

    /// Letters, digits and `_`, not starting with a digit: safe to splice into SQL unquoted.
    static func isPlainIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, !("0"..."9").contains(first), text.count <= 63 else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
    }

    private static func loginName() -> String {
        if let name = ProcessInfo.processInfo.environment["USER"], !name.isEmpty { return name }
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return "postgres" }
        return String(cString: name)
    }
}
