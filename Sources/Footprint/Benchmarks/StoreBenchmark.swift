import Foundation
import Learning
import RunStore

/// Times the run store at the sizes the performance issue names, in a temporary database that
/// is deleted afterwards: a day of 10 Hz power samples (864,000 rows) written an hour at a
/// time, read back, and a listing of 10,000 runs.
package struct StoreBenchmark {
    package var sampleCount = 864_000
    /// Rows per `insertPowerSamples` call: one hour at 10 Hz.
    package var samplesPerBatch = 36_000
    package var runCount = 10_000

    package init() {}

    /// Runs the store benchmark.
    ///
    /// - Returns: Rows for sample insertion and read-back, run insertion and listing.
    /// - Throws: `RunStoreError` when the temporary database cannot be written.
    package func run() throws -> [BenchmarkRow] {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("footprint-bench-\(ProcessInfo.processInfo.processIdentifier)-\(UInt64(Clocks.monotonicSeconds() * 1e6))")
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
                samples.append(PowerSampleRecord(
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
            var record = RunRecord(name: "bench-\(number)", kind: .train, startedAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(number)), host: "bench")
            record.modelName = "mlp:1-\(number % 100 + 1)-1"
            record.flopsTotal = Int64(number) * 1_000_000
            record.wallSeconds = Double(number % 60)
            try database.insertRun(record)
        }
        let runInsertSeconds = Clocks.monotonicSeconds() - start
        start = Clocks.monotonicSeconds()
        let listed = try database.runs(limit: runCount).count
        let listSeconds = Clocks.monotonicSeconds() - start

        return [
            BenchmarkRow(
                group: "store", name: "insert \(UnitFormat.integer(Int64(sampleCount))) power samples (\(sampleCount / samplesPerBatch) batches)",
                value: insertSeconds, unit: "s", higherIsBetter: false, goal: "< 5 s", goalMet: insertSeconds < 5,
                note: "\(UnitFormat.integer(Int64(Double(sampleCount) / insertSeconds))) rows/s"),
            BenchmarkRow(
                group: "store", name: "read back \(UnitFormat.integer(Int64(readBack))) power samples", value: readSeconds, unit: "s",
                higherIsBetter: false),
            BenchmarkRow(
                group: "store", name: "insert \(UnitFormat.integer(Int64(runCount))) runs, one transaction each", value: runInsertSeconds, unit: "s",
                higherIsBetter: false),
            BenchmarkRow(
                group: "store", name: "runs(limit: \(UnitFormat.integer(Int64(runCount)))) listing \(UnitFormat.integer(Int64(listed))) runs", value: listSeconds, unit: "s",
                higherIsBetter: false, goal: "< 0.5 s", goalMet: listSeconds < 0.5),
        ]
    }
}
