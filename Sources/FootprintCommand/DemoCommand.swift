import ArgumentParser
import Footprint
import Foundation
import Learning
import Reporting
import RunStore
import Vocabulary

/// `footprint demo`: the lecture's experiments end to end, with their cost measured.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the lecture's experiments, record every run and write comparison reports to Reports/.",
        discussion: """
            Each configuration is trained three times, so every figure has a median and a 95% interval. Polynomial degrees 1–4 on the lecture's 5 points (each run repeats the fit 100,000 times so its energy can be resolved); MLPs with H = 10, 100, 1000 on the terrain profile; the 3-class classifier; three MLP widths on the handwritten digits. Each run is recorded in the database; then Reports/index.md links one comparison per experiment and a report per run. Build in release first (swift run -c release footprint demo): debug builds are far too slow.
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("Directory for the reports.", valueName: "dir"))
    var output: String = "Reports"

    @Option(help: "Seed for every run.")
    var seed: UInt64 = 42

    @Option(help: "Threads for the matrix kernel.")
    var threads: Int = 1

    @OptionGroup var store: StoreOptions
    @OptionGroup var carbon: CarbonOptions
    @OptionGroup var meters: MeterFlags

    func validate() throws {
        if threads < 1 || threads > 256 { throw ValidationError("--threads must be between 1 and 256, got \(threads).") }
    }

    func run() throws {
        let tracker = try makeTracker(store: store, carbon: carbon, meters: meters)
        StopSignal.install()
        let experiments = DemoPlan.experiments(seed: seed)
        let total = experiments.reduce(0) { $0 + $1.runs.count * $1.repeats }
        let start = Clocks.monotonicSeconds()
        var finished = 0
        var entries: [ReportIndex.Entry] = []
        var documents: [RunDocument] = []
        let runsDirectory = (output as NSString).appendingPathComponent("runs")
        printError("footprint demo: \(total) runs into \(tracker.database.path); reports in \(output)/")
        for experiment in experiments {
            let dataset = try DatasetCatalog.load(experiment.dataset)
            var ids: [Int64] = []
            for demoRun in experiment.runs {
                var configuration = demoRun.configuration
                configuration.threads = threads
                let group = RepeatedRuns.makeGroupTag()
                for trial in 1...experiment.repeats {
                    finished += 1
                    printError(String(format: "[%d/%d] %@ (%@), trial %d/%d…", finished, total, demoRun.name, experiment.dataset, trial, experiment.repeats))
                    let outcome: TrackedTraining
                    do {
                        outcome = try tracker.train(dataset, configuration: configuration, name: demoRun.name, tags: ["demo", "demo:\(experiment.slug)", group])
                    } catch let error as TrackedRunError {
                        printError("footprint: \(error)")
                        if error.status == .interrupted {
                            printError("Demo stopped; the runs finished so far are recorded. Run `footprint compare --tag demo` to compare them.")
                            throw ExitCode(StopSignal.exitStatus(for: StopSignal.receivedSignal ?? SIGINT))
                        }
                        throw ExitCode(1)
                    }
                    ids.append(outcome.runID)
                    let document = try RunDocument.load(id: outcome.runID, from: tracker.database)
                    documents.append(document)
                    printError("        " + Self.oneLine(document))
                    // One report per configuration (its first trial); the comparison has them all.
                    if trial == 1 {
                        let runPath = (runsDirectory as NSString).appendingPathComponent("run-\(outcome.runID).md")
                        _ = try RunReport.load(id: outcome.runID, from: tracker.database).write(toFile: runPath)
                    }
                }
            }
            let experimentDocuments = try RunDocument.load(ids: ids, from: tracker.database)
            let path = (output as NSString).appendingPathComponent("\(experiment.slug).md")
            let report = ComparisonReport(documents: experimentDocuments, title: experiment.title)
            if experiment.runs.count >= 2 {
                _ = try report.write(toFile: path)
                entries.append(ReportIndex.Entry(title: experiment.title, relativePath: "\(experiment.slug).md", summary: report.conclusion))
            } else if let only = ids.first {
                let repeated = RepeatedRuns(group: "", runs: experimentDocuments)
                entries.append(ReportIndex.Entry(title: experiment.title, relativePath: "runs/run-\(only).md", summary: Self.oneLine(experimentDocuments[0]) + "." + Self.repeatSentence(repeated)))
            }
        }
        let index = ReportIndex(title: "Footprint demo: the lecture's models and what they cost", provenance: Self.provenance(documents, seconds: Clocks.monotonicSeconds() - start), entries: entries)
        let indexPath = (output as NSString).appendingPathComponent("index.md")
        try index.write(toFile: indexPath)
        print("Wrote \(indexPath) (\(entries.count) comparisons, \(Set(documents.map(\.name)).count) run reports, \(documents.count) runs) in \(UnitFormat.seconds(Clocks.monotonicSeconds() - start)).")
    }

    /// "0.42 s, 1.2 GFLOP, 3.1 J estimated, 0.4 mg CO2e, accuracy 97.8%".
    static func oneLine(_ document: RunDocument) -> String {
        var parts: [String] = []
        if let wall = document.seconds["wall"] { parts.append(UnitFormat.seconds(wall)) }
        if let flops = document.flops { parts.append(UnitFormat.flops(Double(flops.total))) }
        if let energy = document.energy { parts.append("\(UnitFormat.joules(energy.joules)) \(energy.provenance)" + (energy.resolved ? "" : " (below resolution)")) }
        if let carbon = document.carbon { parts.append(UnitFormat.gramsCO2e(carbon.gramsCO2e)) }
        if let accuracy = document.metrics.accuracy { parts.append("accuracy \(UnitFormat.percent(accuracy))") }
        if let mse = document.metrics.mse { parts.append("MSE \(UnitFormat.number(mse))") }
        return parts.joined(separator: ", ")
    }

    /// " Over 3 runs: 1.2 J (1.1–1.3 J, 95%)."
    static func repeatSentence(_ repeated: RepeatedRuns) -> String {
        guard let joules = repeated.summary.joules, let low = joules.low, let high = joules.high else { return "" }
        return " Over \(repeated.summary.count) runs: \(UnitFormat.joules(joules.median)) (\(UnitFormat.joules(low))–\(UnitFormat.joules(high)), 95%)."
    }

    /// Where the numbers come from: the machine, the meters or the estimate, the grid.

    static func provenance(_ documents: [RunDocument], seconds: Double) -> String {
        guard let first = documents.first else { return "" }
        let record = first
        var lines: [String] = []
        lines.append("Recorded on **\(record.host)**, \(documents.count) runs in \(UnitFormat.seconds(seconds)); FLOPs counted as PyTorch's FlopCounterMode does (2 per multiply-add) plus documented elementwise work.")
        if let energy = first.energy {
            var text = energy.provenance == .measured
                ? "Energy is **measured**: \(ProvenanceText.describe(energy))."
                : "Energy is **\(energy.provenance.rawValue)**, because no energy counter that counts is readable on this machine (`footprint meters` says why): \(energy.estimateModel ?? "see each run's report")."
            if documents.contains(where: { $0.energy?.provenance != energy.provenance }) { text += " Some runs differ; see each run's report." }
            lines.append(text)
        }
        if let carbon = first.carbon { lines.append("Carbon: \(ProvenanceText.grid(carbon)).") }
        return lines.joined(separator: "\n\n")
    }
}
