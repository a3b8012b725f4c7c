import ArgumentParser
import Footprint
import Foundation
import Reporting
import RunStore
import RunModel

/// `footprint show RUN`: everything recorded about one run.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show everything recorded about one run, or a whole job with --job.",
        discussion: """
            With --job KEY: the job's totals (energy, CO2e, FLOPs, time), a row per node (its host meters counted once, by local rank 0, plus the GPUs other ranks measured as their own) and a row per rank with the energy its CPU time attributes to it. --json prints {job, runs, nodes, ranks, energy, carbon, flops, seconds, notes}.
            """)

    @Argument(help: ArgumentHelp("The run id (see footprint runs).", valueName: "run"))
    var runID: Int64?

    @Option(
        name: .customLong("job"),
        help: ArgumentHelp(
            "Show the whole job with this key instead of one run; a bare Slurm job id (4242) shows its only step or lists its steps.",
            valueName: "key"))
    var jobKey: String?

    @Flag(help: "Print the run as one JSON object.")
    var json = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        switch (runID, jobKey) {
        case (nil, nil): throw ValidationError("Give a run id (footprint runs lists them) or --job KEY.")
        case (.some, .some): throw ValidationError("Give a run id or --job KEY, not both.")
        default: break
        }
    }

    func run() throws {
        let database = try store.open()
        if let jobKey {
            try showJob(jobKey, from: database)
            return
        }
        let document = try RunDocument.load(id: runID ?? 0, from: database)
        if json {
            print(try document.jsonText())
            return
        }
        // Every recorded string may come from a wrapped program: escaped and cut, whole in --json.
        func shown(_ text: String) -> String { DisplayText.terminal(text, width: DisplayText.lineWidth) }
        print("Run \(document.id): \(shown(document.name)) [\(shown("\(document.kind)")), \(shown("\(document.status)"))]")
        print("Started \(document.startedAt) on \(shown(document.host))" + (document.endedAt.map { ", ended \($0)" } ?? ""))
        if let line = document.commandLine { print("Command: \(shown(line))") }
        if let model = document.model.name {
            print(
                "Model: \(shown(model)), \(UnitFormat.integer(document.model.parameters ?? 0)) parameters"
                    + (document.model.flopsPerSample.map { ", \(UnitFormat.integer($0)) training FLOPs per sample" } ?? "")
                    + (document.dataset.map { ", dataset \(shown($0))" } ?? ""))
        }
        if let facts = RunText.extraFacts(document) { print(facts) }
        if let error = document.error { print("Error: \(shown(error))") }
        print()
        print(RunText.results(document))
        if !document.history.isEmpty {
            print()
            let rows = document.history.map { (epoch: RunDocument.Epoch) -> [String] in
                let quality: String =
                    epoch.accuracy.map(UnitFormat.percent) ?? epoch.r2.map { "R² " + UnitFormat.fixed($0, decimals: 3) } ?? ""
                let trainLoss: String = epoch.trainLoss.map(UnitFormat.number) ?? ""
                let validationLoss: String = epoch.validationLoss.map(UnitFormat.number) ?? ""
                let seconds: String = epoch.seconds.map(UnitFormat.seconds) ?? ""
                let joules: String = epoch.joules.map(UnitFormat.joules) ?? ""
                return ["\(epoch.epoch)", trainLoss, validationLoss, quality, seconds, joules]
            }
            print(
                Table(
                    headers: ["Epoch", "Train loss", "Val loss", "Quality", "Time", "Energy"], rows: rows, rightAligned: [0, 1, 2, 3, 4, 5]
                ).text())
        }
    }
}

extension ShowCommand {
    /// `show --job KEY`: the job's totals, nodes and ranks.
    private func showJob(_ key: String, from database: any RunStorage) throws {
        let document: JobDocument
        do {
            document = try JobDocument.load(job: key, from: database)
        } catch let error as JobDocumentError {
            // Job keys are as recorded: escaped, like every other line show prints.
            printError("footprint: " + DisplayText.escapedForTerminal("\(error)"))
            throw ExitCode(1)
        }
        if json {
            print(try document.jsonText())
            return
        }
        print(document.summaryLines().map { DisplayText.terminal($0, width: DisplayText.lineWidth) }.joined(separator: "\n"))
        print()
        print(document.nodeTable().text())
        print()
        if document.nodes.contains(where: { !$0.meters.isEmpty }) {
            print(document.deviceTable().text())
            print()
        }
        print(document.rankTable().text())
        for note in document.notes { print("Note: " + DisplayText.terminal(note, width: DisplayText.lineWidth)) }
    }
}

extension RunDocument {
    static func shortDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: date)
    }
}
