import RunModel
import Foundation
import Statistics

/// A comparison of several runs that claims only what the data supports.
///
/// Runs of one configuration (same model, dataset and hyper-parameters) are one point with a
/// median and 95% interval, whether they came from `--repeat` or separate commands. Energy is
/// compared only where it is above the meters' resolution; every energy ratio carries its
/// interval, and two configurations whose interval contains 1 are called indistinguishable.
/// The Pareto front of quality against energy is built from medians, a point dominating
/// another only where the energy difference is resolved; the scaling exponent of energy with
/// parameters is fitted, with its interval, only from three or more distinct sizes.
///
/// Wrapped programs are configurations too: runs with the same command line and the same model
/// facts (name and parameters, from the program's `model` event) are one point. Ratios, the
/// front and the fit use the training's energy: a program that sent `train_begin` has its
/// startup (imports, data loading) left out of them and shown in a column of its own, so that
/// importing a framework is not charged to the model.
///
/// ```swift
/// let documents = try RunDocument.load(ids: ids, from: database)
/// let report = ComparisonReport(documents: documents, title: "MLPs on the terrain profile")
/// print(report.conclusion)
/// try report.write(toFile: "Reports/compare.md")
/// ```
public struct ComparisonReport: Sendable {
    /// Fewest distinct sizes with resolved energy a scaling exponent is fitted from: two
    /// points always fit exactly and say nothing about the exponent's uncertainty.
    public static let minimumScalingSizes = 3

    /// Heading of the document.
    public var title: String
    /// The runs, sorted by parameters (unknown last), then id.
    public let runs: [RunDocument]
    /// The configurations, sorted by parameters (unknown last), then FLOPs, then first run id.
    public let points: [ComparisonPoint]
    /// The quality metric every run recorded, or nil when they share none or their quality
    /// cannot be compared (different datasets).
    public let metric: QualityMetric?
    /// Why quality is not compared, when ``metric`` is nil: a clause such as "the runs use
    /// different datasets (seed-regression, terrain)".
    public let qualityGap: String?
    /// Labels of the points on the Pareto front of quality against energy.
    public let paretoFront: Set<String>
    /// The energy ratio of every pair of resolved points, larger over smaller, in point order.
    public let ratios: [EnergyRatio]
    /// Energy ∝ parameters^α with α's interval, or nil with fewer than
    /// ``minimumScalingSizes`` distinct parameter counts with resolved energy.
    public let scaling: PowerLawFit?
    /// The label of each run's point (`H = 100`), by run id.
    public let labels: [Int64: String]

    /// True when any run recorded a startup (a wrapped program's time before `train_begin`):
    /// then energies are the training's, the startup has its own column, and the text says so.
    public var hasStartup: Bool { runs.contains { $0.energy?.startupJoules != nil } }

    /// Builds the comparison.
    ///
    /// - Parameters:
    ///   - documents: The runs, in any order; a run given twice is kept once.
    ///   - title: The heading (default "Comparison of runs").
    public init(documents: [RunDocument], title: String = "Comparison of runs") {
        self.title = title
        var seen: Set<Int64> = []
        runs = documents.filter { seen.insert($0.id).inserted }.sorted { a, b in
            Self.precedes(a.model.parameters, a.flops?.total, a.id, b.model.parameters, b.flops?.total, b.id)
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
        let groups = ConfigurationKey.groups(of: runs)
        let metric = metric
        points = zip(RunLabel.labels(for: groups), groups).map { ComparisonPoint(label: $0, runs: $1, metric: metric) }.sorted { a, b in
            Self.precedes(a.parameters, a.flops, a.runIDs.first ?? 0, b.parameters, b.flops, b.runIDs.first ?? 0)
        }
        labels = Dictionary(uniqueKeysWithValues: points.flatMap { point in point.runIDs.map { ($0, point.label) } })
        let comparable = points.filter { $0.comparableJoules != nil }
        // Every pair while a reader can take them in; past that, each configuration against the
        // next smaller one (200 configurations would otherwise make 19,900 rows).
        if comparable.count <= Self.allPairsLimit {
            ratios = comparable.indices.flatMap { larger in
                comparable.indices.prefix(larger).compactMap { smaller in Self.ratio(of: comparable[larger], to: comparable[smaller]) }
            }
        } else {
            ratios = comparable.indices.dropFirst().compactMap { Self.ratio(of: comparable[$0], to: comparable[$0 - 1]) }
        }
        if let metric {
            let candidates = comparable.filter { $0.quality != nil }
            let front = ParetoFront.indices(
                costSamples: candidates.map(\.joulesSamples), qualities: candidates.map { $0.quality ?? .nan },
                higherIsBetter: metric.higherIsBetter)
            paretoFront = Set(front.map { candidates[$0].label })
        } else {
            paretoFront = []
        }
        let sized = comparable.filter { ($0.parameters ?? 0) > 0 }
        if Set(sized.compactMap(\.parameters)).count >= Self.minimumScalingSizes {
            scaling = PowerLawFit.fit(x: sized.map { Double($0.parameters ?? 0) }, y: sized.map { $0.joules?.median ?? 0 })
        } else {
            scaling = nil
        }
    }

    /// The energy ratio of two points, with the FLOP ratio beside it.
    static func ratio(of larger: ComparisonPoint, to smaller: ComparisonPoint) -> EnergyRatio? {
        guard let interval = RepeatStatistics.ratio(larger.joulesSamples, to: smaller.joulesSamples) else { return nil }
        var flopRatio: Double?
        if let top = larger.flops, let bottom = smaller.flops, bottom > 0 { flopRatio = Double(top) / Double(bottom) }
        return EnergyRatio(
            of: larger.label, to: smaller.label, ofRuns: larger.joulesSamples.count, toRuns: smaller.joulesSamples.count,
            interval: interval, flopRatio: flopRatio)
    }

    /// Most configurations whose every pair gets a ratio; above it, neighbours by size only.
    static let allPairsLimit = 12

    /// The ratio between two points' energies, `a` over `b`, if both are resolved (computed when
    /// the pair is not among ``ratios``).
    func ratio(between a: ComparisonPoint, and b: ComparisonPoint) -> EnergyRatio? {
        if let listed = ratios.first(where: { ($0.of == a.label && $0.to == b.label) || ($0.of == b.label && $0.to == a.label) }) {
            return listed
        }
        guard a.comparableJoules != nil, b.comparableJoules != nil else { return nil }
        return Self.ratio(of: a, to: b)
    }

    /// Order by parameters (unknown last), then FLOPs (unknown last), then id.
    private static func precedes(_ p: Int64?, _ f: Int64?, _ id: Int64, _ q: Int64?, _ g: Int64?, _ other: Int64) -> Bool {
        switch (p, q) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: break
        }
        switch (f, g) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return id < other
        }
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
        var sections = [headerSection(), "## Conclusion\n\n" + conclusion, pointsSection()]
        if let ratios = ratiosSection() { sections.append(ratios) }
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

    /// The label of a run's point (`H = 100`).
    func label(_ run: RunDocument) -> String { labels[run.id] ?? run.name }

    private func headerSection() -> String {
        let ids = runs.map { "\($0.id)" }.joined(separator: ", ")
        let configurations = points.count == 1 ? "1 configuration" : "\(points.count) configurations"
        var facts = "\(runs.count) run\(runs.count == 1 ? "" : "s") in \(configurations) compared (ids \(ids))."
        if points.count < runs.count {
            // Wrapped programs have no hyper-parameters Footprint knows: their command line stands in.
            let sameness =
                runs.contains { $0.kind == "wrap" }
                ? "same model, dataset and hyper-parameters, or for a wrapped program the same command line and model"
                : "same model, dataset and hyper-parameters"
            facts += " Runs of one configuration (\(sameness)) are one point: their median, with a 95% interval."
        }
        if let metric {
            facts +=
                " Quality is the \(metric.name) (\(metric.higherIsBetter ? "higher" : "lower") is better), the metric all of them recorded."
        } else {
            facts += " Quality is not compared: \(Markdown.escape(qualityGap ?? "no shared metric"))."
        }
        return "# \(Markdown.escape(title))\n\n" + facts
    }
}
