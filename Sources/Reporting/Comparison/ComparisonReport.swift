import Footprint
import Foundation

/// A comparison of several runs: one row each (sorted by parameters, then id), the Pareto
/// front of quality against energy, the scaling exponent of energy with parameters, charts,
/// and a plain-language conclusion that states where its energies come from.
///
/// ```swift
/// let documents = try RunDocument.load(ids: ids, from: database)
/// let report = ComparisonReport(documents: documents, title: "MLPs on the terrain profile")
/// print(report.conclusion)
/// try report.write(toFile: "Reports/compare.md")
/// ```
public struct ComparisonReport: Sendable {
    /// Heading of the document.
    public var title: String
    /// The runs, sorted by parameters (unknown last), then id.
    public let runs: [RunDocument]
    /// The quality metric every run recorded, or nil when they share none or their quality
    /// cannot be compared (different datasets).
    public let metric: QualityMetric?
    /// Why quality is not compared, when ``metric`` is nil: a clause such as "the runs use
    /// different datasets (seed-regression, terrain)".
    public let qualityGap: String?
    /// Ids of the runs on the Pareto front of quality against energy.
    public let paretoFront: Set<Int64>
    /// Energy ∝ parameters^α, or nil with fewer than 2 distinct parameter counts with energy.
    public let scaling: PowerLawFit?
    /// Short label of each run (`H = 100`), by id.
    public let labels: [Int64: String]

    /// Builds the comparison.
    ///
    /// - Parameters:
    ///   - documents: The runs, in any order; a run given twice is kept once.
    ///   - title: The heading (default "Comparison of runs").
    public init(documents: [RunDocument], title: String = "Comparison of runs") {
        self.title = title
        var seen: Set<Int64> = []
        runs = documents.filter { seen.insert($0.id).inserted }.sorted { a, b in
            switch (a.model.parameters, b.model.parameters) {
            case let (x?, y?) where x != y: x < y
            case (.some, nil): true
            case (nil, .some): false
            default: a.id < b.id
            }
        }
        // An MSE on one dataset says nothing about an MSE on another.
        let datasets = Array(Set(runs.map { $0.dataset ?? "unknown" })).sorted()
        if datasets.count > 1 {
            metric = nil
            qualityGap = "the runs use different datasets (\(datasets.joined(separator: ", "))), so their quality cannot be compared"
        } else {
            metric = QualityMetric.shared(by: runs)
            qualityGap = metric == nil ? "no quality metric was recorded by all of the runs" : nil
        }
        labels = RunLabel.labels(for: runs)
        let measured = runs.filter { ($0.energy?.joules ?? 0) > 0 }
        if let metric {
            let costs = measured.map { $0.energy?.joules ?? .nan }
            let qualities = measured.map { metric.value(of: $0) ?? .nan }
            let indices = ParetoFront.indices(costs: costs, qualities: qualities, higherIsBetter: metric.higherIsBetter)
            paretoFront = Set(indices.map { measured[$0].id })
        } else {
            paretoFront = []
        }
        scaling = PowerLawFit.fit(
            x: measured.map { Double($0.model.parameters ?? 0) }, y: measured.map { $0.energy?.joules ?? 0 })
    }

    /// The default file of a comparison: `Reports/compare.md`.
    public static let defaultPath = "Reports/compare.md"

    /// Renders the Markdown and its two charts.
    ///
    /// - Parameter chartPrefix: Start of the chart file names (`compare` gives
    ///   `compare-energy.svg` and `compare-quality.svg`).
    /// - Returns: The Markdown and the charts it links.
    public func render(chartPrefix: String) -> ReportBundle {
        let energyChart = ReportChart(fileName: "\(chartPrefix)-energy.svg", title: "Energy against parameters", svg: energyScatter().svg())
        let qualityChart = metric.map {
            ReportChart(fileName: "\(chartPrefix)-quality.svg", title: "\($0.name) against CO2e", svg: qualityScatter(metric: $0).svg())
        }
        var sections = [headerSection(), "## Conclusion\n\n" + conclusion, runsSection()]
        sections.append(scalingSection(chart: energyChart))
        if let qualityChart { sections.append("## Quality against CO2e\n\n" + qualityChart.markdownImage + qualityChartNote()) }
        sections.append(provenanceSection())
        return ReportBundle(markdown: sections.joined(separator: "\n\n") + "\n", charts: [energyChart] + (qualityChart.map { [$0] } ?? []))
    }

    /// Renders the comparison and writes it to `path` with its charts beside it.
    ///
    /// - Parameter path: The Markdown file; its directory is created when missing.
    /// - Returns: The paths written, Markdown first.
    /// - Throws: ``ReportingError/cannotWrite(path:reason:)``.
    @discardableResult
    public func write(toFile path: String) throws -> [String] {
        try render(chartPrefix: ReportBundle.chartPrefix(forMarkdownPath: path)).write(toFile: path)
    }

    /// The label of a run (`H = 100`).
    func label(_ run: RunDocument) -> String { labels[run.id] ?? run.name }

    private func headerSection() -> String {
        let ids = runs.map { "\($0.id)" }.joined(separator: ", ")
        var facts = "\(runs.count) runs compared (ids \(ids))."
        if let metric {
            facts += " Quality is the \(metric.name) (\(metric.higherIsBetter ? "higher" : "lower") is better), the metric all of them recorded."
        } else {
            facts += " Quality is not compared: \(Markdown.escape(qualityGap ?? "no shared metric"))."
        }
        return "# \(Markdown.escape(title))\n\n" + facts
    }

    private func runsSection() -> String {
        let headers = ["Run", "Name", "Model", "Parameters", "FLOPs", "Time", "Energy", "CO2e", metric.map { Markdown.escape($0.name) } ?? "Quality", "Pareto"]
        let rows = runs.map { run -> [String] in
            [
                "\(run.id)", Markdown.escape(label(run)), run.model.name.map(Markdown.code) ?? "—",
                run.model.parameters.map(UnitFormat.integer) ?? "—",
                run.flops.map { UnitFormat.flops(Double($0.total)) } ?? "—",
                run.seconds["wall"].map(UnitFormat.seconds) ?? "—",
                run.energy.map { "\(UnitFormat.joules($0.joules)) (\($0.provenance))" } ?? "not recorded",
                run.carbon.map { UnitFormat.gramsCO2e($0.gramsCO2e) } ?? "—",
                metric.flatMap { metric in metric.value(of: run).map(metric.format) } ?? "—",
                paretoFront.contains(run.id) ? "★" : "",
            ]
        }
        var lines = ["## Runs", "", MarkdownTable(headers: headers, rows: rows, rightAligned: [0, 3, 4, 5, 6, 7, 8]).rendered(), ""]
        if let metric {
            lines.append("★ marks the Pareto front: no other run used at most as much energy for at least as good a \(Markdown.escape(metric.name)).")
        } else {
            lines.append("No Pareto front: \(Markdown.escape(qualityGap ?? "no shared quality metric")).")
        }
        let unmetered = runs.filter { ($0.energy?.joules ?? 0) <= 0 }
        if !unmetered.isEmpty {
            lines.append("Runs \(unmetered.map { "\($0.id)" }.joined(separator: ", ")) have no energy and are left out of the front and the fit.")
        }
        return lines.joined(separator: "\n")
    }

    private func scalingSection(chart: ReportChart) -> String {
        var text = "## Scaling of energy with parameters\n\n"
        if let scaling {
            text += String(format: "Fitted by least squares on log–log: energy ∝ parameters^**%.2f**, R² = %.3f over %d runs.", scaling.exponent, scaling.rSquared, scaling.pointCount)
            if scaling.pointCount == 2 { text += " Two points always fit exactly: the exponent is only as good as those two runs." }
        } else {
            text += "Scaling exponent: not enough runs (a fit needs runs with energy at 2 or more distinct parameter counts)."
        }
        return text + "\n\n" + chart.markdownImage
    }

    private func qualityChartNote() -> String {
        let energyFront = paretoFront
        let carbonFront = carbonParetoFront()
        guard energyFront != carbonFront else { return "" }
        return "\n\nThe runs used different grid intensities or PUE, so the front against CO2e (drawn here) differs from the front against energy (marked in the table)."
    }

    private func provenanceSection() -> String {
        var groups: [String: [Int64]] = [:]
        var order: [String] = []
        for run in runs {
            let key = run.energy.map { ProvenanceText.describe($0) } ?? "no energy recorded"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(run.id)
        }
        var carbon: [String: [Int64]] = [:]
        var carbonOrder: [String] = []
        for run in runs {
            guard let figures = run.carbon else { continue }
            let key = ProvenanceText.grid(figures)
            if carbon[key] == nil { carbonOrder.append(key) }
            carbon[key, default: []].append(run.id)
        }
        func listing(_ ids: [Int64]) -> String { (ids.count == 1 ? "run " : "runs ") + ids.map { "\($0)" }.joined(separator: ", ") }
        var lines = ["## Provenance", "", "Energy:", ""]
        lines.append(Markdown.bullets(order.map { "\(Markdown.escape($0)): \(listing(groups[$0] ?? []))" }))
        if !carbonOrder.isEmpty {
            lines += ["", "Carbon intensity (yearly averages) and PUE:", ""]
            lines.append(Markdown.bullets(carbonOrder.map { "\(Markdown.escape($0)): \(listing(carbon[$0] ?? []))" }))
        }
        return lines.joined(separator: "\n")
    }
}
