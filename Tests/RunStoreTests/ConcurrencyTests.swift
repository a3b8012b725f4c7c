import Foundation
import GRDB
import Synchronization
import Testing
@testable import RunStore

/// Several connections writing one file at once. Each writer has its own `RunDatabase` (its own
/// `DatabasePool` and SQLite connections), which locks exactly as separate processes do; the
/// test with real processes lives in the CLI tests.
@Suite("Concurrent writers")
struct ConcurrencyTests {
    @Test func eightWritersOnANewFileLoseNoRow() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("shared.sqlite")
        let writers = 8, runsPerWriter = 25, epochsPerRun = 3
        let failures = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: writers) { writer in
            do {
                // All open the same absent file at once: migrations race too.
                let store = try RunDatabase.open(path: path)
                for index in 0..<runsPerWriter {
                    let id = try store.insertRun(makeRun(name: "w\(writer)-\(index)", tags: ["w\(writer)"]))
                    for epoch in 0..<epochsPerRun {
                        var row = EpochRecord(runID: id, epochIndex: epoch)
                        row.trainLoss = Double(epoch)
                        try store.appendEpoch(row)
                    }
                    try store.finishRun(id: id, status: .completed)
                }
                try store.close()
            } catch {
                failures.withLock { $0.append("writer \(writer): \(error)") }
            }
        }
        #expect(failures.withLock { $0 } == [])
        let store = try RunDatabase.open(path: path)
        let runs = try store.runs()
        #expect(runs.count == writers * runsPerWriter)
        #expect(Set(runs.map(\.name)).count == writers * runsPerWriter)
        #expect(runs.allSatisfy { $0.status == .completed })
        let epochCount = try store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM epochs") }
        #expect(epochCount == writers * runsPerWriter * epochsPerRun)
        #expect(try store.runs(tag: "w3").count == runsPerWriter)
        #expect(try store.integrityCheck() == ["ok"])
        #expect(try store.appliedMigrations() == currentMigrations)
    }

    @Test func writeBlockedPastTheBusyTimeoutReportsLocked() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("locked.sqlite")
        let holder = try RunDatabase.open(path: path)
        let impatient = try RunDatabase.open(path: path, busyTimeoutSeconds: 0.2)
        try holder.pool.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN IMMEDIATE")
            #expect(throws: RunStoreError.locked(path: path, seconds: 0.2)) {
                try impatient.insertRun(makeRun())
            }
            try db.execute(sql: "ROLLBACK")
        }
        #expect(try impatient.insertRun(makeRun()) > 0)
    }
}
