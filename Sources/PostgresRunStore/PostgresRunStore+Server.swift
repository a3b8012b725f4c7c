import PostgresNIO
import RunStore

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
