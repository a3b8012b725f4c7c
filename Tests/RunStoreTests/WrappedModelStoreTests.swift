import Foundation
import GRDB
import Testing
@testable import RunStore

/// Schema 7: a wrapped program's startup, FLOPs per sample and extra facts are kept through
/// completion, a copy to another file, and the upgrade of a schema-6 file.
@Suite("Wrapped model facts in the store")
struct WrappedModelStoreTests {
    static func withModelFacts(_ run: RunRecord) -> RunRecord {
        var run = run
        run.modelName = "mlp-256"
        run.parameterCount = 19_210
        run.flopsPerSample = 76_800
        run.flopsTotal = 76_800 * 1_437 * 3
        run.startupSeconds = 5.9
        run.startupJoules = 26.5
        run.energyJoules = 40
        run.energyProvenance = .measured
        run.extraFactsJSON = #"{"lr":0.001,"optimizer":"adamw"}"#
        return run
    }

    @Test func completedRunKeepsStartupFlopsPerSampleAndExtraFacts() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun(kind: .wrap))
        try store.completeRun(Self.withModelFacts(try store.run(id: id)), status: .completed, endedAt: Date(), samples: [])
        let stored = try store.run(id: id)
        #expect(stored.startupSeconds == 5.9 && stored.startupJoules == 26.5)
        #expect(stored.flopsPerSample == 76_800 && stored.flopsTotal == 76_800 * 1_437 * 3)
        #expect(stored.extraFactsJSON == #"{"lr":0.001,"optimizer":"adamw"}"#)
        let columns = try store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT flops_per_sample, startup_seconds FROM runs WHERE id = ?", arguments: [id])
        }
        #expect(columns?[0] as Int64? == 76_800)
        #expect(columns?[1] as Double? == 5.9)
    }

    @Test func runWithoutModelFactsStoresNulls() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        try store.completeRun(try store.run(id: id), status: .completed, endedAt: Date(), samples: [])
        let nulls = try store.pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM runs WHERE startup_seconds IS NULL AND startup_joules IS NULL
                        AND flops_per_sample IS NULL AND extra_facts_json IS NULL
                    """)
        }
        #expect(nulls == 1)
    }

    @Test func extraFactsColumnRefusesTextThatIsNotAJSONObject() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        for text in ["[1,2]", "not json", "3"] {
            #expect(throws: DatabaseError.self) {
                try store.pool.write { db in
                    try db.execute(sql: "UPDATE runs SET extra_facts_json = ? WHERE id = ?", arguments: [text, id])
                }
            }
        }
    }

    @Test func copyToAnotherFileCarriesTheModelFacts() throws {
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("source.sqlite"))
        let target = try RunDatabase.open(path: directory.file("target.sqlite"))
        let id = try source.insertRun(makeRun(kind: .wrap))
        try source.completeRun(Self.withModelFacts(try source.run(id: id)), status: .completed, endedAt: Date(), samples: [])
        let copiedID = try target.importRun(try source.bundle(runID: id))
        var copied = try target.run(id: copiedID)
        copied.id = id
        #expect(copied == (try source.run(id: id)))
        #expect(copied.flopsPerSample == 76_800)
    }

    @Test func schemaSixFileIsUpgradedToSevenKeepingItsRuns() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("v6.sqlite")
        // What a schema-6 build left behind: a finished, bridged run.
        let queue = try DatabaseQueue(path: path)
        try RunSchema.migrator.migrate(queue, upTo: "v6-bridges")
        try queue.write { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (name, kind, status, started_at, host, uuid, energy_joules, energy_provenance,
                                      bridged_joules, energy_resolved, model_name, parameter_count)
                    VALUES ('six', 'wrap', 'completed', '2025-06-01T10:00:00.000Z', 'box',
                            '00000000-0000-4000-8000-000000000006', 12.5, 'measured', 1, 1, 'mlp', 100)
                    """)
        }
        let userVersionBefore = try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(userVersionBefore == 6)
        try queue.close()

        let store = try RunDatabase.open(path: path)
        #expect(try store.appliedMigrations() == currentMigrations)
        let userVersion = try store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") }
        #expect(userVersion == 7)
        let six = try store.run(id: 1)
        #expect(six.name == "six" && six.energyJoules == 12.5 && six.bridgedJoules == 1 && six.energyResolved == true)
        #expect(six.modelName == "mlp" && six.parameterCount == 100)
        #expect(six.startupSeconds == nil && six.startupJoules == nil && six.flopsPerSample == nil && six.extraFactsJSON == nil)
        // The upgraded file takes the new columns.
        let id = try store.insertRun(makeRun(kind: .wrap))
        try store.completeRun(Self.withModelFacts(try store.run(id: id)), status: .completed, endedAt: Date(), samples: [])
        #expect(try store.run(id: id).flopsPerSample == 76_800)
    }
}
