import Foundation
import Testing

@testable import RunStore

@Suite struct RunSyncTests {
    /// Records a finished run with an epoch and samples.
    func recordFinished(_ store: RunDatabase, name: String) throws -> RunRecord {
        let id = try store.insertRun(makeRun(name: name))
        try store.appendEpoch(EpochRecord(runID: id, epochIndex: 0))
        try store.insertPowerSamples([PowerSampleRecord(runID: id, elapsedSeconds: 1, meter: "rapl", zone: "package-0", watts: 9)])
        try store.finishRun(id: id, status: .completed)
        return try store.run(id: id)
    }

    @Test func copiesEachRunOnceAndSecondSyncCopiesNothing() throws {
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("laptop.sqlite"))
        let target = try RunDatabase.open(path: directory.file("team.sqlite"))
        let runs = try (0..<3).map { try recordFinished(source, name: "run\($0)") }
        let first = try RunSync(source: source, target: target).run()
        #expect(first.copied == 3 && first.skippedPresent == 0)
        let second = try RunSync(source: source, target: target).run()
        #expect(second.copied == 0 && second.skippedPresent == 3)
        #expect(try target.runCount() == 3)
        for run in runs {
            let copy = try #require(try target.run(uuid: run.uuid))
            var original = try source.bundle(runID: run.id ?? 0)
            original = original.reassigned(to: copy.id ?? 0)
            #expect(try target.bundle(runID: copy.id ?? 0) == original)
        }
    }

    @Test func dryRunWritesNothing() throws {
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("a.sqlite"))
        let target = try RunDatabase.open(path: directory.file("b.sqlite"))
        _ = try recordFinished(source, name: "one")
        let summary = try RunSync(source: source, target: target).run(dryRun: true)
        #expect(summary.copied == 1)
        #expect(try target.runCount() == 0)
        #expect(summary.line(dryRun: true).contains("1 to copy"))
    }

    @Test func runningRunsWaitUnlessIncluded() throws {
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("a.sqlite"))
        let target = try RunDatabase.open(path: directory.file("b.sqlite"))
        try source.insertRun(makeRun(name: "live"))  // this process is alive: running
        let skipped = try RunSync(source: source, target: target).run()
        #expect(skipped.skippedRunning == 1 && skipped.copied == 0)
        let included = try RunSync(source: source, target: target, includeRunning: true).run()
        #expect(included.copied == 1)
        #expect(try target.runs().first?.status == .running)
    }

    @Test func finishedCopyReplacesTheTargetsUnfinishedOne() throws {
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("a.sqlite"))
        let target = try RunDatabase.open(path: directory.file("b.sqlite"))
        // The server kept the start of a run whose end went to the local file.
        var started = makeRun(name: "cut-off")
        started.host = "gone-host"
        started.startedAt = Date(timeIntervalSinceNow: -3_600)
        let targetID = try target.insertRun(started)
        #expect(try target.run(id: targetID).status == .crashed)
        var finished = try target.bundle(runID: targetID)
        finished.details.run.status = .completed
        finished.details.run.endedAt = Date()
        finished.details.epochs = [EpochRecord(runID: targetID, epochIndex: 0)]
        try source.importRun(finished)
        let summary = try RunSync(source: source, target: target).run()
        #expect(summary.replaced == 1 && summary.copied == 0)
        let replaced = try #require(try target.run(uuid: started.uuid))
        #expect(replaced.status == .completed)
        #expect(try target.epochs(runID: replaced.id ?? 0).count == 1)
        #expect(try target.runCount() == 1)
        #expect(try RunSync(source: source, target: target).run().skippedPresent == 1)
    }
}
