import Foundation
import Testing
@testable import RunStore

@Suite("Run lifecycle")
struct LifecycleTests {
    @Test func insertedRunIsRunningWithoutEndEvenWhenTheRecordSaysOtherwise() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var run = makeRun()
        run.status = .completed
        run.endedAt = Date()
        run.id = 999
        let id = try store.insertRun(run)
        let stored = try store.run(id: id)
        #expect(stored.status == .running)
        #expect(stored.endedAt == nil)
        #expect(id != 999)
    }

    @Test(arguments: [RunStatus.completed, .failed, .interrupted, .crashed])
    func runningRunFinishesInEachTerminalState(status: RunStatus) throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        let end = millisecondDate(1_750_000_100.5)
        try store.finishRun(
            id: id, status: status, endedAt: end, errorText: "why", exitStatus: 130,
            wallSeconds: 99.5, cpuSeconds: 80)
        let stored = try store.run(id: id)
        #expect(stored.status == status)
        #expect(stored.endedAt == end)
        #expect(stored.errorText == "why")
        #expect(stored.exitStatus == 130)
        #expect(stored.wallSeconds == 99.5)
        #expect(stored.cpuSeconds == 80)
    }

    @Test func finishingKeepsFiguresThatAreNotGiven() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var run = makeRun()
        run.wallSeconds = 12
        let id = try store.insertRun(run)
        try store.finishRun(id: id, status: .completed)
        #expect(try store.run(id: id).wallSeconds == 12)
    }

    @Test func finishedRunCannotBeFinishedAgainOrResumed() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        try store.finishRun(id: id, status: .completed)
        #expect(throws: RunStoreError.invalidTransition(id: id, from: .completed, to: .failed)) {
            try store.finishRun(id: id, status: .failed)
        }
        let other = try store.insertRun(makeRun())
        #expect(throws: RunStoreError.invalidTransition(id: other, from: .running, to: .running)) {
            try store.finishRun(id: other, status: .running)
        }
        #expect(try store.run(id: id).status == .completed)
    }

    @Test func crashedRunCanStillBeFinishedByItsProcess() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        try store.finishRun(id: id, status: .crashed)
        try store.finishRun(id: id, status: .completed)
        #expect(try store.run(id: id).status == .completed)
    }

    @Test func unknownRunIsReportedByEveryCallThatNeedsIt() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        #expect(throws: RunStoreError.runNotFound(id: 42)) { try store.run(id: 42) }
        #expect(throws: RunStoreError.runNotFound(id: 42)) { try store.finishRun(id: 42, status: .completed) }
        #expect(throws: RunStoreError.runNotFound(id: 42)) { try store.appendEpoch(EpochRecord(runID: 42, epochIndex: 0)) }
        #expect(throws: RunStoreError.runNotFound(id: 42)) {
            try store.insertPowerSamples([PowerSampleRecord(runID: 42, elapsedSeconds: 1, meter: "rapl", zone: "package-0", watts: 10)])
        }
        var ghost = makeRun()
        ghost.id = 42
        #expect(throws: RunStoreError.runNotFound(id: 42)) { try store.updateRun(ghost) }
        #expect(try store.runCount() == 0)
    }

    @Test func epochsAreVisibleToAnotherConnectionAsSoonAsTheyAreAppended() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        let writer = try RunDatabase.open(path: path)
        let reader = try RunDatabase.open(path: path)
        let id = try writer.insertRun(makeRun())
        for index in 0..<3 {
            var epoch = EpochRecord(runID: id, epochIndex: index)
            epoch.trainLoss = 1.0 / Double(index + 1)
            try writer.appendEpoch(epoch)
            #expect(try reader.epochs(runID: id).count == index + 1)
        }
        #expect(try reader.run(id: id).status == .running)
    }

    @Test func epochReportedTwiceKeepsTheLastReport() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        var epoch = EpochRecord(runID: id, epochIndex: 0)
        epoch.trainLoss = 2
        try store.appendEpoch(epoch)
        epoch.trainLoss = 1
        try store.appendEpoch(epoch)
        #expect(try store.epochs(runID: id).map(\.trainLoss) == [1])
    }

    @Test func deletingRunsRemovesEverythingRecordedAboutThemAndNothingElse() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let doomed = try store.insertRun(makeRun(name: "doomed"))
        let kept = try store.insertRun(makeRun(name: "kept"))
        for id in [doomed, kept] {
            try store.appendEpoch(EpochRecord(runID: id, epochIndex: 0))
            try store.insertLayerCosts([
                LayerCostRecord(
                    runID: id, layerIndex: 0, name: "dense", outputShape: "10",
                    parameters: 20, forwardFlops: 40, backwardFlops: 80)
            ])
            try store.insertMetrics([MetricRecord(runID: id, name: "mse", value: 0.5, split: .validation)])
            try store.insertPowerSamples([PowerSampleRecord(runID: id, elapsedSeconds: 1, meter: "rapl", zone: "package-0", watts: 9)])
            try store.insertMeterEnergy([MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: 9, includedInTotal: true)])
        }
        #expect(try store.deleteRuns(ids: [doomed, 12_345]) == 1)
        #expect(try store.runs().map(\.name) == ["kept"])
        #expect(try store.epochs(runID: doomed).isEmpty)
        #expect(try store.layerCosts(runID: doomed).isEmpty)
        #expect(try store.metrics(runID: doomed).isEmpty)
        #expect(try store.powerSamples(runID: doomed).isEmpty)
        #expect(try store.meterEnergy(runID: doomed).isEmpty)
        #expect(try store.epochs(runID: kept).count == 1)
        #expect(try store.powerSamples(runID: kept).count == 1)
        #expect(try store.meterEnergy(runID: kept).count == 1)
    }

    @Test func databasePathComesFromOptionThenEnvironmentThenDefault() {
        #expect(RunDatabase.resolvedPath(explicitPath: "a.sqlite", environment: ["FOOTPRINT_DB": "b.sqlite"]) == "a.sqlite")
        #expect(RunDatabase.resolvedPath(explicitPath: nil, environment: ["FOOTPRINT_DB": "b.sqlite"]) == "b.sqlite")
        #expect(RunDatabase.resolvedPath(explicitPath: nil, environment: [:]) == "footprint.sqlite")
    }
}
