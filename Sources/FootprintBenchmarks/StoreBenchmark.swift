import Footprint
import Foundation
import Learning
import Reporting
import RunStore
import Vocabulary
import RunModel

/// Times the run store at the sizes the performance issue names, in a temporary database that
/// is deleted afterwards: a day of 10 Hz power samples (864,000 rows) written an hour at a
/// time, read back, a listing of 10,000 runs, and what `footprint compare` does over 1,000.
package struct StoreBenchmark {
    package var sampleCount = 864_000
    /// Rows per `insertPowerSamples` call: one hour at 10 Hz.
    package var samplesPerBatch = 36_000
    package var runCount = 10_000
    /// Runs given to the comparison, each with epochs, metrics and meter energy like a real run.
    package var comparedRunCount = 1_000

    package init() {}

    /// Runs the store benchmark.
    ///
    /// - Returns: Rows for sample insertion and read-back, run insertion and listing.
    /// - Throws: `RunStoreError` when the temporary database cannot be written.
    package func run() throws -> [BenchmarkRow] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent(
                "footprint-bench-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Clocks.monotonicSeconds() * 1e6))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try RunDatabase.open(path: directory.appendingPathComponent("bench.sqlite").path)
        defer { try? database.close() }

        let runID = try database.insertRun(RunRecord(name: "bench-samples", kind: .api, startedAt: Date(), host: "bench"))
        var samples: [PowerSampleRecord] = []
        samples.reserveCapacity(samplesPerBatch)
        var insertSeconds = 0.0
        var index = 0
        while index < sampleCount {
            samples.removeAll(keepingCapacity: true)
            let end = min(index + samplesPerBatch, sampleCount)
            for row in index..<end {
                samples.append(
                    PowerSampleRecord(
                        runID: runID, elapsedSeconds: Double(row) / 10, meter: "rapl", zone: "package-0",
                        watts: 40 + Double(row % 97) / 10))
            }
            let start = Clocks.monotonicSeconds()
            try database.insertPowerSamples(samples)
            insertSeconds += Clocks.monotonicSeconds() - start
            index = end
        }
        var start = Clocks.monotonicSeconds()
        let readBack = try database.powerSamples(runID: runID).count
        let readSeconds = Clocks.monotonicSeconds() - start

        start = Clocks.monotonicSeconds()
        for number in 1..<runCount {
            var record = RunRecord(
                name: "bench-\(number)", kind: .train, startedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(number)), host: "bench"
            )
            record.modelName = "mlp:1-\(number % 100 + 1)-1"
            record.flopsTotal = Int64(number) * 1_000_000
            record.wallSeconds = Double(number % 60)
            try database.insertRun(record)
        }
        let runInsertSeconds = Clocks.monotonicSeconds() - start
        start = Clocks.monotonicSeconds()
        let listed = try database.runs(limit: runCount).count
        let listSeconds = Clocks.monotonicSeconds() - start

        let compareSeconds = try timeComparison(database)

        return [
            BenchmarkRow(
                group: "store", name: "footprint compare over \(UnitFormat.integer(Int64(comparedRunCount))) runs",
                value: compareSeconds, unit: "s", higherIsBetter: false, goal: "< 1 s", goalMet: compareSeconds < 1,
                note: "load every run document, then render the comparison and its charts"),
            BenchmarkRow(
                group: "store",
                name: "insert \(UnitFormat.integer(Int64(sampleCount))) power samples (\(sampleCount / samplesPerBatch) batches)",
                value: insertSeconds, unit: "s", higherIsBetter: false, goal: "< 5 s", goalMet: insertSeconds < 5,
                note: "\(UnitFormat.integer(Int64(Double(sampleCount) / insertSeconds))) rows/s"),
            BenchmarkRow(
                group: "store", name: "read back \(UnitFormat.integer(Int64(readBack))) power samples", value: readSeconds, unit: "s",
                higherIsBetter: false),
            BenchmarkRow(
                group: "store", name: "insert \(UnitFormat.integer(Int64(runCount))) runs, one transaction each", value: runInsertSeconds,
                unit: "s",
                higherIsBetter: false),
            BenchmarkRow(
                group: "store",
                name: "runs(limit: \(UnitFormat.integer(Int64(runCount)))) listing \(UnitFormat.integer(Int64(listed))) runs",
                value: listSeconds, unit: "s",
                higherIsBetter: false, goal: "< 0.5 s", goalMet: listSeconds < 0.5),
        ]
    }

    /// Records `comparedRunCount` realistic runs, then times what `footprint compare` does:
    /// loading each run's document and rendering the report.
    private func timeComparison(_ database: RunDatabase) throws -> Double {
        var ids: [Int64] = []
        for number in 0..<comparedRunCount {
            var record = RunRecord(
                name: "compare-\(number)", kind: .train, startedAt: Date(timeIntervalSince1970: 1_800_000_000 + Double(number)),
                host: "bench")
            let width = 10 + number % 200
            record.modelName = "mlp:1-\(width)-1"
            record.parameterCount = Int64(3 * width + 1)
            record.flopsTotal = Int64(width) * 1_000_000
            record.wallSeconds = Double(width) / 100
            record.energyJoules = Double(width) * 0.5
            record.energyProvenance = .estimated
            record.gramsCO2e = Double(width) * 0.5 / 3.6e6 * 473
            record.dataset = "terrain"
            let id = try database.insertRun(record)
            ids.append(id)
            for epoch in 1...10 {
                var row = EpochRecord(runID: id, epochIndex: epoch)
                row.trainLoss = 1000 / Double(epoch)
                row.wallSeconds = 0.01
                row.energyJoules = 0.05
                try database.appendEpoch(row)
            }
            try database.insertMetrics([MetricRecord(runID: id, name: "mse", value: 5000 / Double(width), split: .validation)])
            try database.insertMeterEnergy([
                MeterEnergyRecord(runID: id, meter: "estimate", zone: "cpu", joules: Double(width) * 0.5, includedInTotal: true)
            ])
            try database.finishRun(id: id, status: .completed)
        }
        let start = Clocks.monotonicSeconds()
        let documents = try RunDocument.load(ids: ids, from: database)
        _ = ComparisonReport(documents: documents, title: "benchmark").render(chartPrefix: "bench")
        return Clocks.monotonicSeconds() - start
    }
}
