import Foundation
import GRDB
import Testing
@testable import RunStore

@Suite("Migrations")
struct MigrationTests {
    @Test func databaseOfAnOlderBuildIsUpgradedInPlaceKeepingItsRuns() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("old.sqlite")
        // What a build that only knew the store issue (schema 1) left behind.
        let queue = try DatabaseQueue(path: path)
        try RunSchema.migrator.migrate(queue, upTo: "v1-runs")
        try queue.write { db in
            try db.execute(sql: """
                INSERT INTO runs (name, kind, status, started_at, host, flops_total)
                VALUES ('old', 'train', 'completed', '2024-05-01T10:00:00.000Z', 'box', 1234)
                """)
            try db.execute(sql: "INSERT INTO epochs (run_id, epoch_index, train_loss) VALUES (1, 0, 0.5)")
        }
        try queue.close()

        let store = try RunDatabase.open(path: path)
        #expect(try store.appliedMigrations() == ["v1-runs", "v2-energy", "v3-carbon"])
        let run = try store.run(id: 1)
        #expect(run.name == "old")
        #expect(run.flopsTotal == 1234)
        #expect(run.startedAt == Date(timeIntervalSince1970: 1_714_557_600))
        #expect(run.energyJoules == nil)
        #expect(run.gramsCO2e == nil)
        #expect(try store.epochs(runID: 1).first?.trainLoss == 0.5)
        #expect(try store.epochs(runID: 1).first?.energyJoules == nil)
        let userVersion = try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(userVersion == 3)
    }

    @Test func schemaVersionIsTheHighestMigrationNumber() {
        #expect(RunSchema.version(of: ["v1-runs", "v2-energy", "v3-carbon"]) == 3)
        #expect(RunSchema.version(of: ["v1-runs", "v2-energy", "v3-carbon", "v5-future"]) == 5)
        #expect(RunSchema.version(of: ["v1-runs", "renamed"]) == 2)
        #expect(RunSchema.identifiers.count == RunSchema.knownVersion)
        #expect(RunDatabase.schemaVersion == 3)
    }

    @Test func checkConstraintsRejectValuesNoRecordCanHold() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        try store.pool.write { db in
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE runs SET status = 'paused' WHERE id = ?", arguments: [id])
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "UPDATE runs SET tags = 'not json' WHERE id = ?", arguments: [id])
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO epochs (run_id, epoch_index) VALUES (?, 0)", arguments: [id + 100])
            }
        }
    }
}
