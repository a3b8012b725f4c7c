import Foundation
import GRDB
import Testing
import Vocabulary
@testable import RunStore

@Suite("Round trips and schema")
struct RoundTripTests {
    @Test func everyRunColumnRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var run = makeFullRun()
        let id = try store.insertRun(run)
        run.id = id
        // insertRun forces running/no end; updateRun stores everything as given.
        try store.updateRun(run)
        let stored = try store.run(id: id)
        #expect(stored == run)
        #expect(stored.unsignedSeed == UInt64.max - 6)
    }

    @Test func everyEnergyProvenanceAndTheResolutionRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        #expect(EnergyProvenance.allCases.map(\.rawValue) == ["measured", "estimated", "mixed"])
        for provenance in EnergyProvenance.allCases {
            var run = makeFullRun()
            run.energyProvenance = provenance
            run.id = try store.insertRun(run)
            try store.updateRun(run)
            let stored = try store.run(id: try #require(run.id))
            #expect(stored == run, "\(provenance)")
            #expect(stored.energyProvenance == provenance)
            #expect(stored.energyResolutionJoules == 0.000_061_035_156_25)
            #expect(stored.energyResolutionSeconds == 0.001)
            #expect(stored.energyResolutionSource == "rapl: 2^-14 J steps, ~1 ms updates")
            let column = try store.pool.read { db in
                try String.fetchOne(db, sql: "SELECT energy_provenance FROM runs WHERE id = ?", arguments: [run.id])
            }
            #expect(column == provenance.rawValue)
        }
        // A run without a meter keeps the three resolution columns NULL rather than zero.
        let bare = try store.run(id: try store.insertRun(makeRun()))
        #expect(bare.energyResolutionJoules == nil && bare.energyResolutionSeconds == nil && bare.energyResolutionSource == nil)
    }

    @Test func everyChildColumnRoundTrips() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        var epoch = EpochRecord(runID: id, epochIndex: 4)
        epoch.trainLoss = 0.5; epoch.validationLoss = 0.6; epoch.accuracy = 0.93; epoch.mse = 0.01; epoch.r2 = 0.97
        epoch.flopsForward = 11; epoch.flopsBackward = 22; epoch.flopsOptimizer = 33; epoch.flopsEvaluation = 44
        epoch.secondsData = 0.1; epoch.secondsForward = 0.2; epoch.secondsBackward = 0.3
        epoch.secondsOptimizer = 0.4; epoch.secondsEvaluation = 0.5; epoch.wallSeconds = 1.5
        epoch.elapsedSeconds = 7.25; epoch.samples = 1_000; epoch.energyJoules = 55.5
        try store.appendEpoch(epoch)
        let layer = LayerCostRecord(
            runID: id, layerIndex: 1, name: "dense1", outputShape: "27x27x96",
            parameters: 34_944, forwardFlops: 105_705_600, backwardFlops: 211_411_200)
        try store.insertLayerCosts([layer])
        let metrics = [
            MetricRecord(runID: id, name: "accuracy", value: 0.91, split: .train),
            MetricRecord(runID: id, name: "mse", value: 0.02, split: .validation),
        ]
        try store.insertMetrics(metrics)
        let sample = PowerSampleRecord(runID: id, elapsedSeconds: 0.1, meter: "rapl", zone: "dram", watts: 3.25)
        try store.insertPowerSamples([sample])
        let meters = [
            MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: 100.5, includedInTotal: true),
            MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0/core", joules: 60, includedInTotal: false),
        ]
        try store.insertMeterEnergy(meters)
        #expect(try store.epochs(runID: id) == [epoch])
        #expect(try store.layerCosts(runID: id) == [layer])
        #expect(try store.metrics(runID: id) == metrics)
        #expect(try store.powerSamples(runID: id) == [sample])
        #expect(try store.meterEnergy(runID: id) == meters)
    }

    /// The record types and the migrations must name the same columns, or SQL users and the
    /// README see columns the code never fills (or inserts fail at run time).
    @Test func recordColumnsAreExactlyTheTableColumns() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let expected: [(String, [String])] = [
            ("runs", RunRecord.CodingKeys.allCases.map(\.rawValue)),
            ("epochs", EpochRecord.CodingKeys.allCases.map(\.rawValue)),
            ("layer_costs", LayerCostRecord.CodingKeys.allCases.map(\.rawValue)),
            ("metrics", MetricRecord.CodingKeys.allCases.map(\.rawValue)),
            ("power_samples", PowerSampleRecord.CodingKeys.allCases.map(\.rawValue)),
            ("meter_energy", MeterEnergyRecord.CodingKeys.allCases.map(\.rawValue)),
        ]
        for (table, columns) in expected {
            let actual = try store.pool.read { db in try db.columns(in: table).map(\.name) }
            #expect(Set(actual) == Set(columns), "table \(table)")
            #expect(actual.count == columns.count, "table \(table)")
        }
        #expect(RunRecord.CodingKeys.allCases.count == 76)  // 68 in schema 5, four bridge columns in 6, four wrapped-model columns in 7
    }

    @Test func datesAreSortableUTCTextWithMillisecondsAndTagsAreJSON() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun(startedAt: Date(timeIntervalSince1970: 1_700_000_000.25), tags: ["a", "b c"]))
        let row = try store.pool.read { db in
            try Row.fetchOne(db, sql: "SELECT started_at, tags FROM runs WHERE id = ?", arguments: [id])
        }
        let stored = try #require(row)
        #expect(stored["started_at"] as String? == "2023-11-14T22:13:20.250Z")
        #expect(stored["tags"] as String? == #"["a","b c"]"#)
    }

    @Test(arguments: [0.0, 0.001, 1_700_000_000.999, -1.5, 4_102_444_800.5])
    func timestampTextRoundTripsToTheMillisecond(seconds: Double) throws {
        let date = Date(timeIntervalSince1970: seconds)
        let text = Timestamp.text(date)
        #expect(text.count == 24)
        let parsed = try #require(Timestamp.date(text))
        #expect(abs(parsed.timeIntervalSince1970 - seconds) < 0.0005)
    }

    @Test func timestampAcceptsSQLiteDatetimeTextAndRejectsGarbage() {
        #expect(Timestamp.date("2024-02-29 23:59:58")?.timeIntervalSince1970 == 1_709_251_198)
        #expect(Timestamp.date("2024-02-29T23:59:58.5Z")?.timeIntervalSince1970 == 1_709_251_198.5)
        #expect(Timestamp.date("yesterday") == nil)
        #expect(Timestamp.date("2024-02-29T23:59:58Zjunk") == nil)
    }

    @Test func newDatabaseIsMarkedAsFootprintAtTheCurrentSchema() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let (applicationID, userVersion, journalMode, foreignKeys) = try store.pool.read { db in
            (
                try Int32.fetchOne(db, sql: "PRAGMA application_id"), try Int.fetchOne(db, sql: "PRAGMA user_version"),
                try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Bool.fetchOne(db, sql: "PRAGMA foreign_keys")
            )
        }
        #expect(applicationID == 0x4650_5254)
        #expect(userVersion == 7)
        #expect(journalMode == "wal")
        #expect(foreignKeys == true)
        #expect(try store.appliedMigrations() == currentMigrations)
        #expect(try store.integrityCheck() == ["ok"])
    }

    @Test func schemaSQLListsEveryTableAndTheExampleQueryRuns() throws {
        let sql = try RunDatabase.schemaSQL()
        for table in ["runs", "epochs", "layer_costs", "metrics", "power_samples", "meter_energy"] {
            // v4 rebuilt `runs` under another name and renamed it, so SQLite quotes that name.
            #expect(sql.contains("CREATE TABLE \(table) (") || sql.contains("CREATE TABLE \"\(table)\" ("), "\(table)")
        }
        #expect(sql.contains("grams_co2e REAL"))
        #expect(sql.contains("energy_resolution_joules REAL"))
        #expect(sql.contains("CHECK (energy_provenance IN ('measured', 'estimated', 'mixed'))"))
        #expect(!sql.contains("grdb_migrations"))
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        var run = makeFullRun()
        run.id = try store.insertRun(run)
        try store.updateRun(run)
        try store.insertMetrics([MetricRecord(runID: try #require(run.id), name: "mse", value: 0.25, split: .validation)])
        let rows = try store.pool.read { db in try Row.fetchAll(db, sql: RunDatabase.exampleQuery) }
        #expect(rows.count == 1)
        #expect(rows.first?["validation_mse"] as Double? == 0.25)
        #expect(rows.first?["energy_provenance"] as String? == "estimated")
    }
}
