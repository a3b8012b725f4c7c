/// The names a run's final metrics are stored under in `metrics.name`: one typed value per
/// metric, so no module compares metric names as string literals.
public enum MetricName: Hashable, Sendable {
    case trainLoss
    case validationLoss
    case accuracy
    case mse
    case r2
    /// θ_index of a fitted polynomial, stored as `coefficient_<index>`.
    case coefficient(Int)

    /// The quality metrics, in the order reports prefer them.
    public static let quality: [MetricName] = [.accuracy, .mse, .r2]

    private static let coefficientPrefix = "coefficient_"

    /// The stored text: `trainLoss`, `accuracy`, `coefficient_3` ….
    public var rawValue: String {
        switch self {
        case .trainLoss: "trainLoss"
        case .validationLoss: "validationLoss"
        case .accuracy: "accuracy"
        case .mse: "mse"
        case .r2: "r2"
        case .coefficient(let index): Self.coefficientPrefix + String(index)
        }
    }

    /// Parses stored text; nil for a name Footprint does not write.
    public init?(rawValue: String) {
        switch rawValue {
        case "trainLoss": self = .trainLoss
        case "validationLoss": self = .validationLoss
        case "accuracy": self = .accuracy
        case "mse": self = .mse
        case "r2": self = .r2
        default:
            guard rawValue.hasPrefix(Self.coefficientPrefix),
                let index = Int(rawValue.dropFirst(Self.coefficientPrefix.count)), index >= 0
            else { return nil }
            self = .coefficient(index)
        }
    }
}
