import Statistics

extension ComparisonReport {
    /// The comparison's figures for `--json`.
    public var summary: ComparisonSummary {
        ComparisonSummary(
            points: points.map { point in
                ComparisonSummary.Point(
                    label: point.label, model: point.modelName, runs: point.runIDs, parameters: point.parameters, flops: point.flops,
                    joules: point.joules.map { ComparisonSummary.Joules(median: $0.median, low: $0.low, high: $0.high) }
                        ?? (point.hasEnergy ? ComparisonSummary.Joules(median: 0, low: nil, high: nil) : nil),
                    startupJoules: point.startupJoules.map { ComparisonSummary.Joules(median: $0.median, low: $0.low, high: $0.high) }
                        ?? (point.hasStartup ? ComparisonSummary.Joules(median: 0, low: nil, high: nil) : nil),
                    resolved: point.resolved,
                    quality: metric.flatMap { metric in point.quality.map { ComparisonSummary.Quality(metric: metric.name, median: $0) } })
            },
            pareto: points.map(\.label).filter(paretoFront.contains),
            ratios: ratios.map {
                ComparisonSummary.Ratio(
                    of: $0.of, to: $0.to, median: $0.interval.median, low: $0.interval.low, high: $0.interval.high,
                    distinguishable: $0.interval.distinguishable)
            },
            scaling: scaling.map {
                ComparisonSummary.Scaling(exponent: $0.exponent, low: $0.exponentLow, high: $0.exponentHigh, points: $0.pointCount)
            },
            conclusion: Markdown.plainText(conclusion))
    }
}
