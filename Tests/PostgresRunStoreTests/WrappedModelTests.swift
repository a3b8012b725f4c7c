import Foundation
import PostgresRunStore
import RunStore
import Testing

/// Schema 7 on PostgreSQL: a wrapped program's startup, FLOPs per sample and extra facts read
/// back as from SQLite, and a database left at schema 6 gains the columns in place.
@Suite(.enabled(if: TestServer.shouldRun)) struct WrappedModelTests {
    static func finish(_ run: RunRecord) -> RunRecord {
        var run = run
        run.modelName = "mlp-256"
        run.parameterCount = 19_210
        run.flopsPerSample = 76_800
        run.flopsTotal = 76_800 * 4_311
        run.startupSeconds = 5.9
        run.startupJoules = 26.5
        run.energyJoules = 40
        run.energyProvenance = .measured
        run.extraFactsJSON = #"{"lr":0.001,"optimizer":"adamw"}"#
        return run
    }

    @Test func wrappedRunReadsBackAsFromSQLiteAndSyncs() throws {
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
            var run = RunRecord(name: "wrapped", kind: .wrap, startedAt: millisecondDate(1_750_000_000), host: "h")
            run.uuid = "00000000-0000-4000-8000-0000000000f7"
            let id = try store.insertRun(run)
            run.id = id
            try store.completeRun(Self.finish(run), status: .completed, endedAt: millisecondDate(1_750_000_009), samples: [])
            bundles.append(try store.bundle(runID: id))
        }
        #expect(bundles[1] == bundles[0])
        let stored = bundles[1].details.run
        #expect(stored.flopsPerSample == 76_800 && stored.startupSeconds == 5.9 && stored.startupJoules == 26.5)
        #expect(stored.extraFactsJSON == #"{"lr":0.001,"optimizer":"adamw"}"#)

        let other = try TestSchema()
        let target = try other.open()
        defer { try? target.close() }
        let copiedID = try target.importRun(bundles[0])
        var copied = try target.run(id: copiedID)
        copied.id = bundles[0].details.run.id
        #expect(copied == bundles[0].details.run)
    }

    @Test func extraFactsColumnRefusesAnythingButAnObject() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        defer { try? store.close() }
        let id = try store.insertRun(RunRecord(name: "facts", kind: .wrap, startedAt: millisecondDate(1_750_000_000), host: "h"))
        #expect(throws: (any Error).self) {
            try store.execute("UPDATE runs SET extra_facts_json = '[1,2]' WHERE id = \(id)")
        }
    }

    @Test func schemaSixDatabaseGainsTheModelColumnsKeepingItsRuns() throws {
        let schema = try TestSchema()
        let store = try schema.open()
        let id = try store.insertRun(RunRecord(name: "older", kind: .wrap, startedAt: millisecondDate(1_700_000_000), host: "h"))
        // What a schema-6 build left: none of v7's columns, no v7 row.
        for statement in [
            "ALTER TABLE runs DROP COLUMN startup_seconds", "ALTER TABLE runs DROP COLUMN startup_joules",
            "ALTER TABLE runs DROP COLUMN flops_per_sample", "ALTER TABLE runs DROP COLUMN extra_facts_json",
            "DELETE FROM footprint_migrations WHERE identifier = 'v7-wrapped-model'",
        ] {
            try store.execute(statement)
        }
        try store.close()
        let upgraded = try schema.open()
        defer { try? upgraded.close() }
        #expect(try upgraded.appliedMigrations() == ["v5-jobs", "v6-bridges", "v7-wrapped-model"])
        let older = try upgraded.run(id: id)
        #expect(older.name == "older" && older.flopsPerSample == nil && older.startupSeconds == nil && older.extraFactsJSON == nil)
        try upgraded.completeRun(Self.finish(older), status: .completed, endedAt: Date(), samples: [])
        let finished = try upgraded.run(id: id)
        #expect(finished.flopsPerSample == 76_800 && finished.startupJoules == 26.5)
    }
}
