import Foundation
import GRDB

extension RunDatabase: RunStorage {
    /// The file's path.
    public var locationDescription: String { path }

    /// Writes the run's heartbeat (see ``RunLease``); a run that already ended is left alone.
    ///
    /// - Throws: ``RunStoreError``.
    public func recordHeartbeat(runID: Int64, at date: Date = Date()) throws {
        try perform {
            try pool.write { db in
                try db.execute(
                    sql: "UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'",
                    arguments: [Timestamp.text(date), runID])
            }
        }
    }

    /// Stores a run copied from another store, in one transaction: the record as it is (status,
    /// times, UUID) under a new number, then every child row pointed at it.
    ///
    /// - Returns: The run's number here.
    /// - Throws: ``RunStoreError/duplicateRun(uuid:location:)`` when a run with its UUID is
    ///   already here, or another ``RunStoreError``.
    @discardableResult
    public func importRun(_ bundle: RunBundle) throws -> Int64 {
        try perform {
            try pool.write { db in
                var run = bundle.details.run
                if try RunRecord.filter(RunRecord.Field.uuid == run.uuid).fetchCount(db) > 0 {
                    throw RunStoreError.duplicateRun(uuid: run.uuid, location: path)
                }
                run.id = nil
                try run.insert(db)
                let id = db.lastInsertedRowID
                let copied = bundle.reassigned(to: id)
                try Self.insert(epochs: copied.details.epochs, in: db)
                for row in copied.details.metrics { try row.insert(db) }
                for row in copied.details.layerCosts { try row.insert(db) }
                for row in copied.details.meterEnergy { try row.insert(db) }
                try Self.insert(samples: copied.powerSamples, in: db)
                return id
            }
        }
    }

    /// Inserts epochs with one prepared statement, binding each field directly: a 200,000-epoch
    /// import spent most of its time encoding records one by one (and holds the write lock
    /// meanwhile, so other recorders wait).
    static func insert(epochs: [EpochRecord], in db: Database) throws {
        guard !epochs.isEmpty else { return }
        // In the order of `values` below.
        let columns = [
            "run_id", "epoch_index", "train_loss", "validation_loss", "accuracy", "mse", "r2", "flops_forward", "flops_backward",
            "flops_optimizer", "flops_evaluation", "seconds_data", "seconds_forward", "seconds_backward", "seconds_optimizer",
            "seconds_evaluation", "wall_seconds", "elapsed_seconds", "samples", "energy_joules",
        ]
        let statement = try db.cachedStatement(
            sql: "INSERT INTO epochs (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", ")))")
        for epoch in epochs {
            let values: [(any DatabaseValueConvertible)?] = [
                epoch.runID, epoch.epochIndex, epoch.trainLoss, epoch.validationLoss, epoch.accuracy, epoch.mse, epoch.r2,
                epoch.flopsForward, epoch.flopsBackward, epoch.flopsOptimizer, epoch.flopsEvaluation, epoch.secondsData,
                epoch.secondsForward, epoch.secondsBackward, epoch.secondsOptimizer, epoch.secondsEvaluation, epoch.wallSeconds,
                epoch.elapsedSeconds, epoch.samples, epoch.energyJoules,
            ]
            try statement.execute(arguments: StatementArguments(values))
        }
    }
}
