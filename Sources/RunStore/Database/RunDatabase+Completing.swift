import Foundation
import GRDB

extension RunDatabase {
    /// Ends a running run in one transaction: its last power samples, the energy per meter
    /// zone, every field of `run` (energy, carbon, metrics columns), and its final status. A
    /// crash or a full disk leaves the run as it was before the call, never half finished.
    ///
    /// - Parameters:
    ///   - run: The run with its final figures, with the `id` ``insertRun(_:)`` returned.
    ///   - status: `completed`, `failed`, `interrupted` or `crashed`.
    ///   - endedAt: When it ended.
    ///   - samples: Power samples not yet stored.
    ///   - meterEnergy: The energy each meter zone counted.
    /// - Returns: The run as stored.
    /// - Throws: ``RunStoreError/runNotFound(id:)``, or ``RunStoreError/invalidTransition(id:from:to:)``
    ///   when `status` is `running` or the run already ended.
    @discardableResult
    public func completeRun(
        _ run: RunRecord, status: RunStatus, endedAt: Date = Date(), samples: [PowerSampleRecord] = [],
        meterEnergy: [MeterEnergyRecord] = []
    ) throws -> RunRecord {
        guard let id = run.id else { throw RunStoreError.runNotFound(id: 0) }
        return try perform {
            try pool.write { db in
                guard let stored = try RunRecord.fetchOne(db, key: id) else { throw RunStoreError.runNotFound(id: id) }
                guard status.isFinished, stored.status == .running || stored.status == .crashed else {
                    throw RunStoreError.invalidTransition(id: id, from: stored.status, to: status)
                }
                try Self.insert(samples: samples, in: db)
                for row in meterEnergy { try row.insert(db, onConflict: .replace) }
                var finished = run
                finished.status = status
                finished.endedAt = endedAt
                try finished.update(db)
                return finished
            }
        }
    }
}
