/// Which data a final metric was computed on, stored in `metrics.split`.
public enum MetricSplit: String, Codable, Sendable, CaseIterable {
    /// The data the model was fitted on.
    case train
    /// Held-out data.
    case validation
}
