import Foundation
import RunModel
import RunStore
import Testing
import Vocabulary

@testable import Reporting

/// A run whose package counter lost intervals: 34.5 J of its 150 J (23 %) bridged, so the run
/// judged it not resolved, and the true energy lies between 115.5 J and 190 J.
@Suite struct BridgedEnergyReportTests {
    static let note =
        "bridged 0.750 s of package-0 (34.5 J, 23.0 % of the energy): the true energy lies between 115.5 J and 190 J; "
        + "more than 5 % is bridged, so the figure is not resolved"

    /// The golden synthetic run, stored again with its bridges as `RunSession` stores them.
    private func loadBridgedRun(resolved: Bool? = false, bridgedJoules: Double = 34.5) throws -> (RunDocument, RunReport, URL) {
        let directory = try SyntheticRun.temporaryDirectory()
        let database = try RunDatabase.open(path: directory.appendingPathComponent("runs.sqlite").path)
        defer { try? database.close() }
        let id = try SyntheticRun.record(in: database)
        var run = try database.run(id: id)
        run.bridgedJoules = bridgedJoules
        run.energyMinimumJoules = 150 - bridgedJoules
        run.energyMaximumJoules = 190
        run.energyResolved = resolved
        run.energyNotesJSON = JSONText.encode([Self.note])
        try database.updateRun(run)
        try database.insertMeterEnergy([
            MeterEnergyRecord(
                runID: id, meter: "rapl", zone: "package-0", joules: 120, includedInTotal: true, bridgedSeconds: 0.75,
                bridgedJoules: bridgedJoules)
        ])
        return (try RunDocument.load(id: id, from: database), try RunReport.load(id: id, from: database), directory)
    }

    @Test func runTwentyThreePercentBridgedIsNotResolvedAndItsIntervalHoldsTheBounds() throws {
        let (document, _, directory) = try loadBridgedRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let energy = try #require(document.energy)
        // 150 J on a RAPL meter is well above resolution: only the stored verdict makes it unresolved.
        #expect(energy.resolution.resolves(joules: 150, seconds: 2))
        #expect(!energy.resolved)
        #expect(energy.isUnresolvedByBridges)
        #expect(abs(energy.bridgedShare - 0.23) < 1e-12)
        // The measured band alone (135–180 J) would exclude both bounds.
        #expect(try #require(energy.low) <= 115.5)
        #expect(try #require(energy.high) >= 190)
        #expect(energy.bridgedJoules == 34.5 && energy.bridgedSeconds == 0.75)
        #expect(energy.minimumJoules == 115.5 && energy.maximumJoules == 190)
        let package = try #require(energy.meters.first { $0.zone == "package-0" })
        #expect(package.bridgedSeconds == 0.75 && package.bridgedJoules == 34.5)
        #expect(energy.meters.first { $0.zone == "dram-0" }?.bridgedSeconds == nil)
    }

    @Test func jsonAddsBridgeKeysAndStatesTheBridgeOnce() throws {
        let (document, _, directory) = try loadBridgedRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = try document.jsonText()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let energy = try #require(object["energy"] as? [String: Any])
        #expect(energy["bridgedJoules"] as? Double == 34.5)
        #expect(energy["bridgedSeconds"] as? Double == 0.75)
        #expect(energy["minimumJoules"] as? Double == 115.5)
        #expect(energy["maximumJoules"] as? Double == 190)
        #expect(energy["resolved"] as? Bool == false)
        let meters = try #require(energy["meters"] as? [[String: Any]])
        #expect(meters.first { $0["zone"] as? String == "package-0" }?["bridgedSeconds"] as? Double == 0.75)
        #expect(meters.first { $0["zone"] as? String == "dram-0" }?.keys.contains("bridgedSeconds") == false)
        #expect(json.components(separatedBy: "bridged 0.750 s of package-0").count == 2)
    }

    @Test func runWithoutBridgesKeepsItsJSONKeys() throws {
        let directory = try SyntheticRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try RunDatabase.open(path: directory.appendingPathComponent("runs.sqlite").path)
        defer { try? database.close() }
        let document = try RunDocument.load(id: try SyntheticRun.record(in: database), from: database)
        let json = try document.jsonText()
        #expect(!json.contains("bridged") && !json.contains("minimumJoules") && !json.contains("maximumJoules"))
        #expect(document.energy?.resolved == true)
        #expect(document.energy?.low == 135 && document.energy?.high == 180)
    }

    @Test func storedVerdictOfResolvedDoesNotOverrideTheResolution() throws {
        // A run the store says is resolved but whose meter cannot resolve it is still noise.
        let directory = try SyntheticRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try RunDatabase.open(path: directory.appendingPathComponent("runs.sqlite").path)
        defer { try? database.close() }
        let id = try SyntheticRun.record(in: database, resolutionStepJoules: 100)
        var run = try database.run(id: id)
        run.energyResolved = true
        try database.updateRun(run)
        #expect(try RunDocument.load(id: id, from: database).energy?.resolved == false)
    }

    @Test func reportSaysNotResolvedWithTheIntervalAndListsTheBridgedZone() throws {
        let (_, report, directory) = try loadBridgedRun()
        defer { try? FileManager.default.removeItem(at: directory) }
        let markdown = report.render(chartPrefix: "run-1").markdown
        #expect(
            markdown.contains(
                "| Energy    | 150 J not resolved: 23.0% of it bridged across intervals a counter lost; the true energy lies in 116 J – 190 J; measured"
            ))
        #expect(!markdown.contains("below resolution:"))
        #expect(markdown.contains("No per-joule figures: more than 5 % of the run's energy is bridged"))
        #expect(!markdown.contains("GFLOP per joule"))
        #expect(markdown.contains("| Meter | Zone      | Energy | In total                     | Share | Bridged        |"))
        #expect(markdown.contains("| rapl  | package-0 |  120 J | yes                          | 80.0% | 750 ms, 34.5 J |"))
        // The sentence naming the bridge is the meter note, once.
        #expect(markdown.components(separatedBy: "bridged 0.750 s of package-0").count == 2)
    }

    @Test func runBridgedUnderFivePercentStaysResolvedWithAWiderInterval() throws {
        let (document, report, directory) = try loadBridgedRun(resolved: true, bridgedJoules: 3)
        defer { try? FileManager.default.removeItem(at: directory) }
        let energy = try #require(document.energy)
        #expect(energy.resolved && !energy.isUnresolvedByBridges)
        #expect(energy.low == 135 && energy.high == 190)
        let markdown = report.render(chartPrefix: "run-1").markdown
        #expect(markdown.contains("GFLOP per joule"))
        #expect(markdown.contains("range 135 J – 190 J"))
    }

    @Test func comparisonTreatsABridgedRunAsUnresolved() throws {
        typealias Spec = DocumentFixtures.Spec
        var bridged = try DocumentFixtures.document(Spec(id: 1, hidden: 10, parameters: 31, joules: 40, provenance: "measured", mse: 0.01))
        bridged.energy?.bridgedJoules = 9.2
        bridged.energy?.resolved = false
        let others = try [
            DocumentFixtures.document(Spec(id: 2, hidden: 100, parameters: 301, joules: 100, provenance: "measured", mse: 0.05)),
            DocumentFixtures.document(Spec(id: 3, hidden: 1000, parameters: 3001, joules: 3800, provenance: "measured", mse: 0.048)),
        ]
        let report = ComparisonReport(documents: [bridged] + others)
        let point = try #require(report.points.first { $0.label == "H = 10" })
        #expect(!point.resolved && point.isUnresolvedByBridges)
        #expect(point.comparableJoules == nil)
        #expect(report.ratios.allSatisfy { $0.of != "H = 10" && $0.to != "H = 10" })
        #expect(!report.paretoFront.contains("H = 10"))
        #expect(
            report.conclusion.contains(
                "H = 10 is not resolved (more than 5 % of the energy bridged across intervals a counter lost) and not compared"))
        #expect(!report.conclusion.contains("below the meters' resolution"))
        let markdown = report.render(chartPrefix: "x").markdown
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| H = 10 ") })
        #expect(row.contains("not resolved (bridged) (40.0 J), measured"))
        #expect(markdown.contains("Not resolved, more than 5 % of the energy bridged across intervals a counter lost: run 1."))
        #expect(report.summary.points.first { $0.label == "H = 10" }?.resolved == false)
    }
}
