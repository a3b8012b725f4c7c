import GRDB

extension RunSchema {
    /// Brings the database behind `writer` to ``knownVersion``, creating the schema in a new
    /// or empty file.
    ///
    /// GRDB's `DatabaseMigrator` commits `grdb_migrations` on its own and then each migration
    /// in a transaction of its own, so a process opening a file that another process is
    /// creating could find only `grdb_migrations` (and refuse it as another application's) or a
    /// partial schema. Here the ownership check, `grdb_migrations` and every missing migration
    /// share one `BEGIN IMMEDIATE` transaction: other processes see an empty file or the whole
    /// schema, never a part, and one that reaches the write lock second finds the work done.
    /// The table keeps GRDB's layout, so files stay readable by builds that use the migrator.
    ///
    /// - Parameters:
    ///   - writer: The database; its connection's foreign keys are off during the
    ///     transaction (rebuilding `runs` must not cascade) and checked before it commits.
    ///   - path: The file, for error messages.
    /// - Throws: ``RunStoreError/newerSchema(path:databaseVersion:knownVersion:)``,
    ///   ``RunStoreError/foreignDatabase(path:tables:)`` when the file turned out not to be
    ///   ours, or the GRDB error of a failed statement (nothing is then committed).
    static func migrate(_ writer: some DatabaseWriter, path: String) throws {
        // An up-to-date file needs no write lock: opening it never waits behind a long write.
        let snapshot = try writer.read(SchemaFacts.read)
        try snapshot.requireKnownMigrations(path: path)
        if snapshot.isCurrent { return }
        try writer.writeWithoutTransaction { db in
            // PRAGMA foreign_keys is a no-op inside a transaction, so it is switched outside.
            let foreignKeys = try Bool.fetchOne(db, sql: "PRAGMA foreign_keys") ?? false
            if foreignKeys { try db.execute(sql: "PRAGMA foreign_keys = OFF") }
            let outcome = Result {
                try db.inTransaction(.immediate) {
                    try applyMissingMigrations(db, path: path)
                    return .commit
                }
            }
            if foreignKeys { try db.execute(sql: "PRAGMA foreign_keys = ON") }
            try outcome.get()
        }
    }

    /// The body of the migration transaction: checks again, under the write lock, what the file
    /// holds, then applies what is missing, in registration order.
    private static func applyMissingMigrations(_ db: Database, path: String) throws {
        let facts = try SchemaFacts.read(db)
        switch facts.owner {
        case .footprint, .empty, .beingCreated: break
        case .foreign: throw RunStoreError.foreignDatabase(path: path, tables: facts.tables)
        }
        try facts.requireKnownMigrations(path: path)
        try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        for migration in migrations where !facts.migrations.contains(migration.identifier) {
            try migration.apply(db)
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
        }
        try db.checkForeignKeys()
    }
}
