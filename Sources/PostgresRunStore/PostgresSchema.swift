/// The PostgreSQL schema: the same tables, columns and constraints as the SQLite file at the
/// same version (``RunDatabase/schemaVersion``), so one record definition reads and writes both.
///
/// Types: every integer is `BIGINT` (SQLite's INTEGER is 64-bit), every real `DOUBLE
/// PRECISION`, text `TEXT`. Run ids come from an identity column, whose sequence never hands
/// out a number twice, even after deletes (SQLite's AUTOINCREMENT). Booleans stay 0/1 integers
/// as in SQLite, so GRDB decodes them the same way.
///
/// Dates stay the ISO 8601 UTC text with milliseconds that ``Timestamp`` writes, not
/// `timestamptz`: the fixed width makes text order time order (indexes and `ORDER BY` work),
/// the crash check compares `heartbeat_at` with the exact value it read, and the records'
/// GRDB date strategy decodes them unchanged. `timestamptz` would need a second codec and
/// would round-trip through microseconds and time zones for no gain here.
///
/// Applied versions are rows of `footprint_migrations`. Never edit a migration: add one (`v8-…`)
/// when SQLite gains one, and older builds refuse the database as newer than they know.
enum PostgresSchema {
    /// One step of the schema.
    struct Migration: Sendable {
        /// `vN-name`: the schema version it brings the database to.
        let identifier: String
        /// Statements run in order inside the migration transaction.
        let statements: [String]
    }

    /// The version this build writes (the SQLite file's at the same release).
    static let knownVersion = 7

    /// Every migration, in order. PostgreSQL support arrived with schema 5, so its first step
    /// creates everything SQLite's v1…v5 built up; later steps mirror SQLite's one for one.
    static let migrations: [Migration] = [
        Migration(identifier: "v5-jobs", statements: version5),
        Migration(identifier: "v6-bridges", statements: version6),
        Migration(identifier: "v7-wrapped-model", statements: version7),
    ]

    /// The lock key every migrating session takes (`pg_advisory_xact_lock`): the ASCII of `FPRT`.
    static let advisoryLockKey: Int64 = 0x4650_5254

    private static let version5 = [
        """
        CREATE TABLE runs (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('train', 'wrap', 'api')),
            status TEXT NOT NULL
                CHECK (status IN ('running', 'completed', 'failed', 'interrupted', 'crashed')),
            started_at TEXT NOT NULL,
            ended_at TEXT,
            host TEXT NOT NULL,
            pid BIGINT,
            process_start_ticks BIGINT,
            os TEXT,
            kernel TEXT,
            cpu_model TEXT,
            cpu_count BIGINT,
            memory_bytes BIGINT,
            command TEXT,
            model_description TEXT,
            model_name TEXT,
            parameter_count BIGINT,
            dataset TEXT,
            task TEXT,
            hyperparameters_json TEXT,
            seed BIGINT,
            git_commit TEXT,
            tags TEXT NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(tags::jsonb) = 'array'),
            error_text TEXT,
            exit_status BIGINT,
            wall_seconds DOUBLE PRECISION,
            cpu_seconds DOUBLE PRECISION,
            flops_forward BIGINT,
            flops_backward BIGINT,
            flops_optimizer BIGINT,
            flops_evaluation BIGINT,
            flops_total BIGINT,
            flops_matmul BIGINT,
            phase_seconds_json TEXT,
            gemm_kernel TEXT,
            samples_processed BIGINT,
            prediction_json TEXT,
            energy_joules DOUBLE PRECISION,
            attributed_joules DOUBLE PRECISION,
            energy_provenance TEXT CHECK (energy_provenance IN ('measured', 'estimated', 'mixed')),
            idle_watts DOUBLE PRECISION,
            net_joules DOUBLE PRECISION,
            energy_notes_json TEXT,
            estimate_model TEXT,
            grams_co2e DOUBLE PRECISION,
            grams_co2e_low DOUBLE PRECISION,
            grams_co2e_high DOUBLE PRECISION,
            intensity_g_per_kwh DOUBLE PRECISION,
            intensity_source TEXT,
            intensity_year BIGINT,
            country TEXT,
            pue DOUBLE PRECISION,
            embodied_grams DOUBLE PRECISION,
            embodied_kg DOUBLE PRECISION,
            lifetime_years DOUBLE PRECISION,
            energy_resolution_joules DOUBLE PRECISION,
            energy_resolution_seconds DOUBLE PRECISION,
            energy_resolution_source TEXT,
            uuid TEXT NOT NULL,
            job_key TEXT,
            job_attempt BIGINT,
            rank BIGINT,
            local_rank BIGINT,
            world_size BIGINT,
            node TEXT,
            visible_devices TEXT,
            heartbeat_at TEXT
        )
        """,
        "CREATE UNIQUE INDEX runs_uuid ON runs (uuid)",
        "CREATE INDEX runs_started_at ON runs (started_at)",
        "CREATE INDEX runs_model_name ON runs (model_name)",
        "CREATE INDEX runs_status ON runs (status)",
        "CREATE INDEX runs_job_key ON runs (job_key)",
        """
        CREATE TABLE epochs (
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            epoch_index BIGINT NOT NULL,
            train_loss DOUBLE PRECISION,
            validation_loss DOUBLE PRECISION,
            accuracy DOUBLE PRECISION,
            mse DOUBLE PRECISION,
            r2 DOUBLE PRECISION,
            flops_forward BIGINT,
            flops_backward BIGINT,
            flops_optimizer BIGINT,
            flops_evaluation BIGINT,
            seconds_data DOUBLE PRECISION,
            seconds_forward DOUBLE PRECISION,
            seconds_backward DOUBLE PRECISION,
            seconds_optimizer DOUBLE PRECISION,
            seconds_evaluation DOUBLE PRECISION,
            wall_seconds DOUBLE PRECISION,
            elapsed_seconds DOUBLE PRECISION,
            samples BIGINT,
            energy_joules DOUBLE PRECISION,
            PRIMARY KEY (run_id, epoch_index)
        )
        """,
        """
        CREATE TABLE layer_costs (
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            layer_index BIGINT NOT NULL,
            name TEXT NOT NULL,
            output_shape TEXT NOT NULL,
            parameters BIGINT NOT NULL,
            forward_flops BIGINT NOT NULL,
            backward_flops BIGINT NOT NULL,
            PRIMARY KEY (run_id, layer_index)
        )
        """,
        """
        CREATE TABLE metrics (
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value DOUBLE PRECISION NOT NULL,
            split TEXT NOT NULL CHECK (split IN ('train', 'validation')),
            PRIMARY KEY (run_id, split, name)
        )
        """,
        // `id` plays SQLite's rowid: samples of the same instant read back in insertion order.
        """
        CREATE TABLE power_samples (
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            elapsed_seconds DOUBLE PRECISION NOT NULL,
            meter TEXT NOT NULL,
            zone TEXT NOT NULL,
            watts DOUBLE PRECISION NOT NULL
        )
        """,
        "CREATE INDEX power_samples_run_id ON power_samples (run_id, elapsed_seconds)",
        """
        CREATE TABLE meter_energy (
            run_id BIGINT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            meter TEXT NOT NULL,
            zone TEXT NOT NULL,
            joules DOUBLE PRECISION NOT NULL,
            included_in_total BIGINT NOT NULL CHECK (included_in_total IN (0, 1)),
            PRIMARY KEY (run_id, meter, zone)
        )
        """,
    ]

    /// SQLite's v6: bridged energy, its interval and the stored `energy_resolved` per run; the
    /// seconds and joules bridged per zone.
    private static let version6 = [
        "ALTER TABLE runs ADD COLUMN bridged_joules DOUBLE PRECISION",
        "ALTER TABLE runs ADD COLUMN energy_minimum_joules DOUBLE PRECISION",
        "ALTER TABLE runs ADD COLUMN energy_maximum_joules DOUBLE PRECISION",
        "ALTER TABLE runs ADD COLUMN energy_resolved BIGINT CHECK (energy_resolved IN (0, 1))",
        "ALTER TABLE meter_energy ADD COLUMN bridged_seconds DOUBLE PRECISION",
        "ALTER TABLE meter_energy ADD COLUMN bridged_joules DOUBLE PRECISION",
    ]

    /// SQLite's v7: a wrapped program's startup seconds and joules, its model's training FLOPs
    /// per sample, and its extra facts as a JSON object.
    private static let version7 = [
        "ALTER TABLE runs ADD COLUMN startup_seconds DOUBLE PRECISION",
        "ALTER TABLE runs ADD COLUMN startup_joules DOUBLE PRECISION",
        "ALTER TABLE runs ADD COLUMN flops_per_sample BIGINT",
        "ALTER TABLE runs ADD COLUMN extra_facts_json TEXT CHECK (extra_facts_json IS NULL OR jsonb_typeof(extra_facts_json::jsonb) = 'object')",
    ]

    /// The schema version a set of applied identifiers amounts to: the highest `vN-` prefix.
    static func version(of applied: [String]) -> Int {
        applied.reduce(0) { highest, identifier in
            let digits = identifier.dropFirst().prefix { $0.isNumber }
            return max(highest, identifier.first == "v" ? Int(digits) ?? 0 : 0)
        }
    }
}
