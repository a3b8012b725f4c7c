import ArgumentParser
import Foundation
import Reporting
import RunModel
import RunStore

/// `footprint report RUN`: one run's Markdown report with its power and loss charts.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a Markdown report of one run, with SVG charts of power and loss beside it, or of a whole job (--job).",
        discussion: """
            The report holds a summary (model, dataset, quality, time, FLOPs, energy with its provenance, CO2e with its range and everyday equivalents), the hardware and meters, one row per epoch, the cost of each layer, efficiency figures, and the prediction made during the run beside the outcome. Charts are written next to the Markdown file and linked relatively.
            """)

    @Argument(help: ArgumentHelp("The run id (see footprint runs).", valueName: "run"))
    var runID: Int64?

    @Option(
        name: .customLong("job"),
        help: ArgumentHelp("Report the whole job with this key (default file: Reports/job-KEY.md) instead of one run.", valueName: "key"))
    var jobKey: String?

    @Option(
        name: [.short, .customLong("output")],
        help: ArgumentHelp("The Markdown file to write (default: Reports/run-ID.md).", valueName: "file"))
    var output: String?

    @OptionGroup var store: StoreOptions

    func validate() throws {
        switch (runID, jobKey) {
        case (nil, nil): throw ValidationError("Give a run id (footprint runs lists them) or --job KEY.")
        case (.some, .some): throw ValidationError("Give a run id or --job KEY, not both.")
        default: break
        }
        if let output, output.isEmpty || output.hasSuffix("/") {
            let example = runID.map { "Reports/run-\($0).md" } ?? JobReport.defaultPath(job: jobKey ?? "")
            throw ValidationError("-o needs a file name such as \(example), got '\(output)'.")
        }
    }

    func run() throws {
        let database = try store.open()
        if let jobKey {
            do {
                let report = try JobReport.load(job: jobKey, from: database)
                try writeReport(to: output ?? JobReport.defaultPath(job: jobKey), report.write(toFile:))
            } catch let error as JobDocumentError {
                printError("footprint: \(error)")
                throw ExitCode(1)
            }
            return
        }
        let runID = runID ?? 0
        let report: RunReport
        do {
            report = try RunReport.load(id: runID, from: database)
        } catch let error as RunStoreError {
            printError("footprint: \(error)")
            throw ExitCode(1)
        }
        let path = output ?? RunReport.defaultPath(id: runID)
        try writeReport(to: path, report.write(toFile:))
    }
}
