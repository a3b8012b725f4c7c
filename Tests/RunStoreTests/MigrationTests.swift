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
            try db.execute(
                sql: """
                    INSERT INTO runs (name, kind, status, started_at, host, flops_total)
                    VALUES ('old', 'train', 'completed', '2024-05-01T10:00:00.000Z', 'box', 1234)
                    """)
            try db.execute(sql: "INSERT INTO epochs (run_id, epoch_index, train_loss) VALUES (1, 0, 0.5)")
        }
        try queue.close()

        let store = try RunDatabase.open(path: path)
        #expect(try store.appliedMigrations() == currentMigrations)
        let run = try store.run(id: 1)
        #expect(run.name == "old")
        #expect(run.flopsTotal == 1234)
        #expect(run.startedAt == Date(timeIntervalSince1970: 1_714_557_600))
        #expect(run.energyJoules == nil)
        #expect(run.gramsCO2e == nil)
        #expect(try store.epochs(runID: 1).first?.trainLoss == 0.5)
        #expect(try store.epochs(runID: 1).first?.energyJoules == nil)
        let userVersion = try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(userVersion == 7)
    }

    @Test func schemaVersionIsTheHighestMigrationNumber() {
        #expect(RunSchema.version(of: ["v1-runs", "v2-energy", "v3-carbon"]) == 3)
        #expect(RunSchema.version(of: ["v1-runs", "v2-energy", "v3-carbon", "v5-future"]) == 5)
        #expect(RunSchema.version(of: currentMigrations) == 7)
        #expect(RunSchema.version(of: ["v1-runs", "renamed"]) == 2)
        #expect(RunSchema.identifiers.count == RunSchema.knownVersion)
        #expect(RunDatabase.schemaVersion == 7)
        #expect(RunSchema.identifiers == currentMigrations)
    }

    /// A file as schema 3 left it (made by GRDB's migrator, as builds up to 3 did): five runs
    /// with children of every kind, the highest run deleted.
    private func makeSchemaThreeFile(_ path: String, deleting deleted: [Int64] = [5]) throws {
        let pool = try DatabasePool(path: path)
        try RunSchema.migrator.migrate(pool, upTo: "v3-carbon")
        try pool.write { db in
            for id in 1...5 {
                try db.execute(
                    sql: """
                        INSERT INTO runs (name, kind, status, started_at, host, tags, energy_joules,
                                          energy_provenance, grams_co2e, embodied_grams, country)
                        VALUES (?, 'train', 'completed', ?, 'box', ?, ?, ?, ?, 0.01, 'FRA')
                        """,
                    arguments: [
                        "run\(id)", "2025-01-0\(id)T00:00:00.000Z", #"["t\#(id)"]"#, Double(id) * 10,
                        id.isMultiple(of: 2) ? "measured" : "estimated", 0.1 * Double(id),
                    ])
                try db.execute(
                    sql: "INSERT INTO epochs (run_id, epoch_index, train_loss, energy_joules) VALUES (?, 0, 0.5, 1), (?, 1, 0.25, 2)",
                    arguments: [id, id])
                try db.execute(
                    sql: """
                        INSERT INTO layer_costs (run_id, layer_index, name, output_shape, parameters, forward_flops, backward_flops)
                        VALUES (?, 0, 'dense', '1x10', 20, 200, 400)
                        """, arguments: [id])
                try db.execute(
                    sql: "INSERT INTO metrics (run_id, name, value, split) VALUES (?, 'mse', ?, 'validation')",
                    arguments: [id, 1 / Double(id)])
                try db.execute(
                    sql:
                        "INSERT INTO power_samples (run_id, elapsed_seconds, meter, zone, watts) VALUES (?, 0.5, 'rapl', 'package-0', 12.5), (?, 1, 'rapl', 'dram', 3)",
                    arguments: [id, id])
                try db.execute(
                    sql: "INSERT INTO meter_energy (run_id, meter, zone, joules, included_in_total) VALUES (?, 'rapl', 'package-0', ?, 1)",
                    arguments: [id, Double(id) * 9])
            }
            try db.execute(sql: "DELETE FROM runs WHERE id IN (\(deleted.map(String.init).joined(separator: ",")))")
        }
        try pool.close()
    }

    /// The columns `meter_energy` had up to schema 5 (v6 added the bridged seconds and joules).
    private static let meterEnergyColumnsBeforeSix = "run_id, meter, zone, joules, included_in_total"

    /// Every row of every table (the columns schema 3 had), and every index, as text.
    private func contents(of reader: some DatabaseReader, runColumns: [String]) throws -> [String] {
        try reader.read { db in
            var lines: [String] = []
            for table in ["runs", "epochs", "layer_costs", "metrics", "power_samples", "meter_energy"] {
                let columns =
                    table == "runs"
                    ? runColumns.joined(separator: ", ") : table == "meter_energy" ? Self.meterEnergyColumnsBeforeSix : "*"
                for row in try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY rowid") {
                    lines.append(table + ": " + row.databaseValues.map(\.description).joined(separator: " | "))
                }
            }
            lines += try String.fetchAll(
                db,
                sql: """
                    SELECT 'index ' || name || ' on ' || tbl_name || ': ' || coalesce(sql, '(automatic)')
                    FROM sqlite_master WHERE type = 'index' ORDER BY name
                    """)
            return lines
        }
    }

    @Test func schemaThreeFileBecomesFourKeepingEveryRowIndexAndIDCounter() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("v3.sqlite")
        try makeSchemaThreeFile(path)
        let old = try DatabaseQueue(path: path)
        let runColumns = try old.read { db in try db.columns(in: "runs").map(\.name) }
        let before = try contents(of: old, runColumns: runColumns)
        try old.close()
        #expect(runColumns.count == 56)
        #expect(before.filter { $0.hasPrefix("runs: ") }.count == 4)
        #expect(before.filter { $0.hasPrefix("epochs: ") }.count == 8)
        #expect(before.contains { $0.hasPrefix("index runs_status on runs: CREATE INDEX") })

        let store = try RunDatabase.open(path: path)
        #expect(try store.appliedMigrations() == currentMigrations)
        // v5 adds two indexes (uuid, job_key); everything that was there stays as it was.
        let after = try contents(of: store.pool, runColumns: runColumns)
        let added = after.filter { $0.hasPrefix("index runs_uuid ") || $0.hasPrefix("index runs_job_key ") }
        #expect(added.count == 2)
        #expect(after.filter { !added.contains($0) } == before)
        let (userVersion, resolved, violations, leftovers) = try store.pool.read { db in
            (
                try Int.fetchOne(db, sql: "PRAGMA user_version"),
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM runs WHERE energy_resolution_joules IS NOT NULL
                            OR energy_resolution_seconds IS NOT NULL OR energy_resolution_source IS NOT NULL
                        """),
                try Row.fetchAll(db, sql: "PRAGMA foreign_key_check").count,
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE name LIKE '%rebuilt%'")
            )
        }
        #expect(userVersion == 7)
        #expect(resolved == 0)
        #expect(violations == 0)
        #expect(leftovers.isEmpty)
        #expect(try store.integrityCheck() == ["ok"])
        // v6's columns are NULL for every older run: no bridge, no stored verdict.
        let (runColumnCount, meterColumns, bridgedRows) = try store.pool.read { db in
            (
                try db.columns(in: "runs").count, try db.columns(in: "meter_energy").map(\.name),
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT count(*) FROM runs WHERE bridged_joules IS NOT NULL OR energy_minimum_joules IS NOT NULL
                                    OR energy_maximum_joules IS NOT NULL OR energy_resolved IS NOT NULL)
                             + (SELECT count(*) FROM meter_energy WHERE bridged_seconds IS NOT NULL OR bridged_joules IS NOT NULL)
                        """)
            )
        }
        #expect(runColumnCount == 76)
        #expect(runColumnCount == RunRecord.CodingKeys.allCases.count)
        #expect(meterColumns == ["run_id", "meter", "zone", "joules", "included_in_total", "bridged_seconds", "bridged_joules"])
        #expect(bridgedRows == 0)
        // v5 gave every older run a distinct version-4 UUID.
        let uuids = try store.runs().map(\.uuid)
        #expect(uuids.count == 4 && Set(uuids).count == 4)
        #expect(uuids.allSatisfy { UUID(uuidString: $0) != nil && $0 == $0.lowercased() && Array($0)[14] == "4" })

        // Run 5 was deleted: AUTOINCREMENT must not hand its id out again.
        #expect(try store.insertRun(makeRun(name: "after")) == 6)
        try store.pool.write { db in try db.execute(sql: "UPDATE runs SET energy_provenance = 'mixed' WHERE id = 1") }
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in try db.execute(sql: "UPDATE runs SET energy_provenance = 'guessed' WHERE id = 2") }
        }
        let counters = try store.pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, seq FROM sqlite_sequence").map { "\($0[0] as String) \($0[1] as Int)" }
        }
        #expect(counters == ["runs 6"])
        #expect(try store.run(id: 1).energyProvenance == .mixed)
        // The children's foreign keys reach the rebuilt table: deleting a run still cascades.
        #expect(try store.deleteRuns(ids: [1]) == 1)
        #expect(try store.epochs(runID: 1).isEmpty && store.meterEnergy(runID: 1).isEmpty)
        #expect(try store.epochs(runID: 2).count == 2)
    }

    @Test func schemaThreeFileWhoseRunsWereAllDeletedStillNeverReusesAnID() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("v3.sqlite")
        try makeSchemaThreeFile(path, deleting: [1, 2, 3, 4, 5])
        let store = try RunDatabase.open(path: path)
        #expect(try store.runCount() == 0)
        #expect(try store.insertRun(makeRun()) == 6)
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
