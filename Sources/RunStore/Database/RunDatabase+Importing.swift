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
                for row in copied.details.epochs { try row.insert(db) }
                for row in copied.details.metrics { try row.insert(db) }
                for row in copied.details.layerCosts { try row.insert(db) }
                for row in copied.details.meterEnergy { try row.insert(db) }
                try Self.insert(samples: copied.powerSamples, in: db)
                return id
            }
        }
    }
}
