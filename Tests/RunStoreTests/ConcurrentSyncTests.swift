import Foundation
import Synchronization
import Testing

@testable import RunStore

@Suite struct ConcurrentSyncTests {
    /// Two syncs of the same 40 runs into one file at once: each counts what it copied itself,
    /// so the copied counts add up to 40 (they used to claim 40 each).
    @Test func concurrentSyncsIntoOneFileReportCopiesThatAddUpToTheRuns() throws {
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("laptop.sqlite"))
        for index in 0..<40 {
            var run = makeRun(name: "run-\(index)")
            run.status = .completed
            run.endedAt = millisecondDate(1_750_000_100)
            // Imports long enough that both syncs look at a run before either has committed it.
            let epochs = (0..<500).map { EpochRecord(runID: 0, epochIndex: $0) }
            try source.importRun(
                RunBundle(
                    details: RunDetails(run: run, epochs: epochs, metrics: [], layerCosts: [], meterEnergy: []), powerSamples: []))
        }
        let targetPath = directory.file("team.sqlite")
        try RunDatabase.open(path: targetPath).close()
        let summaries = Mutex<[RunSync.Summary]>([])
        let threads = (0..<2).map { _ in
            Thread {
                guard let target = try? RunDatabase.open(path: targetPath) else { return }
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
        #expect(try RunDatabase.open(path: targetPath).runCount() == 40)
    }
}
