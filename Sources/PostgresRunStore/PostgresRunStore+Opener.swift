import PostgresNIO
import RunStore

extension PostgresRunStore {
    /// Opens SQLite files with ``RunDatabase`` and `postgres://` URLs with ``PostgresRunStore``:
    /// pass it as `TrackerOptions.storeOpener` to record into either.
    public static let opener: RunStoreOpener = { location, busyTimeoutSeconds in
        switch location {
        case .file: return try RunDatabase.fileOpener(location, busyTimeoutSeconds)
        case .postgres(let url): return try PostgresRunStore.open(url: url)
        }
    }
}

extension PostgresRunStore {
    /// Opens stores for the commands that only read (`runs`, `show`, `report`, `export`,
    /// `compare`, the source of `sync`): a SQLite file with ``RunDatabase/openForReading(path:busyTimeoutSeconds:)``,
    /// so a read-only file is read rather than refused, and a `postgres://` URL as ``opener`` does.
    public static let readingOpener: RunStoreOpener = { location, busyTimeoutSeconds in
        switch location {
        case .file(let path): return try RunDatabase.openForReading(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        case .postgres: return try opener(location, busyTimeoutSeconds)
        }
    }
}

extension PostgresRunStore {
    /// `PostgreSQL at host:port`, for messages about the server rather than one database.
    public var serverDescription: String { "PostgreSQL at \(address.endpoint)" }
}

extension PostgresRunStore {
    /// Runs one statement of the caller's, for this package's tests (dropping a test schema,
    /// planting a migration from the future).
    package func execute(_ sql: String) throws {
        try withConnection { connection in try connection.run(PostgresQuery(unsafeSQL: sql)) }
    }
}

extension PostgresRunStore {
    /// The first column of the first row of a query of the caller's, for this package's tests.
    package func integer(_ sql: String) throws -> Int64 {
        try withConnection { connection in try Self.firstInteger(connection.rows(PostgresQuery(unsafeSQL: sql))) }
    }
}
