import ArgumentParser
import Footprint
import Foundation
import Reporting
import RunStore
import RunModel

/// `footprint compare [RUN…]`: several runs side by side — runs of one configuration as one
/// point with its interval — with their Pareto front, energy ratios, the scaling of energy
/// with parameters, charts and a conclusion that claims only what the repeats support.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Compare runs: a table, energy ratios with intervals, the Pareto front of quality against energy, the energy scaling exponent, charts.",
        discussion: """
            Name run ids, or select runs with --model, --tag and --last (default: the last 10 completed runs). Runs of one configuration (same model, dataset and hyper-parameters, from --repeat or separate commands; for wrapped programs the same command line and model event) are one point with a 95% interval; energies below their meters' resolution are listed but never compared. A wrapped program's startup (before its train_begin event) is left out of the ratios, the front and the fit, and shown in its own column. Writes Markdown (default Reports/compare.md) and SVG scatter plots beside it, then prints the file and a one-paragraph conclusion; --json prints the figures instead.
            """)

    @Argument(help: ArgumentHelp("Run ids to compare (default: select with the options below).", valueName: "run"))
    var runIDs: [Int64] = []

    @Option(help: ArgumentHelp("Only completed runs of this model (mlp, mlp:1-100-1, poly).", valueName: "name"))
    var model: String?

    @Option(help: "Only completed runs with this tag.")
    var tag: String?

    @Option(help: ArgumentHelp("The N most recent matching completed runs (default 10).", valueName: "N"))
    var last: Int?

    @Option(help: ArgumentHelp("Heading of the comparison.", valueName: "text"))
    var title: String?

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("The Markdown file to write (default: Reports/compare.md).", valueName: "file"))
    var output: String?

    @Flag(help: "Print the comparison as one JSON object (points, pareto, ratios, scaling, conclusion) and write no files.")
    var json = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !runIDs.isEmpty, model != nil || tag != nil || last != nil {
            throw ValidationError("Name run ids or select runs with --model, --tag and --last, not both.")
        }
        if let last, last < 2 { throw ValidationError("--last must be at least 2 to compare anything, got \(last).") }
        if json, output != nil {
            throw ValidationError("--json prints the comparison and writes no file; drop -o or --json.")
        }
        if let output, output.isEmpty || output.hasSuffix("/") {
            throw ValidationError("-o needs a file name such as Reports/compare.md, got '\(output)'.")
        }
    }

    func run() throws {
        let database = try store.open()
        let documents: [RunDocument]
        let selection: String
        do {
            if runIDs.isEmpty {
                let limit = last ?? 10
                let records = try database.runs(limit: limit, model: model, status: .completed, tag: tag)
                documents = try RunDocument.load(ids: records.compactMap(\.id), from: database)
                var filters = ["completed"]
                if let model { filters.append("model \(model)") }
                if let tag { filters.append("tag \(tag)") }
                selection = "the last \(limit) runs (\(filters.joined(separator: ", "))) in \(database.locationDescription)"
            } else {
                documents = try RunDocument.load(ids: runIDs, from: database)
                selection = "the runs named"
            }
        } catch let error as RunStoreError {
            printError("footprint: \(error)")
            throw ExitCode(1)
        }
        let distinct = Set(documents.map(\.id)).count
        guard distinct >= 2 else {
            printError("footprint: \(ReportingError.tooFewRuns(found: distinct, selection: selection))")
            throw ExitCode(1)
        }
        let report = ComparisonReport(documents: documents, title: title ?? "Comparison of runs")
        if json {
            print(try report.summary.jsonText())
            return
        }
        let path = output ?? ComparisonReport.defaultPath
        try writeReport(to: path, report.write(toFile:))
        // The conclusion names runs by label (a model or run name): escaped for the terminal.
        print(DisplayText.escapedForTerminal(Markdown.plainText(report.conclusion)))
    }
}
