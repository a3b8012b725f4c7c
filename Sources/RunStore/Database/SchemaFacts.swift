import GRDB

/// What a database says about whose it is: its `application_id`, its tables and the migrations
/// recorded in `grdb_migrations`, read in one snapshot.
struct SchemaFacts: Equatable {
    /// `PRAGMA application_id`: ``RunSchema/applicationID`` once the first migration committed.
    var applicationID: Int32
    /// The tables, SQLite's own excluded, sorted by name.
    var tables: [String]
    /// The identifiers in `grdb_migrations` (empty when the table is absent).
    var migrations: [String]

    /// Whose the database is, as far as its schema tells.
    enum Owner: Equatable {
        /// Marked with Footprint's application id.
        case footprint
        /// No mark and no table: a new file, free to become a Footprint database.
        case empty
        /// No mark and nothing but an empty `grdb_migrations`: what GRDB's `DatabaseMigrator`
        /// (which older Footprint builds used) commits on its own before the first migration,
        /// so another process may be half-way through creating the schema.
        case beingCreated
        /// Marked by another application, or holding tables Footprint did not create.
        case foreign
    }

    /// Reads the facts inside whatever transaction `db` is in.
    static func read(_ db: Database) throws -> SchemaFacts {
        let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
        let tables = try String.fetchAll(
            db,
            sql: """
                SELECT name FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name
                """)
        let migrations =
            tables.contains("grdb_migrations")
            ? try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
        return SchemaFacts(applicationID: applicationID, tables: tables, migrations: migrations)
    }

    var owner: Owner {
        if applicationID == RunSchema.applicationID { return .footprint }
        guard applicationID == 0 else { return .foreign }
        if tables.isEmpty { return .empty }
        if tables == ["grdb_migrations"] && migrations.isEmpty { return .beingCreated }
        return .foreign
    }

    /// Whether every migration this build knows is recorded.
    var isCurrent: Bool {
        owner == .footprint && Set(migrations).isSuperset(of: RunSchema.identifiers)
    }

    /// Refuses a Footprint database that records migrations this build does not know.
    ///
    /// - Throws: ``RunStoreError/newerSchema(path:databaseVersion:knownVersion:)``.
    func requireKnownMigrations(path: String) throws {
        guard migrations.contains(where: { !RunSchema.identifiers.contains($0) }) else { return }
        throw RunStoreError.newerSchema(
            path: path, databaseVersion: RunSchema.version(of: migrations), knownVersion: RunSchema.knownVersion)
    }
}
