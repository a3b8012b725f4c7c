import Vocabulary

extension MetricRecord {
    /// The `metrics` rows of a run's final quality figures and fitted coefficients: the one place
    /// they meet their rows, each metric under its stored name and on the split it was computed on
    /// (``QualityMetrics/split(of:)``).
    ///
    /// - Parameters:
    ///   - runID: The run.
    ///   - quality: Its final figures.
    ///   - coefficients: θ₀…θ_d of a fitted polynomial, stored on the training split.
    /// - Returns: One row per measured value, in the order of ``QualityMetrics/names``.
    public static func rows(runID: Int64, quality: QualityMetrics, coefficients: [Double] = []) -> [MetricRecord] {
        var rows = QualityMetrics.names.compactMap { name in
            quality[name].map { MetricRecord(runID: runID, metric: name, value: $0, split: quality.split(of: name)) }
        }
        for (index, value) in coefficients.enumerated() {
            rows.append(MetricRecord(runID: runID, metric: .coefficient(index), value: value, split: .train))
        }
        return rows
    }
}

extension QualityMetrics {
    /// A run's final figures from its stored rows; the split is the one its first accuracy,
    /// MSE or R² row was computed on (nil when it has none). Coefficients are not quality
    /// figures and are left out.
    ///
    /// - Parameter rows: The run's `metrics` rows.
    public init(rows: [MetricRecord]) {
        self.init()
        for name in Self.names {
            self[name] = rows.first { $0.metric == name }?.value
        }
        split = rows.first { $0.metric.map(MetricName.quality.contains) ?? false }?.split
    }
}
