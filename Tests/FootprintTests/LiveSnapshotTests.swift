import Carbon
import Foundation
import FootprintTestKit
import Synchronization
import Testing
import Vocabulary

@testable import Footprint

/// What ``TrackerOptions/liveObserver`` receives while a tracked loop runs on a fixture RAPL
/// machine: per-zone joules that add up to the total and fresh watts, before anything is
/// flushed to the store, then one final snapshot.
@Suite struct LiveSnapshotTests {
    @Test func snapshotsCarryZoneJoulesThatAddUpAndFreshWattsThenOneFinalSnapshot() throws {
        let machine = try TrackerTests.raplMachine()
        let (base, directory) = try TrackerTests.makeTracker(machine: machine)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let snapshots = Mutex<[LiveRunSnapshot]>([])
        var options = base.options
        options.meters.allowedMeters = [.rapl]
        options.liveIntervalSeconds = 0.05
        options.liveObserver = { snapshot in snapshots.withLock { $0.append(snapshot) } }
        let tracker = try Tracker(options: options)
        let writer = ConstantPowerWriter(machine: machine, zoneID: "intel-rapl:0", watts: 40, rangeMicrojoules: 262_143_328_850)
        writer.start()
        defer { _ = writer.stop() }
        let runID = try tracker.track(name: "live", model: "mlp:1-10-1", dataset: "terrain", plannedEpochs: 2) { run in
            for epoch in 1...2 {
                Thread.sleep(forTimeInterval: 0.2)
                try run.recordEpoch(EpochMetrics(index: epoch, trainLoss: 1))
            }
            return run.id
        }
        let seen = snapshots.withLock { $0 }
        let running = seen.filter { !$0.finished }
        #expect(running.count >= 4, "one snapshot every 50 ms over 0.4 s")
        #expect(seen.filter(\.finished).count == 1 && seen.last?.finished == true)
        let late = try #require(running.last)
        #expect(late.runID == runID && late.modelName == "mlp:1-10-1")
        let package = try #require(late.zoneJoules.first { $0.zone == "package-0" })
        #expect(package.includedInTotal && package.joules > 0)
        let lateSum = late.zoneJoules.filter(\.includedInTotal).map(\.joules).reduce(0, +)
        #expect(abs(lateSum - (late.joules ?? -1)) < 0.5, "zones \(lateSum) J against the total \(late.joules ?? -1) J")
        // `track` flushes no samples before the end: the watts come from the monitor itself.
        let watts = try #require(late.zoneWatts.first { $0.zone == "package-0" }?.watts)
        #expect(watts > 20 && watts < 80, "about 40 W, got \(watts)")

        let final = try #require(seen.last)
        let record = try tracker.database.run(id: runID)
        #expect(final.joules == record.energyJoules)
        let finalSum = final.zoneJoules.filter(\.includedInTotal).map(\.joules).reduce(0, +)
        #expect(abs(finalSum - (final.joules ?? -1)) < 1e-9)
        #expect(final.epochsFinished == 2)
    }
}
