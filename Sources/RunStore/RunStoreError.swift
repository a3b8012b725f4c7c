import GRDB

/// Everything that can go wrong opening or using a run database. Each description says what
/// happened, to which file, and what to do about it.
public enum RunStoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file exists but is not an SQLite database. It was not modified.
    case notSQLite(path: String)
    /// The file is an SQLite database that Footprint did not create. It was not modified.
    case foreignDatabase(path: String, tables: [String])
    /// The file was written by a newer Footprint whose schema this build does not know.
    case newerSchema(path: String, databaseVersion: Int, knownVersion: Int)
    /// The file is damaged (truncated, overwritten, failed integrity check). It was not modified.
    case corrupted(path: String, detail: String)
    /// The database or its directory cannot be written (or does not exist).
    case unwritable(path: String, reason: String)
    /// Another process held the write lock for longer than the busy timeout.
    case locked(path: String, seconds: Double)
    /// The disk (or quota) is full.
    case diskFull(path: String)
    /// No run has this id.
    case runNotFound(id: Int64)
    /// A status change a run cannot make, such as finishing it twice.
    case invalidTransition(id: Int64, from: RunStatus, to: RunStatus)
    /// Any other SQLite failure, with SQLite's own message.
    case sqlite(path: String, detail: String)
    /// A run with this UUID is already in the store (``RunStorage/importRun(_:)``).
    case duplicateRun(uuid: String, location: String)
    /// The store address is not one Footprint can open (an unknown scheme, a malformed URL).
    case invalidLocation(location: String, reason: String)
    /// A database server could not be reached, refused the login, or failed a statement.
    /// `location` never includes a password.
    case server(location: String, detail: String, advice: String)

    public var description: String {
        switch self {
        case .notSQLite(let path):
            return "\(path) is not an SQLite database, so it is not a Footprint run database; "
                + "it was left untouched. Pass another file with --db or FOOTPRINT_DB."
        case .foreignDatabase(let path, let tables):
            let listed = tables.prefix(8).joined(separator: ", ") + (tables.count > 8 ? ", …" : "")
            return "\(path) is an SQLite database of another application (tables: \(listed)); "
                + "Footprint left it untouched. Pass another file with --db or FOOTPRINT_DB."
        case .newerSchema(let path, let databaseVersion, let knownVersion):
            return "\(path) was written by a newer Footprint (schema \(databaseVersion)); this build "
                + "knows schema \(knownVersion): upgrade Footprint to read it. The file was left untouched."
        case .corrupted(let path, let detail):
            return "\(path) is a damaged database (\(detail)); Footprint did not modify it. "
                + "Restore it from a backup, or try `sqlite3 \(path) .recover`, or use another --db."
        case .unwritable(let path, let reason):
            return "cannot write the run database \(path): \(reason). Fix the permissions or pass "
                + "a writable file with --db or FOOTPRINT_DB."
        case .locked(let path, let seconds):
            return "\(path) stayed locked by another process for \(formatted(seconds)) s; "
                + "try again when it finishes, or raise the busy timeout."
        case .diskFull(let path):
            return "the disk holding \(path) is full; free some space and run again "
                + "(the runs recorded so far are kept)."
        case .runNotFound(let id):
            return "no run with id \(id) in this database; `footprint runs` lists the ids."
        case .invalidTransition(let id, let from, let to):
            return "run \(id) is \(from.rawValue) and cannot become \(to.rawValue); "
                + "only a running (or crashed) run can be finished."
        case .sqlite(let path, let detail):
            return "SQLite failed on \(path): \(detail)."
        case .duplicateRun(let uuid, let location):
            return "run \(uuid) is already in \(location); it was not stored a second time "
                + "(each run needs its own RunRecord, and footprint sync copies a run once)."
        case .invalidLocation(let location, let reason):
            return "cannot open the run store \(location): \(reason). Pass a file path or "
                + "postgres://user@host:port/database with --db or FOOTPRINT_DB."
        case .server(let location, let detail, let advice):
            return "the run store \(location) failed: \(detail). \(advice)"
        }
    }

    /// Translates an error thrown by GRDB or SQLite into the store's error for `path`.
    static func wrapping(_ error: any Error, path: String, busyTimeoutSeconds: Double) -> RunStoreError {
        if let error = error as? RunStoreError { return error }
        guard let error = error as? DatabaseError else {
            return .sqlite(path: path, detail: String(describing: error))
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path, seconds: busyTimeoutSeconds)
        case .SQLITE_FULL: return .diskFull(path: path)
        case .SQLITE_CORRUPT: return .corrupted(path: path, detail: detail)
        case .SQLITE_NOTADB: return .notSQLite(path: path)
        case .SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_AUTH:
            return .unwritable(path: path, reason: detail)
        default: return .sqlite(path: path, detail: detail)
        }
    }

    private func formatted(_ seconds: Double) -> String {
        seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    }
}
