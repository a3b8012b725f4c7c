import Foundation
import GRDB

extension RunDatabase {
    /// Records a new run with status `running`, before its work starts.
    ///
    /// - Parameter run: The run; its `id`, `status` and `endedAt` are ignored.
    /// - Returns: The new run's id.
    /// - Throws: ``RunStoreError``.
    @discardableResult
    public func insertRun(_ run: RunRecord) throws -> Int64 {
        var row = run
        row.id = nil
        row.status = .running
        row.endedAt = nil
        return try perform {
            try pool.write { db in
                // A record inserted twice (a template reused) would otherwise fail on SQLite's
                // unique index with a message that names no run.
                if try RunRecord.filter(RunRecord.Field.uuid == row.uuid).fetchCount(db) > 0 {
                    throw RunStoreError.duplicateRun(uuid: row.uuid, location: path)
                }
                try row.insert(db)
                return db.lastInsertedRowID
            }
        }
    }

    /// Replaces every column of an existing run with `run`'s fields (energy and carbon figures
    /// are added this way once known).
    ///
    /// - Parameter run: The run, with the `id` ``insertRun(_:)`` returned.
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when no run has its id.
    public func updateRun(_ run: RunRecord) throws {
        guard let id = run.id else { throw RunStoreError.runNotFound(id: 0) }
        try perform {
            try pool.write { db in
                guard try RunRecord.exists(db, key: id) else { throw RunStoreError.runNotFound(id: id) }
                try run.update(db)
            }
        }
    }

    /// Ends a running run: sets its final status and end time, and the figures given.
    ///
    /// A `crashed` run may also be finished: a process that was wrongly presumed dead (another
    /// host's clock, a paused container) has the last word.
    ///
    /// - Parameters:
    ///   - id: The run.
    ///   - status: `completed`, `failed`, `interrupted` or `crashed`.
    ///   - endedAt: When it ended.
    ///   - errorText: Why it failed or stopped; kept as is when nil.
    ///   - exitStatus: A wrapped command's exit status; kept as is when nil.
    ///   - wallSeconds: Wall-clock duration; kept as is when nil.
    ///   - cpuSeconds: CPU time; kept as is when nil.
    /// - Throws: ``RunStoreError/runNotFound(id:)``, or ``RunStoreError/invalidTransition(id:from:to:)``
    ///   when `status` is `running` or the run already ended.
    public func finishRun(
        id: Int64, status: RunStatus, endedAt: Date = Date(), errorText: String? = nil,
        exitStatus: Int32? = nil, wallSeconds: Double? = nil, cpuSeconds: Double? = nil
    ) throws {
        try perform {
            try pool.write { db in
                guard var run = try RunRecord.fetchOne(db, key: id) else { throw RunStoreError.runNotFound(id: id) }
                guard status.isFinished, run.status == .running || run.status == .crashed else {
                    throw RunStoreError.invalidTransition(id: id, from: run.status, to: status)
                }
                run.status = status
                run.endedAt = endedAt
                run.errorText = errorText ?? run.errorText
                run.exitStatus = exitStatus ?? run.exitStatus
                run.wallSeconds = wallSeconds ?? run.wallSeconds
                run.cpuSeconds = cpuSeconds ?? run.cpuSeconds
                try run.update(db)
            }
        }
    }

    /// Deletes runs and everything recorded about them (epochs, layers, metrics, samples, meters).
    ///
    /// - Parameter ids: The runs to delete; ids with no run are ignored.
    /// - Returns: How many runs were deleted.
    /// - Throws: ``RunStoreError``.
    @discardableResult
    public func deleteRuns(ids: [Int64]) throws -> Int {
        try perform { try pool.write { db in try RunRecord.deleteAll(db, keys: ids) } }
    }

    /// Commits one finished epoch at once, so a crash keeps it. An epoch with the same index
    /// replaces the earlier row (a program that reports an epoch twice keeps its last report).
    ///
    /// - Parameter epoch: The epoch.
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when its run does not exist.
    public func appendEpoch(_ epoch: EpochRecord) throws {
        try insertChildren([epoch], runIDs: [epoch.runID])
    }

    /// Records the per-layer costs of a run's model (replacing rows with the same layer index).
    ///
    /// - Parameter layers: The layers, of one or more runs.
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when a run does not exist; then none is stored.
    public func insertLayerCosts(_ layers: [LayerCostRecord]) throws {
        try insertChildren(layers, runIDs: Set(layers.map(\.runID)))
    }

    /// Records final metrics (replacing rows with the same run, split and name).
    ///
    /// - Parameter metrics: The metrics, of one or more runs.
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when a run does not exist; then none is stored.
    public func insertMetrics(_ metrics: [MetricRecord]) throws {
        try insertChildren(metrics, runIDs: Set(metrics.map(\.runID)))
    }

    /// Records the energy each meter zone counted (replacing rows with the same run, meter, zone).
    ///
    /// - Parameter meters: The rows, of one or more runs.
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when a run does not exist; then none is stored.
    public func insertMeterEnergy(_ meters: [MeterEnergyRecord]) throws {
        try insertChildren(meters, runIDs: Set(meters.map(\.runID)))
    }

    /// Appends a batch of power samples in one transaction, 100 rows per `INSERT` through
    /// cached prepared statements: 864,000 rows (10 Hz for a day) take a few seconds in a
    /// release build.
    ///
    /// - Parameter samples: The samples, of one or more runs.
    /// - Throws: ``RunStoreError/runNotFound(id:)`` when a run does not exist; then none is stored.
    public func insertPowerSamples(_ samples: [PowerSampleRecord]) throws {
        guard !samples.isEmpty else { return }
        try perform {
            try pool.write { db in
                try requireRuns(Set(samples.map(\.runID)), in: db)
                try Self.insert(samples: samples, in: db)
            }
        }
    }

    /// Inserts samples inside a write, 100 rows per cached multi-row statement.
    static func insert(samples: [PowerSampleRecord], in db: Database) throws {
        var start = samples.startIndex
        while start < samples.endIndex {
            let end = min(start + Self.powerSampleRowsPerStatement, samples.endIndex)
            let statement = try db.cachedStatement(sql: Self.powerSampleInsertSQL(rows: end - start))
            var values: [any DatabaseValueConvertible] = []
            values.reserveCapacity((end - start) * 5)
            for sample in samples[start..<end] {
                values.append(sample.runID)
                values.append(sample.elapsedSeconds)
                values.append(sample.meter)
                values.append(sample.zone)
                values.append(sample.watts)
            }
            statement.setUncheckedArguments(StatementArguments(values))
            try statement.execute()
            start = end
        }
    }

    /// Rows per multi-row `INSERT` (500 parameters, far under SQLite's limit of 32,766): one
    /// statement step per row costs more than SQLite's insert itself.
    static let powerSampleRowsPerStatement = 100

    static func powerSampleInsertSQL(rows: Int) -> String {
        "INSERT INTO power_samples (run_id, elapsed_seconds, meter, zone, watts) VALUES "
            + repeatElement("(?, ?, ?, ?, ?)", count: rows).joined(separator: ", ")
    }

    /// Inserts child rows in one transaction, replacing rows with the same primary key, after
    /// checking their runs exist (a clearer error than SQLite's foreign-key failure).
    private func insertChildren<Row: PersistableRecord>(_ rows: [Row], runIDs: Set<Int64>) throws {
        guard !rows.isEmpty else { return }
        try perform {
            try pool.write { db in
                try requireRuns(runIDs, in: db)
                for row in rows { try row.insert(db, onConflict: .replace) }
            }
        }
    }

    func requireRuns(_ ids: Set<Int64>, in db: Database) throws {
        for id in ids.sorted() where try !RunRecord.exists(db, key: id) {
            throw RunStoreError.runNotFound(id: id)
        }
    }
}
