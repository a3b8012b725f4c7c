import RunModel
import Foundation
import RunStore

/// The reports of a demo: one run report per configuration (its first trial), a comparison per
/// experiment of two configurations or more, and `index.md` linking them under a paragraph
/// on where the numbers come from.
///
///     let results = try DemoRunner(tracker: tracker).run()
///     let written = try DemoReports(directory: "Reports").write(results, from: tracker.database)
///     print(written.summary(seconds: results.seconds))
public struct DemoReports: Sendable {
    /// What was written, for the closing line.
    public struct Written: Sendable, Equatable {
        /// `Reports/index.md`.
        public var indexPath: String
        /// Entries of the index.
        public var entries: [ReportIndex.Entry]
        /// Run reports written under `runs/`, in order.
        public var runReportPaths: [String]
        /// Distinct configuration names among the runs.
        public var configurationCount: Int
        /// Runs the reports cover.
        public var runCount: Int

        /// `Wrote Reports/index.md (3 comparisons, 11 run reports, 33 runs) in 2 min 5 s.`
        ///
        /// - Parameter seconds: How long the whole demo took.
        public func summary(seconds: Double) -> String {
            "Wrote \(indexPath) (\(entries.count) comparisons, \(configurationCount) run reports, \(runCount) runs) in \(UnitFormat.seconds(seconds))."
        }
    }

    /// Heading of the index.
    public static let indexTitle = "Footprint demo: the lecture's models and what they cost"

    /// The reports directory (`Reports`).
    public var directory: String

    /// Creates a writer for `directory`.
    ///
    /// - Parameter directory: Where `index.md`, the comparisons and `runs/` go.
    public init(directory: String) {
        self.directory = directory
    }

    /// One experiment's runs, as the demo recorded them.
    public struct Experiment: Sendable {
        /// File name stem of its comparison (`terrain-width`).
        public var slug: String
        public var title: String
        /// Each configuration's trials, in the plan's order; the first trial gets a run report.
        public var configurationRunIDs: [[Int64]]
        /// Every trial's document.
        public var documents: [RunDocument]

        public init(slug: String, title: String, configurationRunIDs: [[Int64]], documents: [RunDocument]) {
            self.slug = slug
            self.title = title
            self.configurationRunIDs = configurationRunIDs
            self.documents = documents
        }
    }

    /// Heading of the index's section on the work each comparison got.
    public static let workTitle = "Work chosen on this machine"

    /// Writes every report of a demo.
    ///
    /// - Parameters:
    ///   - experiments: What the demo recorded, experiment by experiment.
    ///   - seconds: How long the runs took.
    ///   - work: Markdown on the work each experiment got and why (the calibration's), or empty.
    ///   - database: The store the runs are in (run reports read their power samples there).
    /// - Returns: What was written.
    /// - Throws: ``ReportingError/cannotWrite(path:reason:)``; `RunStoreError` when a run
    ///   cannot be read.
    @discardableResult
    public func write(_ experiments: [Experiment], seconds: Double, work: String = "", from database: any RunStorage) throws -> Written {
        let runsDirectory = (directory as NSString).appendingPathComponent("runs")
        var entries: [ReportIndex.Entry] = []
        var runReportPaths: [String] = []
        for experiment in experiments {
            // One report per configuration (its first trial); the comparison has them all.
            for runIDs in experiment.configurationRunIDs {
                guard let first = runIDs.first else { continue }
                let path = (runsDirectory as NSString).appendingPathComponent("run-\(first).md")
                _ = try RunReport.load(id: first, from: database).write(toFile: path)
                runReportPaths.append(path)
            }
            if experiment.configurationRunIDs.count >= 2 {
                let report = ComparisonReport(documents: experiment.documents, title: experiment.title)
                _ = try report.write(toFile: (directory as NSString).appendingPathComponent("\(experiment.slug).md"))
                entries.append(
                    ReportIndex.Entry(title: experiment.title, relativePath: "\(experiment.slug).md", summary: report.conclusion))
            } else if let only = experiment.configurationRunIDs.first?.first, let document = experiment.documents.first {
                let repeated = RepeatedRuns(group: "", runs: experiment.documents)
                entries.append(
                    ReportIndex.Entry(
                        title: experiment.title, relativePath: "runs/run-\(only).md",
                        summary: document.oneLineSummary + "." + Self.repeatSentence(repeated)))
            }
        }
        // Benchmarks/pytorch_demo.sh's report, when it ran, stays linked when the demo rewrites the
        // index (listed, not counted among the demo's comparisons).
        var indexEntries = entries
        if FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("pytorch.md")) {
            indexEntries.append(Self.pytorchEntry)
        }
        let documents = experiments.flatMap(\.documents)
        let index = ReportIndex(
            title: Self.indexTitle, provenance: Self.provenance(documents, seconds: seconds), entries: indexEntries,
            sections: [ReportIndex.Section(title: Self.workTitle, markdown: work)])
        let indexPath = (directory as NSString).appendingPathComponent("index.md")
        try index.write(toFile: indexPath)
        return Written(
            indexPath: indexPath, entries: entries, runReportPaths: runReportPaths,
            configurationCount: Set(documents.map(\.name)).count, runCount: documents.count)
    }

    /// The index's line for `pytorch.md`, the report `Benchmarks/pytorch_demo.sh` writes (it adds
    /// the same line to an index that lacks it).
    static let pytorchEntry = ReportIndex.Entry(
        title: "The terrain MLPs in PyTorch beside Footprint's trainer", relativePath: "pytorch.md",
        summary: "time, training energy (startup excluded) and FLOPs per configuration, side by side (`Benchmarks/pytorch_demo.sh`).")

    /// " Over 3 runs: 1.2 J (1.1–1.3 J, 95%)."; empty without an interval.
    static func repeatSentence(_ repeated: RepeatedRuns) -> String {
        guard let joules = repeated.summary.joules, let low = joules.low, let high = joules.high else { return "" }
        return
            " Over \(repeated.summary.count) runs: \(UnitFormat.joules(joules.median)) (\(UnitFormat.joules(low))–\(UnitFormat.joules(high)), 95%)."
    }

    /// Where the numbers come from: the machine, the meters or the estimate, the grid.
    static func provenance(_ documents: [RunDocument], seconds: Double) -> String {
        guard let first = documents.first else { return "" }
        var lines: [String] = []
        lines.append(
            "Recorded on **\(Markdown.escape(first.host))**, \(documents.count) runs in \(UnitFormat.seconds(seconds)); FLOPs counted as PyTorch's FlopCounterMode does (2 per multiply-add) plus documented elementwise work."
        )
        if let energy = first.energy {
            var text =
                energy.provenance == .measured
                ? "Energy is **measured**: \(ProvenanceText.describe(energy))."
                : "Energy is **\(energy.provenance.rawValue)**, because no energy counter that counts is readable on this machine (`footprint meters` says why): \(energy.estimateModel ?? "see each run's report")."
            if documents.contains(where: { $0.energy?.provenance != energy.provenance }) {
                text += " Some runs differ; see each run's report."
            }
            lines.append(text)
        }
        if let carbon = first.carbon { lines.append("Carbon: \(ProvenanceText.grid(carbon)).") }
        return lines.joined(separator: "\n\n")
    }
}
