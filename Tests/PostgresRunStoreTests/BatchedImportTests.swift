import Foundation
import Synchronization
import Testing

@testable import PostgresRunStore
@testable import RunStore

/// A finished run with `epochs` epochs, a metric and a few samples, ready to import.
private func largeBundle(epochs count: Int, name: String = "long") -> RunBundle {
    var run = RunRecord(name: name, kind: .train, startedAt: millisecondDate(1_750_000_000.5), host: "node-7", status: .completed)
    run.endedAt = millisecondDate(1_750_003_600.25)
    let epochs = (0..<count).map { index in
        var epoch = EpochRecord(runID: 0, epochIndex: index)
        epoch.trainLoss = 1 / Double(index + 1)
        epoch.samples = Int64(index)
        epoch.elapsedSeconds = index == 1 ? .infinity : Double(index) * 0.01
        return epoch
    }
    return RunBundle(
        details: RunDetails(
            run: run, epochs: epochs, metrics: [MetricRecord(runID: 0, name: "mse", value: 0.25, split: .validation)],
            layerCosts: [], meterEnergy: []),
        powerSamples: (0..<7).map { PowerSampleRecord(runID: 0, elapsedSeconds: Double($0), meter: "rapl", zone: "package-0", watts: 40) })
}

@Suite(.enabled(if: TestServer.shouldRun, "needs FOOTPRINT_TEST_POSTGRES_URL"), .serialized)
struct BatchedImportTests {
    /// The case: 200,000 epochs never copied within the 30 s statement limit. Now in
    /// 5,000-row transactions, nothing visible until the last commit.
    @Test(.timeLimit(.minutes(1)))
    func runOf200000EpochsIsCopiedInBatchesAndShownOnlyWhenComplete() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        let watcher = try schema.open()
        let bundle = largeBundle(epochs: 200_000)
        var reports: [ImportProgress] = []
        var seenWhileCopying: [Int] = []
        let started = Date()
        let id = try store.importRun(bundle) { progress in
            reports.append(progress)
            if progress.rowsCopied < progress.rowsTotal {
                seenWhileCopying.append((try? watcher.runCount()) ?? -1)
                seenWhileCopying.append((try? watcher.runs().count) ?? -1)
                seenWhileCopying.append((try? watcher.run(uuid: bundle.details.run.uuid)) == nil ? 0 : 1)
            }
        }
        let seconds = Date().timeIntervalSince(started)
        print("200,000-epoch import into PostgreSQL: \(seconds) s")
        #expect(seconds < 30)
        #expect(reports.count >= 40)
        #expect(reports.last == ImportProgress(rowsCopied: 200_008, rowsTotal: 200_008))
        #expect(Set(seenWhileCopying) == [0])
        #expect(try watcher.runCount() == 1)
        #expect(try watcher.run(id: id).uuid == bundle.details.run.uuid)
        #expect(try store.integer("SELECT count(*) FROM epochs WHERE run_id = \(id)") == 200_000)
        #expect(try store.integer("SELECT sum(samples)::BIGINT FROM epochs WHERE run_id = \(id)") == 199_999 * 100_000)
        #expect(try store.integer("SELECT count(*) FROM runs WHERE uuid LIKE 'partial-import:%'") == 0)
        // Values arrive bit for bit (reading 200,000 epochs back would take longer than the copy).
        #expect(
            try store.integer("SELECT count(*) FROM epochs WHERE run_id = \(id) AND train_loss = 1 / (epoch_index + 1)::float8") == 200_000)
        #expect(try store.integer("SELECT epoch_index FROM epochs WHERE run_id = \(id) AND elapsed_seconds = 'Infinity'") == 1)
        #expect(try store.integer("SELECT count(*) FROM epochs WHERE run_id = \(id) AND validation_loss IS NULL") == 200_000)
        #expect(try store.powerSamples(runID: id).count == 7)
        #expect(try store.metrics(runID: id).map(\.value) == [0.25])
    }

    /// A copy whose process died left a hidden run and part of its rows: readers never see it,
    /// and the next import of that run deletes it and copies the whole run.
    @Test func copyLeftHalfDoneByADeadProcessIsHiddenAndReplacedByTheNextImport() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        let bundle = largeBundle(epochs: 12_000)
        let uuid = bundle.details.run.uuid
        try store.execute(
            """
            INSERT INTO runs (name, kind, status, started_at, host, uuid)
            VALUES ('long', 'train', 'completed', '2025-06-15T15:06:40.500Z', 'node-7', 'partial-import:\(uuid)')
            """)
        try store.execute(
            """
            INSERT INTO epochs (run_id, epoch_index)
            SELECT id, g FROM runs, generate_series(0, 4999) AS g WHERE uuid = 'partial-import:\(uuid)'
            """)
        #expect(try store.runCount() == 0)
        #expect(try store.runs().isEmpty)
        #expect(try store.run(uuid: uuid) == nil)
        let id = try store.importRun(bundle)
        #expect(try store.integer("SELECT count(*) FROM runs") == 1)
        #expect(try store.integer("SELECT count(*) FROM epochs") == 12_000)
        #expect(try store.integer("SELECT count(*) FROM epochs WHERE run_id = \(id)") == 12_000)
        #expect(try store.runs().map(\.uuid) == [uuid])
    }

    /// While one session copies a run, another's import of it is refused as already there and
    /// touches nothing.
    @Test func runBeingCopiedByAnotherSessionIsAlreadyThere() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        let other = try schema.open()
        let bundle = largeBundle(epochs: 6_000)
        try other.execute("SELECT pg_advisory_lock(hashtextextended('\(bundle.details.run.uuid)', 0))")
        #expect(throws: RunStoreError.duplicateRun(uuid: bundle.details.run.uuid, location: store.locationDescription)) {
            try store.importRun(bundle)
        }
        #expect(try store.integer("SELECT count(*) FROM runs") == 0)
        // Unlocked before closing: a closed session's locks go when the server gets round to
        // ending it, which on a loaded machine can be after the next import asks.
        try other.execute("SELECT pg_advisory_unlock(hashtextextended('\(bundle.details.run.uuid)', 0))")
        try other.close()
        #expect(try store.importRun(bundle) > 0)
    }

    /// Two syncs of the same 40 runs to the server at once report copies that add up to 40.
    @Test func concurrentSyncsToTheServerReportCopiesThatAddUpToTheRuns() throws {
        let schema = try TestSchema()
        try schema.open().close()
        let url = schema.url
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("laptop.sqlite"))
        for index in 0..<40 { try source.importRun(largeBundle(epochs: 300, name: "run-\(index)")) }
        let summaries = Mutex<[RunSync.Summary]>([])
        let threads = (0..<2).map { _ in
            Thread {
                guard let target = try? PostgresRunStore.open(url: url) else { return }
                if let summary = try? RunSync(source: source, target: target).run() {
                    summaries.withLock { $0.append(summary) }
                }
                try? target.close()
            }
        }
        threads.forEach { $0.start() }
        while threads.contains(where: { !$0.isFinished }) { Thread.sleep(forTimeInterval: 0.01) }
        let results = summaries.withLock { $0 }
        #expect(results.count == 2)
        #expect(results.map(\.copied).reduce(0, +) == 40)
        #expect(results.map { $0.copied + $0.skippedPresent } == [40, 40])
        #expect(try schema.open().runCount() == 40)
    }
}
