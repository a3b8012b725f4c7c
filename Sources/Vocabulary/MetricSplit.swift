/// Which data a quality metric was computed on: stored in `metrics.split` as `train` or
/// `validation`, and named `training` or `validation` in a run document's `evaluatedOn`.
public enum MetricSplit: String, Codable, Sendable, CaseIterable {
    /// The data the model was fitted on.
    case train
    /// Held-out data.
    case validation

    /// The word a run document's `evaluatedOn` and a report's metric name use.
    public var evaluatedOn: String {
        switch self {
        case .train: "training"
        case .validation: "validation"
        }
    }

    /// Parses a run document's `evaluatedOn`; nil for any other word.
    public init?(evaluatedOn: String) {
        switch evaluatedOn {
        case "training": self = .train
        case "validation": self = .validation
        default: return nil
        }
    }
}
