import GRDB

extension RunDatabase {
    /// The `CREATE` statements of the current schema, as `sqlite3 footprint.sqlite .schema`
    /// prints them (columns added by later migrations included), for the README.
    ///
    /// - Returns: One statement per table and index, separated by blank lines.
    /// - Throws: ``RunStoreError`` if the migrations cannot run (a bug in this build).
    public static func schemaSQL() throws -> String {
        do {
            let queue = try DatabaseQueue()
            try RunSchema.migrate(queue, path: ":memory:")
            let statements = try queue.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT sql || ';' FROM sqlite_master
                        WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name != 'grdb_migrations'
                        ORDER BY rowid
                        """)
            }
            return statements.joined(separator: "\n\n")
        } catch {
            throw RunStoreError.wrapping(error, path: ":memory:", busyTimeoutSeconds: 0)
        }
    }

    /// A query people can paste into `sqlite3 -header -column footprint.sqlite`: the last 20
    /// runs with their time, FLOPs, energy (and how it was obtained), CO2e and validation MSE.
    public static let exampleQuery = """
        SELECT id, name, model_name, status, started_at,
               round(wall_seconds, 2) AS seconds, flops_total,
               round(energy_joules, 1) AS joules, energy_provenance,
               round(grams_co2e, 3) AS g_co2e,
               (SELECT value FROM metrics
                 WHERE metrics.run_id = runs.id AND split = 'validation' AND name = 'mse') AS validation_mse
        FROM runs
        ORDER BY started_at DESC, id DESC
        LIMIT 20;
        """
}
