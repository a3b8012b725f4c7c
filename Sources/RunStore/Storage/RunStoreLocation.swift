import Foundation

/// Where `--db` / `FOOTPRINT_DB` points: a SQLite file (the embedded default) or a PostgreSQL
/// server shared by a team.
public enum RunStoreLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file, created on first use.
    case file(path: String)
    /// A PostgreSQL server: `postgres://user[:password]@host[:port]/database[?sslmode=…]`.
    case postgres(url: String)

    /// Reads a `--db` value: `postgres://` and `postgresql://` URLs name a server, anything else
    /// a file path.
    public init(_ text: String) {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(url: text)
        } else {
            self = .file(path: text)
        }
    }

    /// The location for messages and logs: a server URL loses its password.
    public var description: String {
        switch self {
        case .file(let path): return path
        case .postgres(let url): return Self.redacting(url)
        }
    }

    /// Whether this is a server shared with other machines.
    public var isServer: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// `url` with any password between `user:` and `@` replaced by `***`.
    public static func redacting(_ url: String) -> String {
        guard let password = passwordRange(in: url) else { return url }
        return url.replacingCharacters(in: password, with: "***")
    }

    /// `url` without its password (`postgres://user:secret@host/db` becomes
    /// `postgres://user@host/db`): for an environment handed to a program Footprint runs, which
    /// may use the same store through `~/.pgpass` but is never given the password itself.
    public static func removingPassword(from url: String) -> String {
        guard let password = passwordRange(in: url) else { return url }
        // The colon before the password goes with it.
        return url.replacingCharacters(in: url.index(before: password.lowerBound)..<password.upperBound, with: "")
    }

    /// Where the password of `scheme://user:password@host…` lies, if the URL has one.
    private static func passwordRange(in url: String) -> Range<String.Index>? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        guard let at = rest.lastIndex(of: "@") else { return nil }
        guard let colon = rest[..<at].firstIndex(of: ":") else { return nil }
        return url.index(after: colon)..<at
    }
}

/// Opens the store a location names. The `RunStore` module opens files only; the command line
/// and programs that link `PostgresRunStore` pass an opener that knows servers too.
public typealias RunStoreOpener = @Sendable (_ location: RunStoreLocation, _ busyTimeoutSeconds: Double) throws -> any RunStorage

extension RunDatabase {
    /// Opens SQLite files, and refuses a server address with an error that says how to reach it.
    public static let fileOpener: RunStoreOpener = { location, busyTimeoutSeconds in
        switch location {
        case .file(let path):
            return try RunDatabase.open(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        case .postgres:
            throw RunStoreError.invalidLocation(
                location: location.description,
                reason: "this program was built without the PostgreSQL engine; link the PostgresRunStore "
                    + "library and pass its opener (the footprint command has it)")
        }
    }
}
