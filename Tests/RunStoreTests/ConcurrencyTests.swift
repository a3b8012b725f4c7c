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

    /// The ranks of a distributed job start together: every one opens the same new file at
    /// the same moment. Repeated on fresh files, since the race is a matter of timing.
    @Test func threadsOpeningOneNewFileTogetherAllSucceed() throws {
        let rounds = 25, openers = 8
        for round in 0..<rounds {
            let directory = try TemporaryDirectory()
            let path = directory.file("new.sqlite")
            let failures = Mutex<[String]>([])
            DispatchQueue.concurrentPerform(iterations: openers) { opener in
                do {
                    let store = try RunDatabase.open(path: path)
                    _ = try store.insertRun(makeRun(name: "rank\(opener)"))
                    try store.close()
                } catch {
                    failures.withLock { $0.append("round \(round), opener \(opener): \(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            let store = try RunDatabase.open(path: path)
            #expect(try store.runCount() == openers, "round \(round)")
            #expect(try store.appliedMigrations() == currentMigrations)
            try store.close()
        }
    }

    /// While another connection holds a new file's write lock (as a process switching it to WAL
    /// does), SQLite answers this one's switch to WAL with SQLITE_BUSY at once, without the
    /// busy handler: opening must wait as a write would, not fail in milliseconds.
    @Test func openingWaitsForAnotherConnectionSwitchingTheNewFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("new.sqlite")
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true  // the lock outlives one access on purpose
        // The holder's COMMIT must wait out the opener's brief shared locks, as a real process's
        // does with its busy timeout; without one it could fail, and the lock never be released.
        configuration.busyMode = .timeout(10)
        let holder = try DatabaseQueue(path: path, configuration: configuration)
        try holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let started = Date()
        let releaser = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            do {
                try holder.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
            } catch {
                Issue.record("the holder could not commit: \(error)")
            }
        }
        releaser.start()
        let store = try RunDatabase.open(path: path, busyTimeoutSeconds: 5)
        #expect(Date().timeIntervalSince(started) >= 0.25)
        #expect(try store.insertRun(makeRun()) == 1)
        while !releaser.isFinished { Thread.sleep(forTimeInterval: 0.01) }
    }

    /// Another process looking at a file while it is created sees no schema or the whole
    /// schema, never a part of it (GRDB's migrator alone shows `grdb_migrations` first, then
    /// one migration at a time).
    @Test func aLookDuringCreationSeesNoSchemaOrAllOfIt() throws {
        let wholeSchema = ["epochs", "grdb_migrations", "layer_costs", "meter_energy", "metrics", "power_samples", "runs"]
        let rounds = 25
        var looks = 0
        for _ in 0..<rounds {
            let directory = try TemporaryDirectory()
            let path = directory.file("new.sqlite")
            let watch = Watch()
            let watcher = Thread {
                var configuration = Configuration()
                configuration.readonly = true
                configuration.busyMode = .timeout(5)
                while !watch.created.load(ordering: .acquiring) {
                    // Not there yet, or not an SQLite file yet: look again.
                    guard let queue = try? DatabaseQueue(path: path, configuration: configuration),
                        let facts = try? queue.read(SchemaFacts.read)
                    else { continue }
                    try? queue.close()
                    watch.looks.add(1, ordering: .relaxed)
                    if !facts.tables.isEmpty && (facts.tables != wholeSchema || facts.migrations != currentMigrations) {
                        watch.partial.withLock { _ = $0.insert("\(facts.tables) \(facts.migrations)") }
                    }
                }
            }
            watcher.start()
            Thread.sleep(forTimeInterval: 0.005)
            let store = try RunDatabase.open(path: path)
            try store.close()
            watch.created.store(true, ordering: .releasing)
            while !watcher.isFinished { Thread.sleep(forTimeInterval: 0.001) }
            #expect(watch.partial.withLock { $0 }.sorted() == [])
            looks += watch.looks.load(ordering: .relaxed)
        }
        #expect(looks > 0, "the watcher never managed to look at a file being created")
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

/// What the watcher of `aLookDuringCreationSeesNoSchemaOrAllOfIt` shares with the test: atomics
/// and a lock, so it is Sendable as it is.
private final class Watch: Sendable {
    let created = Atomic<Bool>(false)
    let looks = Atomic<Int>(0)
    /// Each schema state seen that was neither empty nor whole.
    let partial = Mutex<Set<String>>([])
}
