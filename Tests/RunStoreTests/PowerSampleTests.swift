import Foundation
import Testing
@testable import RunStore

@Suite("Power samples")
struct PowerSampleTests {
    @Test func largeBatchesAreStoredCompletelyAndReadBackInTimeOrder() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        let other = try store.insertRun(makeRun())
        let zones = ["package-0", "dram"]
        let rowsPerBatch = 10_000
        for batch in 0..<3 {
            // Each batch written newest sample first, to prove reads sort by time.
            let samples = (0..<rowsPerBatch).reversed().map { index -> PowerSampleRecord in
                let step = batch * rowsPerBatch + index
                return PowerSampleRecord(runID: id, elapsedSeconds: Double(step / 2) * 0.1, meter: "rapl",
                                         zone: zones[step % 2], watts: Double(step % 97))
            }
            try store.insertPowerSamples(samples)
        }
        try store.insertPowerSamples([PowerSampleRecord(runID: other, elapsedSeconds: 0, meter: "nvml", zone: "gpu-0", watts: 70)])
        let stored = try store.powerSamples(runID: id)
        #expect(stored.count == 3 * rowsPerBatch)
        #expect(zip(stored, stored.dropFirst()).allSatisfy { $0.elapsedSeconds <= $1.elapsedSeconds })
        #expect(stored.first == PowerSampleRecord(runID: id, elapsedSeconds: 0, meter: "rapl", zone: "dram", watts: 1))
        #expect(stored.last?.elapsedSeconds == Double(3 * rowsPerBatch / 2 - 1) * 0.1)
        #expect(try store.powerSamples(runID: other).count == 1)
    }

    @Test func batchWithAnUnknownRunStoresNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        let samples = [PowerSampleRecord(runID: id, elapsedSeconds: 0, meter: "rapl", zone: "package-0", watts: 5),
                       PowerSampleRecord(runID: id + 1, elapsedSeconds: 0, meter: "rapl", zone: "package-0", watts: 5)]
        #expect(throws: RunStoreError.runNotFound(id: id + 1)) { try store.insertPowerSamples(samples) }
        #expect(try store.powerSamples(runID: id).isEmpty)
    }
}
