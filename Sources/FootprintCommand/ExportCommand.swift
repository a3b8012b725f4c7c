import ArgumentParser
import Footprint
import Foundation
import RunStore
import RunModel

/// `footprint export`: runs as CSV with CodeCarbon's `emissions.csv` columns, or JSON.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export runs as CSV (CodeCarbon emissions.csv columns, same units) or JSON.",
        discussion: """
            CSV columns that CodeCarbon also writes keep its names and units: duration in s, emissions in kg, emissions_rate in kg/s, powers in W, energies in kWh, ram_total_size in GB. Footprint's own columns follow (provenance, FLOPs, quality, ranges).
            """)

    @Option(help: ArgumentHelp("csv or json.", valueName: "format"))
    var format: String = "csv"

    @Argument(help: "Run ids (default: every run).")
    var runs: [Int64] = []

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !["csv", "json"].contains(format) { throw ValidationError("--format must be csv or json, got '\(format)'.") }
    }

    func run() throws {
        let database = try store.open()
        let ids = runs.isEmpty ? try database.runs().compactMap(\.id).reversed() : runs
        if format == "json" {
            let documents = try RunDocument.load(ids: ids, from: database)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(documents), as: UTF8.self))
            return
        }
        print(CodeCarbonCSV.header.joined(separator: ","))
        for row in try CodeCarbonCSV.rows(for: ids, from: database) {
            print(row.map(CodeCarbonCSV.escape).joined(separator: ","))
        }
    }
}
