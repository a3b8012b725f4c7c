import Foundation
import Synchronization
import Testing

@testable import RunStore

/// A store that answers like `base` until told to fail, then fails every call as a server that
/// stopped answering does.
final class FailingStore: RunStorage {
    let base: RunDatabase
    let failing = Atomic<Bool>(false)

    init(base: RunDatabase) { self.base = base }

    var locationDescription: String { "postgres://ann@db:5432/runs" }

    private func check() throws {
        if failing.load(ordering: .relaxed) {
            throw RunStoreError.server(
                location: locationDescription, detail: "cannot reach PostgreSQL at db:5432 (connection refused)", advice: "")
        }
    }

    func insertRun(_ run: RunRecord) throws -> Int64 { try check(); return try base.insertRun(run) }
    func updateRun(_ run: RunRecord) throws { try check(); try base.updateRun(run) }
    func finishRun(
        id: Int64, status: RunStatus, endedAt: Date, errorText: String?, exitStatus: Int32?, wallSeconds: Double?, cpuSeconds: Double?
    ) throws {
        try check()
        try base.finishRun(
            id: id, status: status, endedAt: endedAt, errorText: errorText, exitStatus: exitStatus, wallSeconds: wallSeconds,
            cpuSeconds: cpuSeconds)
    }
    func completeRun(_ run: RunRecord, status: RunStatus, endedAt: Date, samples: [PowerSampleRecord], meterEnergy: [MeterEnergyRecord])
        throws -> RunRecord
    {
        try check()
        return try base.completeRun(run, status: status, endedAt: endedAt, samples: samples, meterEnergy: meterEnergy)
    }
    func recordHeartbeat(runID: Int64, at date: Date) throws { try check(); try base.recordHeartbeat(runID: runID, at: date) }
    func deleteRuns(ids: [Int64]) throws -> Int { try check(); return try base.deleteRuns(ids: ids) }
    func appendEpoch(_ epoch: EpochRecord) throws { try check(); try base.appendEpoch(epoch) }
    func insertLayerCosts(_ layers: [LayerCostRecord]) throws { try check(); try base.insertLayerCosts(layers) }
    func insertMetrics(_ metrics: [MetricRecord]) throws { try check(); try base.insertMetrics(metrics) }
    func insertMeterEnergy(_ meters: [MeterEnergyRecord]) throws { try check(); try base.insertMeterEnergy(meters) }
    func insertPowerSamples(_ samples: [PowerSampleRecord]) throws { try check(); try base.insertPowerSamples(samples) }
    func importRun(_ bundle: RunBundle) throws -> Int64 { try check(); return try base.importRun(bundle) }
    func runs(_ query: RunQuery) throws -> [RunRecord] { try check(); return try base.runs(query) }
    func run(id: Int64) throws -> RunRecord { try check(); return try base.run(id: id) }
    func run(uuid: String) throws -> RunRecord? { try check(); return try base.run(uuid: uuid) }
    func runCount() throws -> Int { try check(); return try base.runCount() }
    func epochs(runID: Int64) throws -> [EpochRecord] { try check(); return try base.epochs(runID: runID) }
    func layerCosts(runID: Int64) throws -> [LayerCostRecord] { try check(); return try base.layerCosts(runID: runID) }
    func metrics(runID: Int64) throws -> [MetricRecord] { try check(); return try base.metrics(runID: runID) }
    func powerSamples(runID: Int64) throws -> [PowerSampleRecord] { try check(); return try base.powerSamples(runID: runID) }
    func meterEnergy(runID: Int64) throws -> [MeterEnergyRecord] { try check(); return try base.meterEnergy(runID: runID) }
    func effectiveStatus(of run: RunRecord) -> RunStatus { base.effectiveStatus(of: run) }
    func markCrashedRuns() throws -> [Int64] { try check(); return try base.markCrashedRuns() }
    func close() throws { try base.close() }
}

@Suite struct FallbackStorageTests {
    @Test func runGoesOnInTheFallbackWithEverythingWrittenBefore() throws {
        let directory = try TemporaryDirectory()
        // Numbers differ between the stores: the server has handed out more of them.
        let server = try RunDatabase.open(path: directory.file("server.sqlite"))
        for _ in 0..<4 { try server.deleteRuns(ids: [try server.insertRun(makeRun(name: "old"))]) }
        let primary = FailingStore(base: server)
        let notes = Mutex<[String]>([])
        let localPath = directory.file("local.sqlite")
        let store = FallbackRunStorage(
            primary: primary, primaryName: "PostgreSQL at db:5432", fallbackDescription: localPath,
            openFallback: { try RunDatabase.open(path: localPath) }, notice: { line in notes.withLock { $0.append(line) } })

        var run = makeRun(name: "long", modelName: "mlp:1-2-1")
        let id = try store.insertRun(run)
        run.id = id
        #expect(id == 5)
        try store.appendEpoch(EpochRecord(runID: id, epochIndex: 0))
        try store.insertMetrics([MetricRecord(runID: id, name: "mse", value: 0.5, split: .train)])
        try store.insertPowerSamples([PowerSampleRecord(runID: id, elapsedSeconds: 1, meter: "rapl", zone: "p", watts: 5)])
        run.energyJoules = 12
        try store.updateRun(run)

        #expect(store.storedRunNumber(id) == id)
        primary.failing.store(true, ordering: .relaxed)
        try store.appendEpoch(EpochRecord(runID: id, epochIndex: 1))
        try store.insertPowerSamples([PowerSampleRecord(runID: id, elapsedSeconds: 2, meter: "rapl", zone: "p", watts: 6)])
        try store.recordHeartbeat(runID: id, at: Date())
        let finished = try store.completeRun(run, status: .completed, endedAt: Date(), samples: [], meterEnergy: [])
        #expect(finished.id == id)
        #expect(store.hasFailedOver)

        // One note, naming what stopped and where the run went.
        let said = notes.withLock { $0 }
        #expect(said.count == 1)
        #expect(said.first?.contains("PostgreSQL at db:5432 stopped answering (cannot reach") == true)
        #expect(said.first?.contains("run 5 goes on as run 1") == true)
        #expect(said.first?.contains("footprint sync") == true)
        // "Recorded as run N in <fallback>" must name the run as the fallback numbers it.
        #expect(store.storedRunNumber(id) == 1)
        #expect(store.locationDescription == localPath)

        // Reads through the wrapper keep the caller's number; the file holds the whole run.
        #expect(try store.run(id: id).status == .completed)
        #expect(try store.epochs(runID: id).map(\.runID) == [id, id])
        let local = try RunDatabase.open(path: localPath)
        let copy = try #require(try local.run(uuid: run.uuid))
        #expect(copy.status == .completed && copy.energyJoules == 12)
        #expect(try local.epochs(runID: copy.id ?? 0).count == 2)
        #expect(try local.metrics(runID: copy.id ?? 0).count == 1)
        #expect(try local.powerSamples(runID: copy.id ?? 0).map(\.watts) == [5, 6])

        // Later runs go straight to the fallback.
        let next = try store.insertRun(makeRun(name: "next"))
        #expect(next != id)
        try store.finishRun(id: next, status: .completed)
        #expect(try local.runCount() == 2)
    }

    @Test func otherErrorsDoNotFailOver() throws {
        let directory = try TemporaryDirectory()
        let primary = FailingStore(base: try RunDatabase.open(path: directory.file("server.sqlite")))
        let store = FallbackRunStorage(
            primary: primary, primaryName: "PostgreSQL at db:5432", fallbackDescription: "x",
            openFallback: { throw RunStoreError.unwritable(path: "x", reason: "never opened") }, notice: { _ in })
        #expect(throws: RunStoreError.runNotFound(id: 42)) { try store.appendEpoch(EpochRecord(runID: 42, epochIndex: 0)) }
        #expect(!store.hasFailedOver)
    }
}
