import Foundation
import PostgresRunStore
import RunStore
import Testing

/// Schema 6 on PostgreSQL: a run whose counters lost intervals keeps what was bridged, as in
/// SQLite, and a database left at schema 5 gains the columns in place.
@Suite(.enabled(if: TestServer.shouldRun)) struct BridgedEnergyTests {
    /// A run 23 % bridged across a reset of package-0.
    static func finish(_ run: RunRecord) -> RunRecord {
        var run = run
        run.energyJoules = 100
        run.energyProvenance = .measured
        run.wallSeconds = 3
        run.bridgedJoules = 23
        run.energyMinimumJoules = 77
        run.energyMaximumJoules = 131.5
        run.energyResolved = false
        return run
    }

    static func meters(runID: Int64) -> [MeterEnergyRecord] {
        [
            MeterEnergyRecord(runID: runID, meter: "rapl", zone: "dram-0", joules: 15, includedInTotal: true),
            MeterEnergyRecord(
                runID: runID, meter: "rapl", zone: "package-0", joules: 85, includedInTotal: true, bridgedSeconds: 0.75,
                bridgedJoules: 23),
        ]
    }

    @Test func bridgedRunReadsBackAsFromSQLiteAndSyncsBothWays() throws {
        let schema = try TestSchema()
        let directory = try TemporaryDirectory()
        let sqlite = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let postgres = try schema.open()
        defer {
            try? sqlite.close()
            try? postgres.close()
        }
        var bundles: [RunBundle] = []
        for store in [sqlite, postgres] as [any RunStorage] {
            var run = RunRecord(name: "bridged", kind: .train, startedAt: millisecondDate(1_750_000_000), host: "h")
            run.uuid = "00000000-0000-4000-8000-0000000000b6"
            let id = try store.insertRun(run)
            run.id = id
            try store.completeRun(
                Self.finish(run), status: .completed, endedAt: millisecondDate(1_750_000_003), samples: [],
                meterEnergy: Self.meters(runID: id))
            bundles.append(try store.bundle(runID: id))
        }
        #expect(bundles[1] == bundles[0])
        let stored = bundles[1].details.run
        #expect(stored.bridgedJoules == 23 && stored.energyMinimumJoules == 77 && stored.energyMaximumJoules == 131.5)
        #expect(stored.energyResolved == false)
        #expect(bundles[1].details.meterEnergy.map(\.bridgedSeconds) == [nil, 0.75])

        // A copy from the file to the server (what `footprint sync` does) keeps every bridge.
        let other = try TestSchema()
        let target = try other.open()
        defer { try? target.close() }
        let copiedID = try target.importRun(bundles[0])
        var copied = try target.bundle(runID: copiedID)
        #expect(copied.details.meterEnergy == Self.meters(runID: copiedID))
        copied.details.run.id = bundles[0].details.run.id
        #expect(copied.details.run == bundles[0].details.run)
    }

    @Test func schemaFiveDatabaseGainsTheBridgeColumnsKeepingItsRuns() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        let id = try store.insertRun(RunRecord(name: "older", kind: .api, startedAt: millisecondDate(1_700_000_000), host: "h"))
        // What a schema-5 build left: none of v6's columns, no v6 row.
        for statement in [
            "ALTER TABLE runs DROP COLUMN bridged_joules", "ALTER TABLE runs DROP COLUMN energy_minimum_joules",
            "ALTER TABLE runs DROP COLUMN energy_maximum_joules", "ALTER TABLE runs DROP COLUMN energy_resolved",
            "ALTER TABLE meter_energy DROP COLUMN bridged_seconds", "ALTER TABLE meter_energy DROP COLUMN bridged_joules",
            "DELETE FROM footprint_migrations WHERE identifier = 'v6-bridges'",
        ] {
            try store.execute(statement)
        }
        try store.close()
        let upgraded = try schema.open()
        defer { try? upgraded.close() }
        #expect(try upgraded.appliedMigrations() == ["v5-jobs", "v6-bridges", "v7-wrapped-model"])
        let older = try upgraded.run(id: id)
        #expect(older.name == "older" && older.bridgedJoules == nil && older.energyResolved == nil)
        let finished = Self.finish(older)
        try upgraded.completeRun(finished, status: .completed, endedAt: Date(), samples: [], meterEnergy: Self.meters(runID: id))
        #expect(try upgraded.run(id: id).energyResolved == false)
        #expect(try upgraded.meterEnergy(runID: id) == Self.meters(runID: id))
    }
}
