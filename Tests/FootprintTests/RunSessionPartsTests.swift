import Carbon
import Foundation
import FootprintTestKit
import RunModel
import RunStore
import Synchronization
import Testing
import Vocabulary

@testable import Footprint

/// The jobs a ``RunSession`` coordinates, each on its own: the prediction that freezes once,
/// the heartbeat's period, the zones' order, and the session shared across threads.
@Suite struct RunSessionPartsTests {
    @Test func predictorHandsOverTheFrozenPredictionOnceAndKeepsRefreshingAfter() throws {
        var predictor = RunPredictor(calculator: try CarbonCalculator(settings: CarbonSettings(countryCode: "FRA")))
        predictor.plannedEpochs = 30
        var frozen: [Int] = []
        for epoch in 1...8 {
            let prediction = predictor.observeEpoch(
                wallSeconds: 1, trainingSeconds: 0.9, joules: 10, elapsedSeconds: Double(epoch) + 0.5)
            if let prediction {
                frozen.append(prediction.afterEpoch)
                // A failed write at epoch 3 leaves it unmarked: the next epoch hands it over again.
                if epoch != 3 { predictor.markFrozen() }
            }
            #expect(predictor.latest?.afterEpoch == (epoch >= 2 ? epoch : nil))
        }
        #expect(frozen == [3, 4], "frozen at epoch 3 (max(3, 30/10)), handed over again until stored")
        #expect(predictor.unfrozen == nil)
        #expect(try #require(predictor.latest?.gramsCO2e).predicted > 0)
    }

    @Test func predictorWithoutPlannedEpochsPredictsNothing() {
        var predictor = RunPredictor(calculator: nil)
        for epoch in 1...5 {
            let frozen = predictor.observeEpoch(wallSeconds: 1, trainingSeconds: nil, joules: nil, elapsedSeconds: Double(epoch))
            #expect(frozen == nil)
        }
        #expect(predictor.latest == nil && predictor.unfrozen == nil)
    }

    @Test func predictorRefreshesAtMostFiveTimesASecondBeforeTheFreeze() {
        var predictor = RunPredictor(calculator: nil)
        predictor.plannedEpochs = 100
        for epoch in 1...5 {
            _ = predictor.observeEpoch(wallSeconds: 0.01, trainingSeconds: nil, joules: nil, elapsedSeconds: 0.01 * Double(epoch))
        }
        // Epoch 2 made the first; epochs 3 to 5 came within 0.2 s of it, before the freeze (epoch 10).
        #expect(predictor.latest?.afterEpoch == 2)
        #expect(predictor.unfrozen?.afterEpoch == 2, "a run that ends now stores its latest prediction")
    }

    @Test func heartbeatIsDueOncePerLeasePeriod() {
        var liveness = RunLiveness(startSeconds: 100)
        let period = RunLease.heartbeatSeconds
        let due = [0.5, 1, 1.5, 2].map { liveness.heartbeatIsDue(now: 100 + period * $0) }
        // Counted from the last heartbeat: 1.5 periods in is half a period after the one at 1.
        #expect(due == [false, true, false, true])
    }

    @Test func liveTimerTicksAtTheObserversIntervalOnlyWhenThereIsOne() {
        var options = TrackerOptions()
        #expect(RunLiveness.tickSeconds(options: options) == RunLease.heartbeatSeconds)
        options.liveObserver = { _ in }
        options.liveIntervalSeconds = 0.25
        #expect(RunLiveness.tickSeconds(options: options) == 0.25)
        options.liveIntervalSeconds = 3_600
        #expect(RunLiveness.tickSeconds(options: options) == RunLease.heartbeatSeconds)
    }

    @Test func meterZonesSortByTheirMeterThenZoneNames() {
        let zones = [
            MeterZone(meter: "rapl", zone: "package-0"), MeterZone(meter: "nvml", zone: "gpu-1"),
            MeterZone(meter: "rapl", zone: "dram-0"), MeterZone(meter: "nvml", zone: "gpu-0"),
        ]
        #expect(zones.sorted().map(\.description) == ["nvml/gpu-0", "nvml/gpu-1", "rapl/dram-0", "rapl/package-0"])
        #expect(LiveRunSnapshot.ZoneReading(MeterZone(meter: "perf", zone: "pkg"), watts: 3).meterZone.description == "perf/pkg")
    }

    /// A tracked run handed to other threads: one reads its prediction, the live observer and
    /// the heartbeat run on the live timer, while epochs are recorded. Under the thread
    /// sanitizer (README, "Thread sanitizer") this is where a field touched outside the
    /// session's lock shows up.
    @Test func aTrackedRunReadFromOtherThreadsRecordsEveryEpochAndPredicts() throws {
        let machine = try TrackerTests.raplMachine()
        let (base, directory) = try TrackerTests.makeTracker(machine: machine)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let snapshots = Mutex(0)
        var options = base.options
        options.liveIntervalSeconds = 0.01
        options.liveObserver = { _ in snapshots.withLock { $0 += 1 } }
        let tracker = try Tracker(options: options)
        let predictionsSeen = Mutex(0)
        let runID = try tracker.track(name: "shared", model: "mlp:1-10-1", plannedEpochs: 40) { run in
            let reading = Mutex(true)
            let reader = Thread {
                while reading.withLock({ $0 }) {
                    if run.prediction != nil { predictionsSeen.withLock { $0 += 1 } }
                    Thread.sleep(forTimeInterval: 0.001)
                }
            }
            reader.start()
            defer { reading.withLock { $0 = false } }
            for epoch in 1...30 {
                Thread.sleep(forTimeInterval: 0.005)
                try run.recordEpoch(EpochMetrics(index: epoch, trainLoss: 1 / Double(epoch)))
            }
            return run.id
        }
        #expect(try tracker.database.epochs(runID: runID).count == 30)
        let document = try RunDocument.load(id: runID, from: tracker.database)
        #expect(document.status == "completed")
        #expect(document.prediction?.afterEpoch == RunPrediction.freezeEpoch(plannedEpochs: 40))
        #expect(predictionsSeen.withLock { $0 } > 0)
        #expect(snapshots.withLock { $0 } > 1)
    }
}
