import Foundation
import RunStore
import Testing

/// `show` of a run whose package counter lost intervals: 34.5 J of its 150 J (23 %) bridged.
@Suite(.timeLimit(.minutes(2))) struct BridgedShowTests {
    static let note =
        "bridged 0.750 s of package-0 (34.5 J, 23.0 % of the energy): the true energy lies between 115.5 J and 190 J; "
        + "more than 5 % is bridged, so the figure is not resolved"

    private func recordBridgedRun(in directory: URL) throws -> String {
        let path = directory.appendingPathComponent("runs.sqlite").path
        let database = try RunDatabase.open(path: path)
        defer { try? database.close() }
        var run = RunRecord(name: "flaky", kind: .api, startedAt: Date(timeIntervalSince1970: 1_736_935_200), host: "box")
        let id = try database.insertRun(run)
        run.id = id
        run.wallSeconds = 3
        run.energyJoules = 150
        run.energyProvenance = .measured
        run.bridgedJoules = 34.5
        run.energyMinimumJoules = 115.5
        run.energyMaximumJoules = 190
        run.energyResolved = false
        run.energyNotesJSON = String(decoding: try JSONEncoder().encode([Self.note]), as: UTF8.self)
        try database.completeRun(
            run, status: .completed, endedAt: Date(timeIntervalSince1970: 1_736_935_203), samples: [],
            meterEnergy: [
                MeterEnergyRecord(
                    runID: id, meter: "rapl", zone: "package-0", joules: 120, includedInTotal: true, bridgedSeconds: 0.75,
                    bridgedJoules: 34.5),
                MeterEnergyRecord(runID: id, meter: "rapl", zone: "dram-0", joules: 30, includedInTotal: true),
            ])
        return path
    }

    @Test func showSaysNotResolvedWithTheWidenedIntervalAndTheBridgeOnce() throws {
        let binary = try FootprintBinary.locate()
        let directory = try FootprintBinary.scratchDirectory()
        let path = try recordBridgedRun(in: directory)
        let outcome = try binary.run(["show", "1", "--db", path], in: directory)
        #expect(outcome.status == 0, "\(outcome.standardError)")
        let text = outcome.standardOutput
        #expect(text.contains("150 J measured, not resolved: 23.0% of it bridged across intervals a counter lost [116 J – 190 J]"))
        #expect(!text.contains("below resolution"))
        #expect(text.components(separatedBy: "bridged 0.750 s of package-0").count == 2)
        let json = try binary.run(["show", "1", "--json", "--db", path], in: directory)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.standardOutput.utf8)) as? [String: Any])
        let energy = try #require(object["energy"] as? [String: Any])
        #expect(energy["resolved"] as? Bool == false)
        #expect(energy["bridgedJoules"] as? Double == 34.5)
        #expect(energy["low"] as? Double == 115.5 && energy["high"] as? Double == 190)
    }
}
