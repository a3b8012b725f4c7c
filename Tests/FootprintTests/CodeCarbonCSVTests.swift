import Foundation
import RunStore
import Testing
@testable import Footprint
@testable import RunModel

/// The CodeCarbon export keeps CodeCarbon's meaning: `emissions` is operational carbon only.
@Suite struct CodeCarbonCSVTests {
    /// A finished run of 100 s and 0.1 kWh whose stored carbon is 25 g operational plus 5 g
    /// embodied (30 g in all, range 20–45 g with the embodied share in both bounds).
    private func makeRecord(embodiedGrams: Double?) -> RunRecord {
        var record = RunRecord(name: "csv", kind: .train, startedAt: Date(timeIntervalSince1970: 1_750_000_000), host: "box")
        record.id = 7
        record.status = .completed
        record.wallSeconds = 100
        record.energyJoules = 360_000
        record.energyProvenance = .measured
        let embodied = embodiedGrams ?? 0
        record.gramsCO2e = 25 + embodied
        record.gramsCO2eLow = 15 + embodied
        record.gramsCO2eHigh = 40 + embodied
        record.embodiedGrams = embodiedGrams
        record.intensityGramsPerKilowattHour = 250
        return record
    }

    private func cells(_ record: RunRecord) throws -> (String) throws -> Double {
        let document = RunDocument(run: record, status: record.status, epochs: [], metrics: [], layers: [], meters: [])
        let row = CodeCarbonCSV.row(record: record, document: document)
        #expect(row.count == CodeCarbonCSV.header.count)
        return { name in
            let index = try #require(CodeCarbonCSV.header.firstIndex(of: name), "no column \(name)")
            return try #require(Double(row[index]), "\(name) = '\(row[index])'")
        }
    }

    @Test func emissionsAreOperationalAndEmbodiedHasItsOwnColumn() throws {
        let cell = try cells(makeRecord(embodiedGrams: 5))
        #expect(try cell("emissions").isApproximatelyEqual(to: 0.025))  // kg, embodied left out
        #expect(try cell("emissions_rate").isApproximatelyEqual(to: 0.000_25))  // kg/s over 100 s
        #expect(try cell("emissions_low").isApproximatelyEqual(to: 0.015))
        #expect(try cell("emissions_high").isApproximatelyEqual(to: 0.040))
        #expect(try cell("embodied_emissions").isApproximatelyEqual(to: 0.005))
        #expect(try (cell("emissions") + cell("embodied_emissions")).isApproximatelyEqual(to: 0.030))  // the stored total
        #expect(try cell("energy_consumed").isApproximatelyEqual(to: 0.1))  // kWh
    }

    @Test func runWithoutEmbodiedCarbonExportsItsWholeFigure() throws {
        let cell = try cells(makeRecord(embodiedGrams: nil))
        #expect(try cell("emissions").isApproximatelyEqual(to: 0.025))
        #expect(try cell("emissions_low").isApproximatelyEqual(to: 0.015))
        #expect(try cell("emissions_high").isApproximatelyEqual(to: 0.040))
    }

    @Test func runWithoutCarbonLeavesTheEmissionsCellsEmpty() {
        var record = makeRecord(embodiedGrams: 5)
        record.gramsCO2e = nil
        record.gramsCO2eLow = nil
        record.gramsCO2eHigh = nil
        record.embodiedGrams = nil
        let document = RunDocument(run: record, status: record.status, epochs: [], metrics: [], layers: [], meters: [])
        let row = CodeCarbonCSV.row(record: record, document: document)
        for name in ["emissions", "emissions_rate", "emissions_low", "emissions_high", "embodied_emissions"] {
            #expect(CodeCarbonCSV.header.firstIndex(of: name).map { row[$0] } == "", "\(name)")
        }
    }
}

extension Double {
    /// Equal within a relative 1e-9: the export prints ten significant digits.
    fileprivate func isApproximatelyEqual(to other: Double) -> Bool {
        abs(self - other) <= 1e-9 * Swift.max(abs(self), abs(other))
    }
}
