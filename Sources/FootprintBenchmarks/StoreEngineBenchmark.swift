import Foundation
import RunStore
import Vocabulary

/// The two store engines side by side on the writes a training run makes: one epoch commit
/// (`appendEpoch`, committed at once so a crash keeps it) and power samples in batches
/// (`insertPowerSamples`). The SQLite file is the reference; the other store is whatever
/// `footprint bench store --db-url` names, such as PostgreSQL on loopback.
package struct StoreEngineBenchmark {
    /// Epochs committed one by one.
    package var epochCount = 2_000
    /// Power samples written, in batches of ``samplesPerBatch``.
    package var sampleCount = 360_000
    /// One hour at 10 Hz: the batch a long run's flush writes.
    package var samplesPerBatch = 36_000

    package init() {}

    /// What one engine managed.
    package struct Figures: Sendable {
        package var secondsPerEpoch: Double
        package var samplesPerSecond: Double
    }

    /// Times both stores and returns rows with the SQLite figure as the reference.
    ///
    /// - Parameters:
    ///   - reference: The SQLite store (a scratch file).
    ///   - candidate: The other store (a scratch schema).
    ///   - candidateName: How the table names it (`PostgreSQL 127.0.0.1:5432`).
    /// - Returns: One row per figure.
    /// - Throws: `RunStoreError` from either store.
    package func run(reference: any RunStorage, candidate: any RunStorage, candidateName: String) throws -> [BenchmarkRow] {
        let sqlite = try measure(reference)
        let other = try measure(candidate)
        return [
            BenchmarkRow(
                group: "store", name: "epoch commit (appendEpoch), \(candidateName)", value: other.secondsPerEpoch * 1000, unit: "ms",
                referenceValue: sqlite.secondsPerEpoch * 1000, referenceName: "SQLite file", higherIsBetter: false,
                note: "mean of \(epochCount) commits"),
            BenchmarkRow(
                group: "store", name: "power samples insert, \(candidateName)", value: other.samplesPerSecond, unit: "samples/s",
                referenceValue: sqlite.samplesPerSecond, referenceName: "SQLite file", higherIsBetter: true,
                note: "\(sampleCount / samplesPerBatch) batches of \(samplesPerBatch)"),
        ]
    }

    /// Writes one run's epochs and samples into `store` and times them.
    package func measure(_ store: any RunStorage) throws -> Figures {
        let runID = try store.insertRun(RunRecord(name: "bench-engine", kind: .api, startedAt: Date(), host: "bench"))
        var start = Clocks.monotonicSeconds()
        for index in 0..<epochCount {
            var epoch = EpochRecord(runID: runID, epochIndex: index)
            epoch.trainLoss = 1 / Double(index + 1)
            epoch.wallSeconds = 0.5
            epoch.energyJoules = 12.5
            try store.appendEpoch(epoch)
        }
        let epochSeconds = Clocks.monotonicSeconds() - start
        var batch: [PowerSampleRecord] = []
        batch.reserveCapacity(samplesPerBatch)
        var insertSeconds = 0.0
        var index = 0
        while index < sampleCount {
            batch.removeAll(keepingCapacity: true)
            let end = min(index + samplesPerBatch, sampleCount)
            for row in index..<end {
                batch.append(
                    PowerSampleRecord(
                        runID: runID, elapsedSeconds: Double(row) / 10, meter: "rapl", zone: "package-0", watts: 40 + Double(row % 97) / 10)
                )
            }
            start = Clocks.monotonicSeconds()
            try store.insertPowerSamples(batch)
            insertSeconds += Clocks.monotonicSeconds() - start
            index = end
        }
        try store.deleteRuns(ids: [runID])
        return Figures(secondsPerEpoch: epochSeconds / Double(epochCount), samplesPerSecond: Double(sampleCount) / insertSeconds)
    }
}
