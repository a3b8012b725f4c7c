import Footprint
import Foundation

extension ComparisonReport {
    /// Energy against parameters on log–log axes, each run labelled, with the fitted power law.
    func energyScatter() -> ScatterChart {
        let points = runs.compactMap { run -> ScatterPoint? in
            guard let parameters = run.model.parameters, let energy = run.energy else { return nil }
            return ScatterPoint(x: Double(parameters), y: energy.joules, label: label(run))
        }
        let fit = scaling.map {
            FittedLine.power(coefficient: $0.coefficient, exponent: $0.exponent, label: String(format: "fit: E ∝ P^%.2f, R² %.3f", $0.exponent, $0.rSquared))
        }
        return ScatterChart(
            title: "Energy against parameters" + energyQualifier(),
            xAxis: ChartAxis("Parameters", scale: .log10), yAxis: ChartAxis("Energy", unit: "J", scale: .log10),
            points: points, fit: fit)
    }

    /// Quality against CO2e, the Pareto front against CO2e highlighted.
    func qualityScatter(metric: QualityMetric) -> ScatterChart {
        let front = carbonParetoFront()
        // Tick labels read best in the unit of the data: mg for a small MLP, g for a real model.
        let largest = runs.compactMap { $0.carbon?.gramsCO2e }.max() ?? 1
        let (unit, factor) = largest >= 1 ? ("g", 1.0) : largest >= 1e-3 ? ("mg", 1e3) : ("µg", 1e6)
        let points = runs.compactMap { run -> ScatterPoint? in
            guard let grams = run.carbon?.gramsCO2e, let quality = metric.value(of: run) else { return nil }
            return ScatterPoint(x: grams * factor, y: quality, label: label(run), isHighlighted: front.contains(run.id))
        }
        let xs = points.map(\.x).filter { $0 > 0 }
        let ys = points.map(\.y).filter { $0 > 0 }
        let xScale: AxisScale = Self.spansDecade(xs) && xs.count == points.count ? .log10 : .linear
        // An error such as MSE often spans decades; accuracy and R² read better on a linear axis.
        let yScale: AxisScale = !metric.higherIsBetter && Self.spansDecade(ys) && ys.count == points.count ? .log10 : .linear
        let better = metric.higherIsBetter ? "↑ better" : "↓ better"
        return ScatterChart(
            title: "\(metric.name.prefix(1).uppercased() + metric.name.dropFirst()) against CO2e" + energyQualifier(),
            xAxis: ChartAxis("CO2e", unit: unit, scale: xScale, includesZero: xScale == .linear),
            yAxis: ChartAxis("\(metric.name) (\(better))", unit: nil, scale: yScale),
            points: points)
    }

    /// Ids on the Pareto front of quality against CO2e.
    func carbonParetoFront() -> Set<Int64> {
        guard let metric else { return [] }
        let candidates = runs.filter { ($0.carbon?.gramsCO2e ?? 0) > 0 && metric.value(of: $0) != nil }
        let indices = ParetoFront.indices(
            costs: candidates.map { $0.carbon?.gramsCO2e ?? .nan }, qualities: candidates.map { metric.value(of: $0) ?? .nan },
            higherIsBetter: metric.higherIsBetter)
        return Set(indices.map { candidates[$0].id })
    }

    /// ` (estimated energy)` when every run's energy is estimated, ` (measured energy)` when
    /// every one is measured, ` (measured and estimated energy)` otherwise.
    func energyQualifier() -> String {
        let kinds = Set(runs.compactMap { $0.energy?.provenance })
        if kinds == ["estimated"] { return " (estimated energy)" }
        if kinds == ["measured"] { return " (measured energy)" }
        return kinds.isEmpty ? "" : " (measured and estimated energy)"
    }

    static func spansDecade(_ values: [Double]) -> Bool {
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return high >= 10 * low
    }
}
