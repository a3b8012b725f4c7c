import Foundation
import PostgresNIO
import RunStore

extension PostgresRunStore {
    /// Brings the database to ``PostgresSchema/knownVersion`` in one transaction.
    ///
    /// The transaction first takes `pg_advisory_xact_lock`, so when many machines open a new
    /// database at once, one creates the tables while the others wait, then find the work done;
    /// nobody sees a half-made schema, and the lock goes with the transaction even if the
    /// process dies. An up-to-date database is checked without the lock.
    ///
    /// - Throws: ``RunStoreError/newerSchema(path:databaseVersion:knownVersion:)`` when the
    ///   database holds migrations this build does not know; a server error otherwise.
    func migrate() throws {
        if try appliedMigrations().map(Set.init) == Set(PostgresSchema.migrations.map(\.identifier)) { return }
        try inTransaction { connection in
            try connection.run("SELECT pg_advisory_xact_lock(\(PostgresSchema.advisoryLockKey))")
            if let schema = address.schema {
                // Checked by PostgresAddress.isPlainIdentifier: safe unquoted.
                try connection.run(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \(schema)"))
            }
            try connection.run(
                "CREATE TABLE IF NOT EXISTS footprint_migrations (identifier TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
            let applied = try connection.rows("SELECT identifier FROM footprint_migrations").map { try $0.decode(String.self) }
            try requireKnown(applied)
            for migration in PostgresSchema.migrations where !applied.contains(migration.identifier) {
                for statement in migration.statements { try connection.run(PostgresQuery(unsafeSQL: statement)) }
                try connection.run(
                    "INSERT INTO footprint_migrations (identifier, applied_at) VALUES (\(migration.identifier), \(Timestamp.text(Date())))")
            }
        }
    }

    /// The migrations applied to this database, or nil when it has no migrations table yet.
    ///
    /// - Returns: Identifiers such as `v5-jobs`.
    /// - Throws: ``RunStoreError``.
    public func appliedMigrations() throws -> [String]? {
        try withConnection { connection in
            let exists = try connection.rows("SELECT to_regclass('footprint_migrations') IS NOT NULL").first?.decode(Bool.self) ?? false
            guard exists else { return nil }
            let applied = try connection.rows("SELECT identifier FROM footprint_migrations ORDER BY identifier")
                .map { try $0.decode(String.self) }
            try requireKnown(applied)
            return applied
        }
    }

    private func requireKnown(_ applied: [String]) throws {
        let known = Set(PostgresSchema.migrations.map(\.identifier))
        guard applied.allSatisfy(known.contains) else {
            throw RunStoreError.newerSchema(
                path: locationDescription, databaseVersion: max(PostgresSchema.version(of: applied), PostgresSchema.knownVersion + 1),
                knownVersion: PostgresSchema.knownVersion)
        }
    }
}
