import RunModel
import Foundation
import Statistics

extension ComparisonReport {
    /// Median energy against parameters on log–log axes, one point per resolved configuration
    /// with its 95% repeat interval as an error bar, and the fitted power law.
    func energyScatter() -> ScatterChart {
        let points = self.points.compactMap { point -> ScatterPoint? in
            guard let parameters = point.parameters, let joules = point.comparableJoules else { return nil }
            return ScatterPoint(x: Double(parameters), y: joules.median, label: point.label, yLow: joules.low, yHigh: joules.high)
        }
        let fit = scaling.map { scaling in
            let interval =
                scaling.exponentLow.flatMap { low in
                    scaling.exponentHigh.map { " (95% \(UnitFormat.fixed(low, decimals: 2)) to \(UnitFormat.fixed($0, decimals: 2)))" }
                } ?? ""
            return FittedLine.power(
                coefficient: scaling.coefficient, exponent: scaling.exponent,
                label:
                    "fit: E ∝ P^\(UnitFormat.fixed(scaling.exponent, decimals: 2))\(interval), R² \(UnitFormat.fixed(scaling.rSquared, decimals: 3))"
            )
        }
        return ScatterChart(
            title: "Energy against parameters" + energyQualifier(),
            xAxis: ChartAxis("Parameters", scale: .log10),
            yAxis: ChartAxis(hasStartup ? "Training energy (median)" : "Energy (median)", unit: "J", scale: .log10),
            points: points, pointsName: "configurations", fit: fit)
    }

    /// Median quality against median CO2e, the Pareto front against CO2e highlighted.
    func qualityScatter(metric: QualityMetric) -> ScatterChart {
        let front = carbonParetoFront()
        let drawn = self.points.filter { $0.resolved && $0.gramsCO2e != nil && $0.quality != nil }
        // Tick labels read best in the unit of the data: mg for a small MLP, g for a real model.
        let largest = drawn.compactMap { $0.gramsCO2e?.median }.max() ?? 1
        let (unit, factor) = largest >= 1 ? ("g", 1.0) : largest >= 1e-3 ? ("mg", 1e3) : ("µg", 1e6)
        let points = drawn.compactMap { point -> ScatterPoint? in
            guard let grams = point.gramsCO2e?.median, let quality = point.quality else { return nil }
            return ScatterPoint(x: grams * factor, y: quality, label: point.label, isHighlighted: front.contains(point.label))
        }
        let xs = points.map(\.x).filter { $0 > 0 }
        let ys = points.map(\.y).filter { $0 > 0 }
        let xScale: AxisScale = Self.spansDecade(xs) && xs.count == points.count ? .log10 : .linear
        // An error such as MSE often spans decades; accuracy and R² read better on a linear axis.
        let yScale: AxisScale = !metric.higherIsBetter && Self.spansDecade(ys) && ys.count == points.count ? .log10 : .linear
        let better = metric.higherIsBetter ? "↑ better" : "↓ better"
        return ScatterChart(
            title: "\(metric.name.prefix(1).uppercased() + metric.name.dropFirst()) against CO2e" + energyQualifier(),
            xAxis: ChartAxis("CO2e (median)", unit: unit, scale: xScale, includesZero: xScale == .linear),
            yAxis: ChartAxis("\(metric.name) (\(better))", unit: nil, scale: yScale),
            points: points, pointsName: "configurations")
    }

    /// Labels on the Pareto front of quality against CO2e, with the same dominance rule as
    /// against energy (see ``ParetoFront/dominates(quality:over:higherIsBetter:costRatio:)``).
    func carbonParetoFront() -> Set<String> {
        guard let metric else { return [] }
        let candidates = points.filter { $0.resolved && $0.quality != nil && !$0.gramsSamples.isEmpty }
        let indices = ParetoFront.indices(
            costSamples: candidates.map(\.gramsSamples), qualities: candidates.map { $0.quality ?? .nan },
            higherIsBetter: metric.higherIsBetter)
        return Set(indices.map { candidates[$0].label })
    }

    /// ` (estimated energy)` when every run's energy is estimated, ` (measured energy)` when
    /// every one is measured, ` (partly estimated energy)` when every one is mixed, and
    /// ` (measured and estimated energy)` otherwise.
    func energyQualifier() -> String {
        let kinds = Set(runs.compactMap { $0.energy?.provenance })
        if kinds == [.estimated] { return " (estimated energy)" }
        if kinds == [.measured] { return " (measured energy)" }
        if kinds == [.mixed] { return " (partly estimated energy)" }
        return kinds.isEmpty ? "" : " (measured and estimated energy)"
    }

    static func spansDecade(_ values: [Double]) -> Bool {
        guard let low = values.min(), let high = values.max(), low > 0 else { return false }
        return high >= 10 * low
    }
}
