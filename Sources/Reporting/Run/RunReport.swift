import Foundation
import RunModel
import RunStore
import Vocabulary

/// The Markdown report of one run: summary, hardware and meters, epochs, layer costs,
/// efficiency, prediction against outcome, and SVG charts of power and loss linked beside it.
///
/// Rendering is a pure function of the run's data: the report holds no current time, so the
/// same run always gives the same bytes.
///
/// ```swift
/// let report = try RunReport.load(id: 12, from: database)
/// let paths = try report.write(toFile: "Reports/run-12.md")   // also run-12-power.svg, run-12-loss.svg
/// ```
public struct RunReport: Sendable {
    /// Everything recorded about the run.
    public var document: RunDocument
    /// Its power samples, in time order.
    public var powerSamples: [PowerSampleRecord]
    /// The machine it ran on, when recorded.
    public var hardware: MachineDescription?

    /// Creates a report from a run's data.
    ///
    /// - Parameters:
    ///   - document: The run.
    ///   - powerSamples: Its power samples (empty for none).
    ///   - hardware: The machine, when known.
    public init(document: RunDocument, powerSamples: [PowerSampleRecord] = [], hardware: MachineDescription? = nil) {
        self.document = document
        self.powerSamples = powerSamples
        self.hardware = hardware
    }

    /// Reads a run, its power samples and its machine from the store.
    ///
    /// - Parameters:
    ///   - id: The run.
    ///   - database: The store.
    /// - Returns: The report, ready to render.
    /// - Throws: `RunStoreError.runNotFound` for an unknown id, and store errors.
    public static func load(id: Int64, from database: any RunStorage) throws -> RunReport {
        let (document, record) = try RunDocument.loadWithRecord(id: id, from: database)
        return RunReport(document: document, powerSamples: try database.powerSamples(runID: id), hardware: record.machine)
    }

    /// The default file of a run's report: `Reports/run-ID.md`.
    ///
    /// - Parameter id: The run.
    /// - Returns: A relative path.
    public static func defaultPath(id: Int64) -> String { "Reports/run-\(id).md" }

    /// Renders the Markdown and its charts.
    ///
    /// - Parameter chartPrefix: Start of the chart file names (`run-12` gives `run-12-power.svg`).
    /// - Returns: The Markdown and the charts it links.
    public func render(chartPrefix: String) -> ReportBundle {
        let charts = makeCharts(prefix: chartPrefix)
        let power = charts.first { $0.fileName.hasSuffix("-power.svg") }
        let loss = charts.first { $0.fileName.hasSuffix("-loss.svg") }
        var sections = [titleSection(), summarySection(), hardwareSection()]
        sections.append(powerSection(chart: power))
        if let epochs = epochSection(chart: loss) { sections.append(epochs) }
        if let layers = layerSection() { sections.append(layers) }
        sections.append(efficiencySection())
        if let prediction = predictionSection() { sections.append(prediction) }
        return ReportBundle(markdown: sections.joined(separator: "\n\n") + "\n", charts: charts)
    }

    /// Renders the report and writes it to `path` with its charts beside it.
    ///
    /// - Parameter path: The Markdown file; its directory is created when missing.
    /// - Returns: The paths written, Markdown first.
    /// - Throws: ``ReportingError/cannotWrite(path:reason:)``.
    @discardableResult
    public func write(toFile path: String) throws -> [String] {
        try render(chartPrefix: ReportBundle.chartPrefix(forMarkdownPath: path)).write(toFile: path)
    }

    private func titleSection() -> String {
        let run = document
        var title = "# Run \(run.id): \(Markdown.escape(run.name))"
        if let dataset = run.dataset, !run.name.contains(dataset) { title += " on \(Markdown.escape(dataset))" }
        var facts = ["\(run.kind) run, \(run.status)", "started \(run.startedAt) on \(Markdown.code(run.host))"]
        if let ended = run.endedAt { facts.append("ended \(ended)") }
        if let commit = run.gitCommit { facts.append("commit \(Markdown.code(String(commit.prefix(12))))") }
        if !run.tags.isEmpty { facts.append("tags " + run.tags.map(Markdown.code).joined(separator: ", ")) }
        var lines = [title, "", "*" + facts.joined(separator: "; ") + ".*"]
        if let line = run.commandLine { lines += ["", "Command: " + Markdown.code(line)] }
        if let error = run.error { lines += ["", "> **Error:** " + Markdown.escape(error)] }
        return lines.joined(separator: "\n")
    }
}
