import Foundation
import GRDB
import Testing
@testable import RunStore

@Suite("Opening refuses what is not ours and leaves it untouched")
struct OpenGuardTests {
    /// Opens `path`, expects `expected`, and proves the file and its directory did not change.
    private func expectRefusal(
        _ path: String, directory: TemporaryDirectory, _ expected: RunStoreError,
        busyTimeoutSeconds: Double = RunDatabase.defaultBusyTimeoutSeconds,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        let before = try bytes(of: path)
        let filesBefore = try fileNames(in: directory.path)
        #expect(throws: expected, sourceLocation: sourceLocation) {
            try RunDatabase.open(path: path, busyTimeoutSeconds: busyTimeoutSeconds)
        }
        #expect(try bytes(of: path) == before, "bytes changed", sourceLocation: sourceLocation)
        #expect(try fileNames(in: directory.path) == filesBefore, "files appeared", sourceLocation: sourceLocation)
    }

    @Test func textFileIsNotSQLiteAndIsLeftUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("notes.txt")
        try Data("name,joules\nrun,12\n".utf8).write(to: URL(fileURLWithPath: path))
        try expectRefusal(path, directory: directory, .notSQLite(path: path))
    }

    @Test func shortBinaryFileIsNotSQLite() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("blob.bin")
        try Data([0x7F, 0x45, 0x4C, 0x46]).write(to: URL(fileURLWithPath: path))
        try expectRefusal(path, directory: directory, .notSQLite(path: path))
    }

    @Test func anotherApplicationsDatabaseIsRefusedNamingItsTables() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE players (id INTEGER PRIMARY KEY, name TEXT); CREATE TABLE scores (value)")
            try db.execute(sql: "INSERT INTO players (name) VALUES ('Arthur'), ('Barbara')")
        }
        try queue.close()
        try expectRefusal(path, directory: directory, .foreignDatabase(path: path, tables: ["players", "scores"]))
    }

    @Test func databaseMarkedByAnotherApplicationIsRefusedEvenWithoutTables() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("marked.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA application_id = 1234") }
        try queue.close()
        try expectRefusal(path, directory: directory, .foreignDatabase(path: path, tables: []))
    }

    /// What GRDB's `DatabaseMigrator` (and so a Footprint build up to schema 3) commits before
    /// its first migration: `grdb_migrations` alone, no application id.
    private func makeHalfCreatedFile(_ path: String) throws -> DatabasePool {
        let pool = try DatabasePool(path: path)
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
        }
        return pool
    }

    @Test func fileAnotherProcessIsCreatingIsWaitedForNotRefused() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        let creator = try makeHalfCreatedFile(path)
        let started = Date()
        // The creator finishes its schema 0.3 s later, as a slow older build would.
        let finisher = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            try? creator.writeWithoutTransaction { db in
                try db.inTransaction(.immediate) {
                    for migration in RunSchema.migrations {
                        try migration.apply(db)
                        try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.identifier])
                    }
                    return .commit
                }
            }
        }
        finisher.start()
        let store = try RunDatabase.open(path: path, busyTimeoutSeconds: 5)
        #expect(Date().timeIntervalSince(started) >= 0.25)
        #expect(try store.appliedMigrations() == currentMigrations)
        #expect(try store.insertRun(makeRun()) == 1)
        while !finisher.isFinished { Thread.sleep(forTimeInterval: 0.01) }
        try creator.close()
    }

    @Test func fileLeftHalfCreatedIsRefusedAfterTheBusyTimeoutAndLeftUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        try makeHalfCreatedFile(path).close()
        let started = Date()
        try expectRefusal(
            path, directory: directory, .foreignDatabase(path: path, tables: ["grdb_migrations"]),
            busyTimeoutSeconds: 0.3)
        #expect(Date().timeIntervalSince(started) >= 0.3)
    }

    @Test func anotherGRDBApplicationsDatabaseIsRefusedWithoutWaiting() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("app.sqlite")
        let pool = try makeHalfCreatedFile(path)
        try pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('createPlayers')") }
        try pool.close()
        let started = Date()
        try expectRefusal(
            path, directory: directory, .foreignDatabase(path: path, tables: ["grdb_migrations"]),
            busyTimeoutSeconds: 5)
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func truncatedDatabaseIsReportedAndLeftUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        let store = try RunDatabase.open(path: path)
        let id = try store.insertRun(makeRun())
        try store.insertPowerSamples(
            (0..<3_000).map {
                PowerSampleRecord(runID: id, elapsedSeconds: Double($0), meter: "rapl", zone: "package-0", watts: 10)
            })
        try store.close()
        let whole = try bytes(of: path)
        #expect(whole.count >= 8 * 4096)
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: path))
        let before = try bytes(of: path)
        #expect {
            try RunDatabase.open(path: path)
        } throws: { error in
            guard case .corrupted(let reported, let detail) = error as? RunStoreError else { return false }
            return reported == path && detail.contains("truncated")
        }
        #expect(try bytes(of: path) == before)
    }

    @Test func databaseWithOverwrittenPagesIsReportedAndLeftUntouched() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        let store = try RunDatabase.open(path: path)
        try store.insertRun(makeFullRun())
        try store.close()
        var damaged = try bytes(of: path)
        // Keep page 1 (header and table list); scribble over every other page.
        damaged.replaceSubrange(4096..<damaged.count, with: repeatElement(0xA5, count: damaged.count - 4096))
        try damaged.write(to: URL(fileURLWithPath: path))
        #expect {
            try RunDatabase.open(path: path)
        } throws: { error in
            guard case .corrupted(let reported, _) = error as? RunStoreError else { return false }
            return reported == path
        }
        #expect(try bytes(of: path) == damaged)
        #expect(try fileNames(in: directory.path) == ["runs.sqlite"])
    }

    @Test func databaseCutInsideItsHeaderIsReportedAsDamaged() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        try Data(DatabaseInspector.sqliteMagic + [0x10, 0x00, 0x02]).write(to: URL(fileURLWithPath: path))
        try expectRefusal(
            path, directory: directory,
            .corrupted(path: path, detail: "19 bytes, shorter than the 100-byte SQLite header"))
    }

    @Test func databaseFromANewerFootprintIsRefusedNamingBothVersions() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        let store = try RunDatabase.open(path: path)
        try store.insertRun(makeRun())
        try store.close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v7-gpus'), ('v8-future')")
        }
        try queue.close()
        let error = RunStoreError.newerSchema(path: path, databaseVersion: 8, knownVersion: 7)
        try expectRefusal(path, directory: directory, error)
        #expect(error.description.contains("newer Footprint (schema 8); this build knows schema 7: upgrade Footprint"))
    }

    @Test func missingDirectoryIsReportedBeforeAnythingIsCreated() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("absent/runs.sqlite")
        #expect(throws: RunStoreError.unwritable(path: path, reason: "the directory \(directory.path)/absent does not exist")) {
            try RunDatabase.open(path: path)
        }
        #expect(try fileNames(in: directory.path).isEmpty)
    }

    @Test func directoryGivenAsDatabaseIsRefused() throws {
        let directory = try TemporaryDirectory()
        #expect(throws: RunStoreError.unwritable(path: directory.path, reason: "it is a directory, not a database file")) {
            try RunDatabase.open(path: directory.path)
        }
    }

    @Test(.enabled(if: getuid() != 0, "root can write read-only files"))
    func readOnlyFileIsRefusedBeforeAnyWork() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        try RunDatabase.open(path: path).close()
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        #expect {
            try RunDatabase.open(path: path)
        } throws: { error in
            guard case .unwritable(let reported, _) = error as? RunStoreError else { return false }
            return reported == path
        }
    }

    @Test func emptyFileAndEmptySQLiteDatabaseBecomeFootprintDatabases() throws {
        let directory = try TemporaryDirectory()
        let emptyFile = directory.file("touched.sqlite")
        #expect(FileManager.default.createFile(atPath: emptyFile, contents: Data()))
        let emptyDatabase = directory.file("blank.sqlite")
        try DatabaseQueue(path: emptyDatabase).close()
        for path in [emptyFile, emptyDatabase] {
            let store = try RunDatabase.open(path: path)
            #expect(try store.appliedMigrations() == currentMigrations)
        }
    }

    @Test func reopeningKeepsRunsAndRunsNoMigrationTwice() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("runs.sqlite")
        let first = try RunDatabase.open(path: path)
        let id = try first.insertRun(makeRun(name: "kept"))
        try first.close()
        let second = try RunDatabase.open(path: path)
        #expect(try second.run(id: id).name == "kept")
        #expect(try second.appliedMigrations() == currentMigrations)
    }

    @Test func errorDescriptionsNameThePathAndARemedy() {
        let errors: [RunStoreError] = [
            .notSQLite(path: "/x/db"), .foreignDatabase(path: "/x/db", tables: ["t"]),
            .newerSchema(path: "/x/db", databaseVersion: 5, knownVersion: 4),
            .corrupted(path: "/x/db", detail: "d"), .unwritable(path: "/x/db", reason: "r"),
            .locked(path: "/x/db", seconds: 10), .diskFull(path: "/x/db"), .sqlite(path: "/x/db", detail: "d"),
        ]
        for error in errors {
            #expect(error.description.contains("/x/db"), "\(error)")
        }
        #expect(RunStoreError.locked(path: "/x/db", seconds: 10).description.contains("10 s"))
        #expect(RunStoreError.runNotFound(id: 7).description.contains("7"))
    }
}
