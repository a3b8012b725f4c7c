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
        // Batch sizes that leave partial multi-row statements (100 rows each) behind.
        let batchSizes = [10_050, 9_999, 1, 199]
        var written = 0
        for size in batchSizes {
            // Each batch written newest sample first, to prove reads sort by time.
            let samples = (0..<size).reversed().map { index -> PowerSampleRecord in
                let step = written + index
                return PowerSampleRecord(
                    runID: id, elapsedSeconds: Double(step / 2) * 0.1, meter: "rapl",
                    zone: zones[step % 2], watts: Double(step % 97))
            }
            try store.insertPowerSamples(samples)
            written += size
        }
        try store.insertPowerSamples([PowerSampleRecord(runID: other, elapsedSeconds: 0, meter: "nvml", zone: "gpu-0", watts: 70)])
        let stored = try store.powerSamples(runID: id)
        #expect(stored.count == written)
        #expect(zip(stored, stored.dropFirst()).allSatisfy { $0.elapsedSeconds <= $1.elapsedSeconds })
        #expect(stored.first == PowerSampleRecord(runID: id, elapsedSeconds: 0, meter: "rapl", zone: "dram", watts: 1))
        #expect(stored.last?.elapsedSeconds == Double((written - 1) / 2) * 0.1)
        // Every (time, zone) pair exactly once: no row lost or doubled at statement boundaries.
        let keys = Set(stored.map { "\($0.elapsedSeconds)|\($0.zone)" })
        #expect(keys.count == written)
        #expect(stored.reduce(0) { $0 + $1.watts } == Double((0..<written).reduce(0) { $0 + $1 % 97 }))
        #expect(try store.powerSamples(runID: other).count == 1)
    }

    @Test func batchWithAnUnknownRunStoresNothing() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        let samples = [
            PowerSampleRecord(runID: id, elapsedSeconds: 0, meter: "rapl", zone: "package-0", watts: 5),
            PowerSampleRecord(runID: id + 1, elapsedSeconds: 0, meter: "rapl", zone: "package-0", watts: 5),
        ]
        #expect(throws: RunStoreError.runNotFound(id: id + 1)) { try store.insertPowerSamples(samples) }
        #expect(try store.powerSamples(runID: id).isEmpty)
    }
}
