import Foundation
import GRDB

extension RunDatabase {
    /// Runs, newest first (by start time, then id), with the status a reader should see: a
    /// `running` run of this host whose process is gone reads `crashed`.
    ///
    /// - Parameter query: The filters:
    ///   - limit: At most this many runs; all when nil.
    ///   - model: Only runs whose `model_name` is this, or starts with it and a colon
    ///     (`mlp` matches `mlp:1-100-1`).
    ///   - status: Only runs whose effective status is this.
    ///   - tag: Only runs carrying this tag.
    ///   - job: Only runs of this job key.
    /// - Returns: The runs.
    /// - Throws: ``RunStoreError``.
    public func runs(_ query: RunQuery) throws -> [RunRecord] {
        let (limit, model, status, tag) = (query.limit, query.model, query.status, query.tag)
        var request = RunRecord.all()
        if let job = query.job { request = request.filter(RunRecord.Field.jobKey == job) }
        if let model {
            request = request.filter(
                sql: "(model_name = ? OR substr(model_name, 1, length(?) + 1) = ? || ':')",
                arguments: [model, model, model])
        }
        if let tag {
            request = request.filter(
                sql: "EXISTS (SELECT 1 FROM json_each(runs.tags) WHERE json_each.value = ?)",
                arguments: [tag])
        }
        // Whether a stored `running` row is effectively crashed is decided here, not in SQL, so
        // these two filters read both stored states and apply the limit afterwards.
        let decidedInSwift = status == .running || status == .crashed
        if let status {
            request =
                decidedInSwift
                ? request.filter([RunStatus.running.rawValue, RunStatus.crashed.rawValue].contains(RunRecord.Field.status))
                : request.filter(RunRecord.Field.status == status.rawValue)
        }
        request = request.order(RunRecord.Field.startedAt.desc, RunRecord.Field.id.desc)
        if let limit, !decidedInSwift { request = request.limit(max(0, limit)) }
        let rows = try perform { try pool.read { db in try request.fetchAll(db) } }
        var result = rows.map(withEffectiveStatus)
        if let status, decidedInSwift {
            result = result.filter { $0.status == status }
            if let limit { result = Array(result.prefix(max(0, limit))) }
        }
        return result
    }

    /// One run, with its effective status.
    ///
    /// - Parameter id: The run.
    /// - Returns: The run.
    /// - Throws: ``RunStoreError/runNotFound(id:)``.
    public func run(id: Int64) throws -> RunRecord {
        let row = try perform { try pool.read { db in try RunRecord.fetchOne(db, key: id) } }
        guard let row else { throw RunStoreError.runNotFound(id: id) }
        return withEffectiveStatus(row)
    }

    /// How many runs the database holds.
    ///
    /// - Returns: The number of rows in `runs`.
    /// - Throws: ``RunStoreError``.
    /// One run by UUID, with its effective status, or nil when this store has none.
    public func run(uuid: String) throws -> RunRecord? {
        let row = try perform { try pool.read { db in try RunRecord.filter(RunRecord.Field.uuid == uuid).fetchOne(db) } }
        return row.map(withEffectiveStatus)
    }

    public func runCount() throws -> Int {
        try perform { try pool.read { db in try RunRecord.fetchCount(db) } }
    }

    /// A run's finished epochs, in index order.
    ///
    /// - Parameter runID: The run.
    /// - Returns: The epochs; empty for an unknown run.
    /// - Throws: ``RunStoreError``.
    public func epochs(runID: Int64) throws -> [EpochRecord] {
        try fetch(EpochRecord.self, runID: runID, orderedBy: "epoch_index")
    }

    /// A run's per-layer costs, in layer order.
    ///
    /// - Parameter runID: The run.
    /// - Returns: The layers; empty for an unknown run.
    /// - Throws: ``RunStoreError``.
    public func layerCosts(runID: Int64) throws -> [LayerCostRecord] {
        try fetch(LayerCostRecord.self, runID: runID, orderedBy: "layer_index")
    }

    /// A run's final metrics, training split first, then by name.
    ///
    /// - Parameter runID: The run.
    /// - Returns: The metrics; empty for an unknown run.
    /// - Throws: ``RunStoreError``.
    public func metrics(runID: Int64) throws -> [MetricRecord] {
        try fetch(MetricRecord.self, runID: runID, orderedBy: "split, name")
    }

    /// A run's power samples in time order, then by meter and zone.
    ///
    /// - Parameter runID: The run.
    /// - Returns: The samples; empty for an unknown run.
    /// - Throws: ``RunStoreError``.
    public func powerSamples(runID: Int64) throws -> [PowerSampleRecord] {
        try fetch(PowerSampleRecord.self, runID: runID, orderedBy: "elapsed_seconds, meter, zone, rowid")
    }

    /// The energy each meter zone counted over a run, by meter and zone.
    ///
    /// - Parameter runID: The run.
    /// - Returns: The rows; empty for an unknown run.
    /// - Throws: ``RunStoreError``.
    public func meterEnergy(runID: Int64) throws -> [MeterEnergyRecord] {
        try fetch(MeterEnergyRecord.self, runID: runID, orderedBy: "meter, zone")
    }

    /// The migrations applied to this file, in the order they ran.
    ///
    /// - Returns: Identifiers such as `v1-runs`.
    /// - Throws: ``RunStoreError``.
    public func appliedMigrations() throws -> [String] {
        try perform { try pool.read { db in try RunSchema.migrator.appliedMigrations(db) } }
    }

    private func fetch<Row: FetchableRecord & TableRecord>(_ type: Row.Type, runID: Int64, orderedBy order: String) throws -> [Row] {
        try perform {
            try pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM \(Row.databaseTableName) WHERE run_id = ? ORDER BY \(order)",
                    arguments: [runID])
            }
        }
    }
}
