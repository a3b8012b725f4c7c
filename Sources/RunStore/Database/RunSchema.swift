import GRDB

/// The store's schema: append-only migrations, one per issue that added tables or columns,
/// recorded in GRDB's `grdb_migrations` table and applied together in one transaction
/// (``migrate(_:path:)``).
///
/// Tables (columns are listed in each record type's `CodingKeys`):
/// - `runs` (v1, energy columns in v2, carbon columns in v3, resolution and `mixed` in v4, uuid, job, rank and heartbeat in v5,
///   bridged energy, its interval and the stored `energy_resolved` in v6, a wrapped program's startup, FLOPs per sample
///   and extra facts in v7): one row per run, ``RunRecord``.
/// - `epochs` (v1, `energy_joules` in v2): one row per finished epoch, ``EpochRecord``,
///   primary key (`run_id`, `epoch_index`).
/// - `layer_costs` (v1): ``LayerCostRecord``, primary key (`run_id`, `layer_index`).
/// - `metrics` (v1): final metrics, ``MetricRecord``, primary key (`run_id`, `split`, `name`).
/// - `power_samples` (v2): ``PowerSampleRecord``, indexed by (`run_id`, `elapsed_seconds`).
/// - `meter_energy` (v2, `bridged_seconds` and `bridged_joules` in v6): ``MeterEnergyRecord``,
///   primary key (`run_id`, `meter`, `zone`).
///
/// Every child table references `runs(id)` with `ON DELETE CASCADE`. Dates are UTC ISO 8601 text
/// with milliseconds (`2025-03-01T12:34:56.789Z`), so they sort as text; tags are a JSON array.
/// The file is marked with ``applicationID`` (`PRAGMA application_id`) and its schema version is
/// mirrored in `PRAGMA user_version`, so `file(1)` and `sqlite3` users can tell what it is.
///
/// Never edit a registered migration: add a new one at the end (`v8-…`) and bump
/// ``knownVersion``. Older builds then refuse the file with ``RunStoreError/newerSchema(path:databaseVersion:knownVersion:)``.
enum RunSchema {
    /// `PRAGMA application_id` of every Footprint database: the ASCII bytes `FPRT`.
    static let applicationID: Int32 = 0x4650_5254

    /// The schema version this build writes: the number of registered migrations.
    static let knownVersion = 7

    /// One step of the schema: its identifier in `grdb_migrations` and the statements it runs.
    struct Migration: Sendable {
        /// `vN-name`: the schema version it brings the file to, and the issue that needed it.
        let identifier: String
        /// Runs inside the caller's transaction, with foreign keys off.
        let apply: @Sendable (Database) throws -> Void
    }

    /// Every migration, in the order they are applied.
    static let migrations: [Migration] = [
        Migration(identifier: "v1-runs") { db in
            try db.execute(sql: "PRAGMA application_id = \(applicationID)")
            try db.execute(sql: version1SQL)
            try db.execute(sql: "PRAGMA user_version = 1")
        },
        Migration(identifier: "v2-energy") { db in
            try db.execute(sql: version2SQL)
            try db.execute(sql: "PRAGMA user_version = 2")
        },
        Migration(identifier: "v3-carbon") { db in
            try db.execute(sql: version3SQL)
            try db.execute(sql: "PRAGMA user_version = 3")
        },
        Migration(identifier: "v4-trust") { db in
            try allowMixedProvenance(db)
            try db.execute(sql: version4SQL)
            try db.execute(sql: "PRAGMA user_version = 4")
        },
        Migration(identifier: "v5-jobs") { db in
            try db.execute(sql: version5SQL)
            try db.execute(sql: "PRAGMA user_version = 5")
        },
        Migration(identifier: "v6-bridges") { db in
            try db.execute(sql: version6SQL)
            try db.execute(sql: "PRAGMA user_version = 6")
        },
        Migration(identifier: "v7-wrapped-model") { db in
            try db.execute(sql: version7SQL)
            try db.execute(sql: "PRAGMA user_version = 7")
        },
    ]

    /// The registered migration identifiers, in order.
    static let identifiers = migrations.map(\.identifier)

    /// The same migrations for GRDB's `DatabaseMigrator`, which builds up to 3 ran one
    /// transaction at a time: tests use it to make the files those builds left behind.
    /// ``migrate(_:path:)`` is what opening a store runs.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier) { db in try migration.apply(db) }
        }
        return migrator
    }

    /// The schema version a set of applied migration identifiers amounts to: the highest `vN-`
    /// prefix, or the count when an identifier has none.
    static func version(of applied: some Collection<String>) -> Int {
        applied.reduce(0) { highest, identifier in
            let digits = identifier.dropFirst().prefix { $0.isNumber }
            let number = identifier.first == "v" ? Int(digits) : nil
            return max(highest, number ?? applied.count)
        }
    }

    private static let version1SQL = """
        CREATE TABLE runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('train', 'wrap', 'api')),
            status TEXT NOT NULL
                CHECK (status IN ('running', 'completed', 'failed', 'interrupted', 'crashed')),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            host TEXT NOT NULL,
            pid INTEGER,
            process_start_ticks INTEGER,
            os TEXT,
            kernel TEXT,
            cpu_model TEXT,
            cpu_count INTEGER,
            memory_bytes INTEGER,
            command TEXT,
            model_description TEXT,
            model_name TEXT,
            parameter_count INTEGER,
            dataset TEXT,
            task TEXT,
            hyperparameters_json TEXT,
            seed INTEGER,
            git_commit TEXT,
            tags TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(tags)),
            error_text TEXT,
            exit_status INTEGER,
            wall_seconds REAL,
            cpu_seconds REAL,
            flops_forward INTEGER,
            flops_backward INTEGER,
            flops_optimizer INTEGER,
            flops_evaluation INTEGER,
            flops_total INTEGER,
            flops_matmul INTEGER,
            phase_seconds_json TEXT,
            gemm_kernel TEXT,
            samples_processed INTEGER,
            prediction_json TEXT
        );
        CREATE INDEX runs_started_at ON runs(started_at);
        CREATE INDEX runs_model_name ON runs(model_name);
        CREATE INDEX runs_status ON runs(status);

        CREATE TABLE epochs (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            epoch_index INTEGER NOT NULL,
            train_loss REAL,
            validation_loss REAL,
            accuracy REAL,
            mse REAL,
            r2 REAL,
            flops_forward INTEGER,
            flops_backward INTEGER,
            flops_optimizer INTEGER,
            flops_evaluation INTEGER,
            seconds_data REAL,
            seconds_forward REAL,
            seconds_backward REAL,
            seconds_optimizer REAL,
            seconds_evaluation REAL,
            wall_seconds REAL,
            elapsed_seconds REAL,
            samples INTEGER,
            PRIMARY KEY (run_id, epoch_index)
        );

        CREATE TABLE layer_costs (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            layer_index INTEGER NOT NULL,
            name TEXT NOT NULL,
            output_shape TEXT NOT NULL,
            parameters INTEGER NOT NULL,
            forward_flops INTEGER NOT NULL,
            backward_flops INTEGER NOT NULL,
            PRIMARY KEY (run_id, layer_index)
        );

        CREATE TABLE metrics (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value REAL NOT NULL,
            split TEXT NOT NULL CHECK (split IN ('train', 'validation')),
            PRIMARY KEY (run_id, split, name)
        );
        """

    private static let version2SQL = """
        CREATE TABLE power_samples (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            elapsed_seconds REAL NOT NULL,
            meter TEXT NOT NULL,
            zone TEXT NOT NULL,
            watts REAL NOT NULL
        );
        CREATE INDEX power_samples_run_id ON power_samples(run_id, elapsed_seconds);

        CREATE TABLE meter_energy (
            run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            meter TEXT NOT NULL,
            zone TEXT NOT NULL,
            joules REAL NOT NULL,
            included_in_total INTEGER NOT NULL CHECK (included_in_total IN (0, 1)),
            PRIMARY KEY (run_id, meter, zone)
        );

        ALTER TABLE runs ADD COLUMN energy_joules REAL;
        ALTER TABLE runs ADD COLUMN attributed_joules REAL;
        ALTER TABLE runs ADD COLUMN energy_provenance TEXT
            CHECK (energy_provenance IN ('measured', 'estimated'));
        ALTER TABLE runs ADD COLUMN idle_watts REAL;
        ALTER TABLE runs ADD COLUMN net_joules REAL;
        ALTER TABLE runs ADD COLUMN energy_notes_json TEXT;
        ALTER TABLE runs ADD COLUMN estimate_model TEXT;
        ALTER TABLE epochs ADD COLUMN energy_joules REAL;
        """

    /// SQLite cannot change a CHECK constraint in place, so `runs` is rebuilt from its own
    /// stored definition with `'mixed'` added, as SQLite's documentation prescribes (create,
    /// copy, drop, rename, recreate the indexes). Foreign keys are off during migrations (GRDB's
    /// migrator and ``migrate(_:path:)`` both see to it), so dropping `runs` deletes no child
    /// row, and the children's `REFERENCES runs(id)` names the rebuilt table once it is renamed.
    /// The AUTOINCREMENT counter is carried over, even when every run was deleted, so run ids
    /// are still never reused.
    private static func allowMixedProvenance(_ db: Database) throws {
        let old = "CHECK (energy_provenance IN ('measured', 'estimated'))"
        let new = "CHECK (energy_provenance IN ('measured', 'estimated', 'mixed'))"
        let definition = try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'runs'") ?? ""
        // Only the definition v1 and v2 wrote can be rebuilt safely; anything else is a bug to
        // report, not a migration to record as done while 'mixed' would still be refused.
        guard definition.contains(old), let nameRange = definition.range(of: "CREATE TABLE runs (") else {
            throw DatabaseError(
                resultCode: .SQLITE_ERROR,
                message: "migration v4-trust found no `\(old)` in the runs table's definition, so it cannot allow 'mixed'")
        }
        let rebuilt = definition.replacingCharacters(in: nameRange, with: "CREATE TABLE runs_rebuilt (")
            .replacingOccurrences(of: old, with: new)
        let indexes = try String.fetchAll(
            db, sql: "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'runs' AND sql IS NOT NULL")
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'runs'")
        try db.execute(sql: rebuilt)
        try db.execute(sql: "INSERT INTO runs_rebuilt SELECT * FROM runs")
        try db.execute(sql: "DROP TABLE runs")
        try db.execute(sql: "ALTER TABLE runs_rebuilt RENAME TO runs")
        for index in indexes { try db.execute(sql: index) }
        // The copy sets the new table's counter to the highest id still present (0 when none):
        // raise it back to the old one.
        if let sequence {
            try db.execute(sql: "UPDATE sqlite_sequence SET seq = max(seq, ?) WHERE name = 'runs'", arguments: [sequence])
        }
    }

    private static let version3SQL = """
        ALTER TABLE runs ADD COLUMN grams_co2e REAL;
        ALTER TABLE runs ADD COLUMN grams_co2e_low REAL;
        ALTER TABLE runs ADD COLUMN grams_co2e_high REAL;
        ALTER TABLE runs ADD COLUMN intensity_g_per_kwh REAL;
        ALTER TABLE runs ADD COLUMN intensity_source TEXT;
        ALTER TABLE runs ADD COLUMN intensity_year INTEGER;
        ALTER TABLE runs ADD COLUMN country TEXT;
        ALTER TABLE runs ADD COLUMN pue REAL;
        ALTER TABLE runs ADD COLUMN embodied_grams REAL;
        ALTER TABLE runs ADD COLUMN embodied_kg REAL;
        ALTER TABLE runs ADD COLUMN lifetime_years REAL;
        """

    private static let version4SQL = """
        ALTER TABLE runs ADD COLUMN energy_resolution_joules REAL;
        ALTER TABLE runs ADD COLUMN energy_resolution_seconds REAL;
        ALTER TABLE runs ADD COLUMN energy_resolution_source TEXT;
        """

    /// Run UUIDs (runs stored before v5 get a random version-4 UUID here), jobs and ranks, and
    /// the heartbeat that lets a store shared by many hosts tell a crashed run from a live one.
    private static let version5SQL = """
        ALTER TABLE runs ADD COLUMN uuid TEXT;
        UPDATE runs SET uuid = lower(
            hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-'
            || substr('89ab', 1 + (abs(random()) % 4), 1) || substr(hex(randomblob(2)), 2) || '-'
            || hex(randomblob(6)));
        CREATE UNIQUE INDEX runs_uuid ON runs(uuid);
        ALTER TABLE runs ADD COLUMN job_key TEXT;
        ALTER TABLE runs ADD COLUMN job_attempt INTEGER;
        ALTER TABLE runs ADD COLUMN rank INTEGER;
        ALTER TABLE runs ADD COLUMN local_rank INTEGER;
        ALTER TABLE runs ADD COLUMN world_size INTEGER;
        ALTER TABLE runs ADD COLUMN node TEXT;
        ALTER TABLE runs ADD COLUMN visible_devices TEXT;
        ALTER TABLE runs ADD COLUMN heartbeat_at TEXT;
        CREATE INDEX runs_job_key ON runs(job_key);
        """

    /// Energy a counter lost and the run bridged (issue 17): the joules bridged, the interval
    /// that holds the true energy once bridges are allowed for, and whether the figure is
    /// resolved as the run judged it (NULL for older runs, which are judged by their resolution
    /// alone); per zone, the seconds and joules bridged. NULL everywhere nothing was bridged.
    private static let version6SQL = """
        ALTER TABLE runs ADD COLUMN bridged_joules REAL;
        ALTER TABLE runs ADD COLUMN energy_minimum_joules REAL;
        ALTER TABLE runs ADD COLUMN energy_maximum_joules REAL;
        ALTER TABLE runs ADD COLUMN energy_resolved INTEGER CHECK (energy_resolved IN (0, 1));
        ALTER TABLE meter_energy ADD COLUMN bridged_seconds REAL;
        ALTER TABLE meter_energy ADD COLUMN bridged_joules REAL;
        """

    /// What a wrapped program says about itself (issue 19): the seconds and joules of its
    /// startup (before its `train_begin` event), the training FLOPs per sample of its model, and
    /// the facts it sent that have no column, as a JSON object. NULL for every other run.
    private static let version7SQL = """
        ALTER TABLE runs ADD COLUMN startup_seconds REAL;
        ALTER TABLE runs ADD COLUMN startup_joules REAL;
        ALTER TABLE runs ADD COLUMN flops_per_sample INTEGER;
        ALTER TABLE runs ADD COLUMN extra_facts_json TEXT CHECK (extra_facts_json IS NULL OR json_type(extra_facts_json) = 'object');
        """
}
