import Foundation
import Testing

@testable import RunStore

/// Crash detection across hosts, heartbeats, UUIDs and copying runs between stores.
@Suite struct LeaseAndImportTests {
    @Test func aRunOfAnotherHostIsCrashedOnlyOnceItsHeartbeatIsOlderThanTheLease() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var run = makeRun(name: "remote")
        run.host = "some-other-node"
        run.pid = 1  // a live pid here: it must not matter for another host's run
        run.startedAt = Date().addingTimeInterval(-RunLease.seconds * 3)
        let id = try store.insertRun(run)
        // Silent since its start, three leases ago: crashed, with a reason that says so.
        #expect(try store.run(id: id).status == .crashed)
        try store.recordHeartbeat(runID: id, at: Date())
        #expect(try store.run(id: id).status == .running)
        #expect(try store.markCrashedRuns().isEmpty)
        try store.recordHeartbeat(runID: id, at: Date().addingTimeInterval(-RunLease.seconds - 5))
        #expect(try store.markCrashedRuns() == [id])
        let stored = try store.run(id: id)
        #expect(stored.status == .crashed)
        #expect(stored.errorText?.contains("no heartbeat from some-other-node") == true)
        #expect(stored.errorText?.contains("300 s lease") == true)
    }

    @Test func aRunOfThisHostIsJudgedByItsProcessNotItsHeartbeat() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var run = makeRun(name: "mine")
        run.startedAt = Date().addingTimeInterval(-RunLease.seconds * 3)
        let id = try store.insertRun(run)
        #expect(try store.run(id: id).status == .running)  // this process is alive, however silent
    }

    @Test func everyRunGetsItsOwnUUIDAndIsFoundByIt() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let first = makeRun(name: "a"), second = makeRun(name: "b")
        #expect(first.uuid != second.uuid)
        let id = try store.insertRun(first)
        try store.insertRun(second)
        #expect(try store.run(uuid: first.uuid)?.id == id)
        #expect(try store.run(uuid: UUID().uuidString.lowercased()) == nil)
    }

    @Test func importCopiesARunWithItsChildrenUnderANewNumberAndRefusesItTwice() throws {
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("source.sqlite"))
        let target = try RunDatabase.open(path: directory.file("target.sqlite"))
        try target.insertRun(makeRun(name: "already there"))
        var run = makeRun(name: "copied")
        run.jobKey = "slurm:7"
        run.rank = 1
        let id = try source.insertRun(run)
        try source.appendEpoch(EpochRecord(runID: id, epochIndex: 1))
        try source.insertPowerSamples([PowerSampleRecord(runID: id, elapsedSeconds: 0.5, meter: "rapl", zone: "package-0", watts: 30)])
        var finished = try source.run(id: id)
        finished.energyJoules = 12
        finished.energyProvenance = .measured
        try source.completeRun(
            finished, status: .completed, endedAt: Date(), samples: [],
            meterEnergy: [MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: 12, includedInTotal: true)])
        let bundle = try source.bundle(runID: id)
        let copiedID = try target.importRun(bundle)
        #expect(copiedID == 2)
        let copied = try target.run(id: copiedID)
        #expect(copied.uuid == run.uuid && copied.status == .completed && copied.jobKey == "slurm:7" && copied.rank == 1)
        #expect(try target.epochs(runID: copiedID).count == 1)
        #expect(try target.powerSamples(runID: copiedID).map(\.watts) == [30])
        #expect(try target.meterEnergy(runID: copiedID).map(\.joules) == [12])
        #expect(throws: RunStoreError.duplicateRun(uuid: run.uuid, location: target.path)) { try target.importRun(bundle) }
        #expect(try target.runCount() == 2)
    }

    /// Imports bind epoch fields one by one: each must land in its own column.
    @Test func importedEpochsKeepEveryField() throws {
        let directory = try TemporaryDirectory()
        let target = try RunDatabase.open(path: directory.file("target.sqlite"))
        var epoch = EpochRecord(runID: 0, epochIndex: 3)
        (epoch.trainLoss, epoch.validationLoss, epoch.accuracy, epoch.mse, epoch.r2) = (0.1, 0.2, 0.3, 0.4, 0.5)
        (epoch.flopsForward, epoch.flopsBackward, epoch.flopsOptimizer, epoch.flopsEvaluation) = (6, 7, 8, 9)
        (epoch.secondsData, epoch.secondsForward, epoch.secondsBackward) = (1.1, 1.2, 1.3)
        (epoch.secondsOptimizer, epoch.secondsEvaluation, epoch.wallSeconds) = (1.4, 1.5, 1.6)
        (epoch.elapsedSeconds, epoch.samples, epoch.energyJoules) = (1.7, 18, 1.9)
        let bundle = RunBundle(
            details: RunDetails(run: makeRun(), epochs: [epoch], metrics: [], layerCosts: [], meterEnergy: []), powerSamples: [])
        let id = try target.importRun(bundle)
        epoch.runID = id
        #expect(try target.epochs(runID: id) == [epoch])
    }

    @Test func aServerAddressNeverShowsItsPassword() {
        let location = RunStoreLocation("postgres://alice:s3cr%40t@db.example:5432/runs")
        #expect(location.isServer)
        #expect(location.description == "postgres://alice:***@db.example:5432/runs")
        #expect(RunStoreLocation("postgresql://bob@db/runs").description == "postgresql://bob@db/runs")
        #expect(RunStoreLocation("runs.sqlite") == .file(path: "runs.sqlite"))
        let refused = #expect(throws: RunStoreError.self) { try RunDatabase.fileOpener(location, 1) }
        #expect(refused.map { "\($0)" }?.contains("s3cr") == false)
    }
}
