import Foundation
import PostgresNIO
import RunStore

extension PostgresRunStore {
    /// Child rows a run may have for its copy to be one transaction; a larger run is copied in
    /// batches of this many rows, each its own transaction, so no transaction of a long run
    /// comes near the statement timeout (a 200,000-epoch run in one transaction never finished
    /// within 30 s).
    static let rowsPerBatch = 5_000
    /// Rows per multi-row INSERT (epochs have 20 columns: 50,000 parameters of the 65,535 allowed).
    static let rowsPerStatement = 2_500
    /// The UUID prefix of a run being copied in batches: readers skip such rows, so a run shows
    /// only once its last batch is in and its real UUID is set, in one final commit.
    static let partialImportPrefix = "partial-import:"
    /// The SQL condition that keeps half-copied runs out of every reader's sight.
    static let completeRunsOnly = "uuid NOT LIKE 'partial-import:%'"

    /// Stores a run copied from another store (see ``importRun(_:progress:)``).
    ///
    /// - Returns: The run's number here.
    /// - Throws: ``RunStoreError/duplicateRun(uuid:location:)`` when a run with its UUID is
    ///   already here (also when another process imports it at the same moment).
    @discardableResult
    public func importRun(_ bundle: RunBundle) throws -> Int64 {
        try importRun(bundle, progress: { _ in })
    }

    /// Stores a run copied from another store: the record as it is (status, times, UUID) under
    /// a new number, then every child row pointed at it.
    ///
    /// A run of at most ``rowsPerBatch`` child rows is one transaction. A larger one is copied
    /// in transactions of ``rowsPerBatch`` rows under a hidden row (its UUID prefixed with
    /// ``partialImportPrefix``), then shown by one final commit that sets its UUID. While it
    /// copies, the session holds an advisory lock on the UUID: another sync of the same run
    /// sees it as already there, and a copy whose process died (the lock went with its
    /// session) is deleted by the next one before it starts again.
    ///
    /// - Parameters:
    ///   - bundle: The run and its rows.
    ///   - progress: Called after each batch with the child rows copied so far.
    /// - Returns: The run's number here.
    /// - Throws: ``RunStoreError/duplicateRun(uuid:location:)`` when a run with its UUID is
    ///   already here or another process is copying it now; another ``RunStoreError`` when a
    ///   statement fails (nothing of the run is then left visible).
    @discardableResult
    public func importRun(_ bundle: RunBundle, progress: (ImportProgress) -> Void) throws -> Int64 {
        let uuid = bundle.details.run.uuid
        let total = bundle.childRowCount
        do {
            let id = total <= Self.rowsPerBatch ? try importWhole(bundle) : try importInBatches(bundle, progress: progress)
            progress(ImportProgress(rowsCopied: total, rowsTotal: total))
            return id
        } catch let error as RunStoreError {
            if case .server(_, let detail, _) = error, detail.contains("SQLSTATE \(PostgresFailure.State.uniqueViolation)") {
                throw RunStoreError.duplicateRun(uuid: uuid, location: locationDescription)
            }
            throw error
        }
    }

    /// The whole run in one transaction.
    private func importWhole(_ bundle: RunBundle) throws -> Int64 {
        let uuid = bundle.details.run.uuid
        return try inTransaction { connection in
            if try !connection.rows("SELECT 1 FROM runs WHERE uuid = \(uuid)").isEmpty {
                throw RunStoreError.duplicateRun(uuid: uuid, location: locationDescription)
            }
            var run = bundle.details.run
            run.id = nil
            let id = try Self.firstInteger(connection.rows(PostgresRecordCoding.insert(run, excluding: ["id"], suffix: " RETURNING id")))
            let copied = bundle.reassigned(to: id)
            for statement in try Self.childStatements(of: copied) { try connection.run(statement) }
            try Self.insert(epochs: copied.details.epochs, in: connection)
            try Self.insert(samples: copied.powerSamples, in: connection)
            return id
        }
    }

    /// The run under a hidden UUID, its rows in batches, then its real UUID in a last commit.
    private func importInBatches(_ bundle: RunBundle, progress: (ImportProgress) -> Void) throws -> Int64 {
        let uuid = bundle.details.run.uuid
        let id = try claimPartialImport(of: bundle)
        defer { _ = try? withConnection { connection in try connection.rows("SELECT pg_advisory_unlock(hashtextextended(\(uuid), 0))") } }
        do {
            let copied = bundle.reassigned(to: id)
            let total = bundle.childRowCount
            var done = 0
            func send(_ count: Int, _ write: (PostgresConnection) throws -> Void) throws {
                try inTransaction(write)
                done += count
                progress(ImportProgress(rowsCopied: done, rowsTotal: total))
            }
            try send(copied.details.metrics.count + copied.details.layerCosts.count + copied.details.meterEnergy.count) { connection in
                for statement in try Self.childStatements(of: copied) { try connection.run(statement) }
            }
            for start in stride(from: 0, to: copied.details.epochs.count, by: Self.rowsPerBatch) {
                let batch = copied.details.epochs[start..<min(start + Self.rowsPerBatch, copied.details.epochs.count)]
                try send(batch.count) { connection in try Self.insert(epochs: batch, in: connection) }
            }
            for start in stride(from: 0, to: copied.powerSamples.count, by: Self.rowsPerBatch) {
                let batch = Array(copied.powerSamples[start..<min(start + Self.rowsPerBatch, copied.powerSamples.count)])
                try send(batch.count) { connection in try Self.insert(samples: batch, in: connection) }
            }
            try inTransaction { connection in try connection.run("UPDATE runs SET uuid = \(uuid) WHERE id = \(id)") }
            return id
        } catch {
            _ = try? withConnection { connection in try connection.run("DELETE FROM runs WHERE id = \(id)") }
            throw error
        }
    }

    /// Takes the advisory lock on the run's UUID, deletes what a dead copy of it left, and
    /// inserts the hidden run row.
    ///
    /// - Returns: The hidden row's number.
    private func claimPartialImport(of bundle: RunBundle) throws -> Int64 {
        let uuid = bundle.details.run.uuid
        let marker = Self.partialImportPrefix + uuid
        return try withConnection { connection in
            let claimed = try connection.rows("SELECT pg_try_advisory_lock(hashtextextended(\(uuid), 0))").first?.decode(Bool.self) ?? false
            // Another session copies this run now: it will be there.
            guard claimed else { throw RunStoreError.duplicateRun(uuid: uuid, location: locationDescription) }
            do {
                if try !connection.rows("SELECT 1 FROM runs WHERE uuid = \(uuid)").isEmpty {
                    throw RunStoreError.duplicateRun(uuid: uuid, location: locationDescription)
                }
                // No live session holds the lock, so a hidden row of this UUID is a dead copy's.
                try connection.run("DELETE FROM runs WHERE uuid = \(marker)")
                var run = bundle.details.run
                run.id = nil
                run.uuid = marker
                return try Self.firstInteger(connection.rows(PostgresRecordCoding.insert(run, excluding: ["id"], suffix: " RETURNING id")))
            } catch {
                _ = try? connection.rows("SELECT pg_advisory_unlock(hashtextextended(\(uuid), 0))")
                throw error
            }
        }
    }

    /// Multi-row INSERTs for a bundle's metrics, layer costs and meter energy (a few rows each;
    /// epochs and samples have statements of their own).
    private static func childStatements(of bundle: RunBundle) throws -> [PostgresQuery] {
        let size = rowsPerStatement
        return try PostgresRecordCoding.insertStatements(rows: bundle.details.metrics, rowsPerStatement: size)
            + PostgresRecordCoding.insertStatements(rows: bundle.details.layerCosts, rowsPerStatement: size)
            + PostgresRecordCoding.insertStatements(rows: bundle.details.meterEnergy, rowsPerStatement: size)
    }
}
