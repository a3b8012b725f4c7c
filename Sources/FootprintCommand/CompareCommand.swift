import ArgumentParser
import Footprint
import Foundation
import Reporting
import RunStore

/// `footprint compare [RUN…]`: several runs side by side, with their Pareto front, the
/// scaling of energy with parameters, charts and a conclusion.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare runs: a table, the Pareto front of quality against energy, the energy scaling exponent, charts.",
        discussion: """
            Name run ids, or select runs with --model, --tag and --last (default: the last 10 completed runs). Writes Markdown (default Reports/compare.md) and SVG scatter plots beside it, then prints the file and a one-paragraph conclusion.
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

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("The Markdown file to write (default: Reports/compare.md).", valueName: "file"))
    var output: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if !runIDs.isEmpty, model != nil || tag != nil || last != nil {
            throw ValidationError("Name run ids or select runs with --model, --tag and --last, not both.")
        }
        if let last, last < 2 { throw ValidationError("--last must be at least 2 to compare anything, got \(last).") }
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
                selection = "the last \(limit) runs (\(filters.joined(separator: ", "))) in \(database.path)"
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
        let path = output ?? ComparisonReport.defaultPath
        try writeReport(to: path, report.write(toFile:))
        print(Markdown.plainText(report.conclusion))
    }
}
