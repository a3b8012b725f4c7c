import Carbon
import Foundation
import RunStore
import Testing
import Vocabulary
@testable import Estimation

/// `--calibrate store`: throughput and joules per FLOP from the last completed training runs.
@Suite struct EstimationStoreTests {
    /// A store in a fresh temporary directory; the caller removes the directory.
    static func temporaryDatabase() throws -> (RunDatabase, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("estimation-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("runs.sqlite").path
        return (try RunDatabase.open(path: path), path)
    }

    static func addRun(
        _ database: RunDatabase, flops: Int64, seconds: Double, joules: Double, provenance: EnergyProvenance,
        status: RunStatus = .completed, kind: RunKind = .train
    ) throws {
        var record = RunRecord(name: "r", kind: kind, startedAt: Date(), host: "test")
        record.flopsTotal = flops
        record.wallSeconds = seconds
        record.energyJoules = joules
        record.energyProvenance = provenance
        record.modelName = "mlp:1-10-1"
        let id = try database.insertRun(record)
        record.id = id
        try database.updateRun(record)
        try database.finishRun(id: id, status: status, wallSeconds: seconds)
    }

    @Test func poolsTheCompletedTrainingRunsFiguresAndLabelsAnyEstimateAsEstimated() throws {
        let (database, path) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        try Self.addRun(database, flops: 4_000_000_000, seconds: 1, joules: 2, provenance: .measured)
        try Self.addRun(database, flops: 6_000_000_000, seconds: 3, joules: 8, provenance: .estimated)
        try Self.addRun(database, flops: 1_000_000_000_000, seconds: 1, joules: 1, provenance: .measured, status: .failed)
        try Self.addRun(database, flops: 1_000_000_000_000, seconds: 1, joules: 1, provenance: .measured, kind: .wrap)
        let calibration = try ThroughputCalibration.fromStoredRuns(database, databasePath: path)
        #expect(calibration.source == .storedRuns)
        #expect(abs(calibration.gflopsPerSecond - 10.0 / 4.0) < 1e-12)
        #expect(abs(calibration.joulesPerFlop - 10.0 / 10e9) < 1e-21)
        #expect(calibration.energyBasis == .estimated)
    }

    @Test func anEmptyStoreSaysWhatToDo() throws {
        let (database, path) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        do {
            _ = try ThroughputCalibration.fromStoredRuns(database, databasePath: path)
            Issue.record("an empty store calibrated")
        } catch let error as EstimationError {
            #expect(error.description.contains(path))
            #expect(error.description.contains("footprint train"))
        }
    }
}
