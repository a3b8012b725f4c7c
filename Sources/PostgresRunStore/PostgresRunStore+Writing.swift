import Foundation
import GRDB
import PostgresNIO
import RunStore

extension PostgresRunStore {
    /// Records a new run with status `running` (its `id`, `status` and `endedAt` are ignored).
    ///
    /// - Returns: The run's number, from a sequence that never hands one out twice.
    /// - Throws: ``RunStoreError``.
    @discardableResult
    public func insertRun(_ run: RunRecord) throws -> Int64 {
        var row = run
        row.id = nil
        row.status = .running
        row.endedAt = nil
        let query = try PostgresRecordCoding.insert(row, excluding: ["id"], suffix: " RETURNING id")
        return try withConnection { connection in try Self.firstInteger(connection.rows(query)) }
    }

    /// Replaces every column of an existing run with `run`'s fields.
    ///
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when no run has its id.
    public func updateRun(_ run: RunRecord) throws {
        guard let id = run.id else { throw RunStoreError.runNotFound(id: 0) }
        let query = try PostgresRecordCoding.update(run, id: id)
        let changed = try withConnection { connection in try connection.run(query) }
        if changed == 0 { throw RunStoreError.runNotFound(id: id) }
    }

    /// Ends a running (or crashed) run with its final status, end time and the figures given.
    ///
    /// - Throws: ``RunStoreError/runNotFound(id:)``, or ``RunStoreError/invalidTransition(id:from:to:)``
    ///   when `status` is `running` or the run already ended.
    public func finishRun(
        id: Int64, status: RunStatus, endedAt: Date, errorText: String?, exitStatus: Int32?,
        wallSeconds: Double?, cpuSeconds: Double?
    ) throws {
        try inTransaction { connection in
            var run = try Self.lockedRun(id: id, to: status, in: connection)
            run.status = status
            run.endedAt = endedAt
            run.errorText = errorText ?? run.errorText
            run.exitStatus = exitStatus ?? run.exitStatus
            run.wallSeconds = wallSeconds ?? run.wallSeconds
            run.cpuSeconds = cpuSeconds ?? run.cpuSeconds
            try connection.run(PostgresRecordCoding.update(run, id: id))
        }
    }

    /// Ends a running run in one transaction: last samples, energy per meter zone, every field
    /// of `run` and its final status.
    ///
    /// - Returns: The run as stored.
    /// - Throws: ``RunStoreError/runNotFound(id:)`` or ``RunStoreError/invalidTransition(id:from:to:)``.
    @discardableResult
    public func completeRun(
        _ run: RunRecord, status: RunStatus, endedAt: Date, samples: [PowerSampleRecord], meterEnergy: [MeterEnergyRecord]
    ) throws -> RunRecord {
        guard let id = run.id else { throw RunStoreError.runNotFound(id: 0) }
        return try inTransaction { connection in
            _ = try Self.lockedRun(id: id, to: status, in: connection)
            try Self.insert(samples: samples, in: connection)
            for row in meterEnergy { try connection.run(PostgresRecordCoding.upsert(row, key: Self.meterEnergyKey)) }
            var finished = run
            finished.status = status
            finished.endedAt = endedAt
            try connection.run(PostgresRecordCoding.update(finished, id: id))
            return finished
        }
    }

    /// Deletes runs and, through `ON DELETE CASCADE`, everything recorded about them.
    ///
    /// - Returns: How many runs were deleted.
    /// - Throws: ``RunStoreError``.
    @discardableResult
    public func deleteRuns(ids: [Int64]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        return try withConnection { connection in try connection.run("DELETE FROM runs WHERE id = ANY(\(ids))") }
    }

    /// Commits one finished epoch in one statement, replacing a row of the same index.
    ///
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when its run does not exist.
    public func appendEpoch(_ epoch: EpochRecord) throws {
        let query = try PostgresRecordCoding.upsert(epoch, key: ["run_id", "epoch_index"])
        do {
            try withConnection { connection in try connection.run(query) }
        } catch let error as RunStoreError where Self.isMissingRun(error) {
            throw RunStoreError.runNotFound(id: epoch.runID)
        }
    }

    /// Stores per-layer costs (replacing rows of the same layer index) in one transaction.
    ///
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when a run does not exist; then none is stored.
    public func insertLayerCosts(_ layers: [LayerCostRecord]) throws {
        try insertChildren(layers, key: ["run_id", "layer_index"], runIDs: Set(layers.map(\.runID)))
    }

    /// Stores final metrics (replacing rows of the same split and name) in one transaction.
    ///
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when a run does not exist; then none is stored.
    public func insertMetrics(_ metrics: [MetricRecord]) throws {
        try insertChildren(metrics, key: ["run_id", "split", "name"], runIDs: Set(metrics.map(\.runID)))
    }

    /// Stores the energy each meter zone counted (replacing rows of the same meter and zone).
    ///
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when a run does not exist; then none is stored.
    public func insertMeterEnergy(_ meters: [MeterEnergyRecord]) throws {
        try insertChildren(meters, key: Self.meterEnergyKey, runIDs: Set(meters.map(\.runID)))
    }

    /// Appends power samples in one transaction (see ``insert(samples:in:)``).
    ///
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when a run does not exist; then none is stored.
    public func insertPowerSamples(_ samples: [PowerSampleRecord]) throws {
        guard !samples.isEmpty else { return }
        try inTransaction { connection in
            try Self.requireRuns(Set(samples.map(\.runID)), in: connection)
            try Self.insert(samples: samples, in: connection)
        }
    }

    /// Says the run's process is alive at `date`; a run that already ended is left alone.
    ///
    /// - Throws: ``RunStoreError``.
    public func recordHeartbeat(runID: Int64, at date: Date) throws {
        try withConnection { connection in
            try connection.run("UPDATE runs SET heartbeat_at = \(Timestamp.text(date)) WHERE id = \(runID) AND status = 'running'")
        }
    }

    // MARK: Helpers

    static let meterEnergyKey = ["run_id", "meter", "zone"]

    /// Rows per batch of samples: each batch is one statement of five array parameters.
    static let powerSamplesPerStatement = 10_000

    /// Inserts samples inside the caller's transaction. Each batch is one multi-row INSERT
    /// whose rows come from five arrays (`unnest`): five parameters whatever the batch size,
    /// where `VALUES ($1…), ($6…)` would need five per row, parse slower, and hit PostgreSQL's
    /// limit of 65,535 parameters at 13,107 rows.
    static func insert(samples: [PowerSampleRecord], in connection: PostgresConnection) throws {
        var start = samples.startIndex
        while start < samples.endIndex {
            let end = min(start + powerSamplesPerStatement, samples.endIndex)
            let batch = samples[start..<end]
            let runIDs = batch.map(\.runID), elapsed = batch.map(\.elapsedSeconds), meters = batch.map(\.meter)
            let zones = batch.map(\.zone), watts = batch.map(\.watts)
            try connection.run(
                """
                INSERT INTO power_samples (run_id, elapsed_seconds, meter, zone, watts)
                SELECT * FROM unnest(\(runIDs)::BIGINT[], \(elapsed)::DOUBLE PRECISION[], \(meters)::TEXT[], \(zones)::TEXT[], \(watts)::DOUBLE PRECISION[])
                """)
            start = end
        }
    }

    /// The run `id`, locked until the transaction ends, after checking it may become `status`.
    static func lockedRun(id: Int64, to status: RunStatus, in connection: PostgresConnection) throws -> RunRecord {
        let rows = try connection.rows("SELECT * FROM runs WHERE id = \(id) FOR UPDATE")
        guard let stored = try PostgresRecordCoding.records(RunRecord.self, from: rows).first else {
            throw RunStoreError.runNotFound(id: id)
        }
        guard status.isFinished, stored.status == .running || stored.status == .crashed else {
            throw RunStoreError.invalidTransition(id: id, from: stored.status, to: status)
        }
        return stored
    }

    /// Throws ``RunStoreError/runNotFound(id:)`` for the lowest of `ids` that has no run.
    static func requireRuns(_ ids: Set<Int64>, in connection: PostgresConnection) throws {
        let wanted = Array(ids)
        let found = try connection.rows("SELECT id FROM runs WHERE id = ANY(\(wanted))").map { try $0.decode(Int64.self) }
        if let missing = ids.subtracting(found).min() { throw RunStoreError.runNotFound(id: missing) }
    }

    static func firstInteger(_ rows: [PostgresRow]) throws -> Int64 {
        guard let row = rows.first else { throw PostgresFailure.NoRowReturned() }
        return try row.decode(Int64.self)
    }

    /// Whether a server refused a row because its run is missing (a foreign key).
    static func isMissingRun(_ error: RunStoreError) -> Bool {
        guard case .server(_, let detail, _) = error else { return false }
        return detail.contains("SQLSTATE \(PostgresFailure.State.foreignKeyViolation)")
    }

    private func insertChildren<Row: EncodableRecord & TableRecord>(_ rows: [Row], key: [String], runIDs: Set<Int64>) throws {
        guard !rows.isEmpty else { return }
        let queries = try rows.map { try PostgresRecordCoding.upsert($0, key: key) }
        try inTransaction { connection in
            try Self.requireRuns(runIDs, in: connection)
            for query in queries { try connection.run(query) }
        }
    }
}
