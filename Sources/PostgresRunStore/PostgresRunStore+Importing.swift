import Foundation
import PostgresNIO
import RunStore

extension PostgresRunStore {
    /// Stores a run copied from another store in one transaction: the record as it is (status,
    /// times, UUID) under a new number, then every child row pointed at it.
    ///
    /// - Returns: The run's number here.
    /// - Throws: ``RunStoreError/duplicateRun(uuid:location:)`` when a run with its UUID is
    ///   already here (also when another process imports it at the same moment).
    @discardableResult
    public func importRun(_ bundle: RunBundle) throws -> Int64 {
        let uuid = bundle.details.run.uuid
        do {
            return try inTransaction { connection in
                if try !connection.rows("SELECT 1 FROM runs WHERE uuid = \(uuid)").isEmpty {
                    throw RunStoreError.duplicateRun(uuid: uuid, location: locationDescription)
                }
                var run = bundle.details.run
                run.id = nil
                let id = try Self.firstInteger(
                    connection.rows(PostgresRecordCoding.insert(run, excluding: ["id"], suffix: " RETURNING id")))
                let copied = bundle.reassigned(to: id)
                for row in copied.details.epochs { try connection.run(PostgresRecordCoding.insert(row)) }
                for row in copied.details.metrics { try connection.run(PostgresRecordCoding.insert(row)) }
                for row in copied.details.layerCosts { try connection.run(PostgresRecordCoding.insert(row)) }
                for row in copied.details.meterEnergy { try connection.run(PostgresRecordCoding.insert(row)) }
                try Self.insert(samples: copied.powerSamples, in: connection)
                return id
            }
        } catch let error as RunStoreError {
            if case .server(_, let detail, _) = error, detail.contains("SQLSTATE \(PostgresFailure.State.uniqueViolation)") {
                throw RunStoreError.duplicateRun(uuid: uuid, location: locationDescription)
            }
            throw error
        }
    }
}
