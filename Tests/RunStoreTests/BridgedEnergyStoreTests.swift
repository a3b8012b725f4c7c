import Foundation
import GRDB
import Testing
@testable import RunStore

/// A run whose counters lost intervals keeps what was bridged (schema 6) through completion,
/// reading and a copy to another store.
@Suite("Bridged energy in the store")
struct BridgedEnergyStoreTests {
    /// A run 23 % bridged: package-0 lost 0.03 s to a reset, dram lost nothing.
    static func bridgedRun(_ run: RunRecord) -> RunRecord {
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

    static func bridgedMeters(runID: Int64) -> [MeterEnergyRecord] {
        [
            MeterEnergyRecord(runID: runID, meter: "rapl", zone: "dram-0", joules: 15, includedInTotal: true),
            MeterEnergyRecord(
                runID: runID, meter: "rapl", zone: "package-0", joules: 85, includedInTotal: true, bridgedSeconds: 0.75,
                bridgedJoules: 23),
        ]
    }

    @Test func completedRunKeepsItsBridgesVerdictAndPerZoneBridges() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        let finished = Self.bridgedRun(try store.run(id: id))
        try store.completeRun(finished, status: .completed, endedAt: Date(), samples: [], meterEnergy: Self.bridgedMeters(runID: id))
        let stored = try store.run(id: id)
        #expect(stored.bridgedJoules == 23)
        #expect(stored.energyMinimumJoules == 77 && stored.energyMaximumJoules == 131.5)
        #expect(stored.energyResolved == false)
        #expect(try store.meterEnergy(runID: id) == Self.bridgedMeters(runID: id))
        let columns = try store.pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT energy_resolved, bridged_joules FROM runs WHERE id = ?", arguments: [id]
            ).map { [$0[0] as Int64?, ($0[1] as Double?).map { Int64($0) }] }
        }
        #expect(columns == [0, 23])
    }

    @Test func runWithoutBridgesStoresNullsNotZeros() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        var finished = try store.run(id: id)
        finished.energyJoules = 10
        finished.energyProvenance = .measured
        finished.energyResolved = true
        try store.completeRun(
            finished, status: .completed, endedAt: Date(), samples: [],
            meterEnergy: [MeterEnergyRecord(runID: id, meter: "rapl", zone: "package-0", joules: 10, includedInTotal: true)])
        let nulls = try store.pool.read { db in
            try Int.fetchOne(
                db,
                sql: """
                    SELECT (SELECT count(*) FROM runs WHERE bridged_joules IS NULL AND energy_minimum_joules IS NULL
                                AND energy_maximum_joules IS NULL AND energy_resolved = 1)
                         + (SELECT count(*) FROM meter_energy WHERE bridged_seconds IS NULL AND bridged_joules IS NULL)
                    """)
        }
        #expect(nulls == 2)
    }

    @Test func copyToAnotherFileCarriesTheBridges() throws {
        let directory = try TemporaryDirectory()
        let source = try RunDatabase.open(path: directory.file("source.sqlite"))
        let target = try RunDatabase.open(path: directory.file("target.sqlite"))
        try target.insertRun(makeRun(name: "already here"))
        let id = try source.insertRun(makeRun())
        try source.completeRun(
            Self.bridgedRun(try source.run(id: id)), status: .completed, endedAt: Date(), samples: [],
            meterEnergy: Self.bridgedMeters(runID: id))
        let copiedID = try target.importRun(try source.bundle(runID: id))
        #expect(copiedID != id)
        var copied = try target.run(id: copiedID)
        copied.id = id
        #expect(copied == (try source.run(id: id)))
        #expect(try target.meterEnergy(runID: copiedID) == Self.bridgedMeters(runID: copiedID))
    }

    @Test func energyResolvedColumnRefusesAnythingButZeroOrOne() throws {
        let directory = try TemporaryDirectory()
        let store = try RunDatabase.open(path: directory.file("runs.sqlite"))
        let id = try store.insertRun(makeRun())
        #expect(throws: DatabaseError.self) {
            try store.pool.write { db in try db.execute(sql: "UPDATE runs SET energy_resolved = 2 WHERE id = ?", arguments: [id]) }
        }
    }
}
