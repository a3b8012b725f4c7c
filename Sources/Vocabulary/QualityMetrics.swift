/// How good a model is: its losses, accuracy, MSE and R², each under its ``MetricName``, and the
/// data accuracy, MSE and R² were computed on.
///
/// The one shape of these figures from the trainer to the report: an epoch's report, the
/// tracker's epoch input, the stored rows and a run document's `metrics` and `history` carry it.
/// Encoded with each metric under its stored name (`trainLoss`, `accuracy`, …) and the split as
/// `evaluatedOn` (`training` or `validation`), as run documents have always spelled them.
public struct QualityMetrics: Sendable, Equatable, Codable {
    /// The values, by name; a metric not measured is absent.
    public private(set) var values: [MetricName: Double]
    /// The data accuracy, MSE and R² were computed on; nil when unknown. The training loss is
    /// always on the training data, the validation loss always on held-out data.
    public var split: MetricSplit?

    /// Creates the figures; every value is optional.
    ///
    /// - Parameters:
    ///   - trainLoss: Mean training loss (MSE in the target's units, or cross-entropy).
    ///   - validationLoss: Loss on the validation split.
    ///   - accuracy: Fraction of samples classified correctly, 0…1.
    ///   - mse: Mean squared error in the target's units.
    ///   - r2: Coefficient of determination 1 − SSE/SST.
    ///   - split: The data accuracy, MSE and R² were computed on.
    public init(
        trainLoss: Double? = nil, validationLoss: Double? = nil, accuracy: Double? = nil, mse: Double? = nil, r2: Double? = nil,
        split: MetricSplit? = nil
    ) {
        values = [:]
        self.split = split
        self[.trainLoss] = trainLoss
        self[.validationLoss] = validationLoss
        self[.accuracy] = accuracy
        self[.mse] = mse
        self[.r2] = r2
    }

    /// The value of `name`; setting nil removes it.
    public subscript(name: MetricName) -> Double? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// Mean training loss (MSE in the target's units, or cross-entropy).
    public var trainLoss: Double? {
        get { self[.trainLoss] }
        set { self[.trainLoss] = newValue }
    }

    /// Loss on the validation split.
    public var validationLoss: Double? {
        get { self[.validationLoss] }
        set { self[.validationLoss] = newValue }
    }

    /// Fraction of samples classified correctly, 0…1 (classification).
    public var accuracy: Double? {
        get { self[.accuracy] }
        set { self[.accuracy] = newValue }
    }

    /// Mean squared error in the target's units (regression).
    public var mse: Double? {
        get { self[.mse] }
        set { self[.mse] = newValue }
    }

    /// Coefficient of determination 1 − SSE/SST (regression).
    public var r2: Double? {
        get { self[.r2] }
        set { self[.r2] = newValue }
    }

    /// True when no metric was measured.
    public var isEmpty: Bool { values.isEmpty }

    /// The data the stored value of `name` was computed on: training for the training loss (and
    /// a coefficient), held-out data for the validation loss, ``split`` (training when unknown)
    /// for the others.
    ///
    /// - Parameter name: A metric.
    /// - Returns: Its split.
    public func split(of name: MetricName) -> MetricSplit {
        switch name {
        case .trainLoss, .coefficient: .train
        case .validationLoss: .validation
        case .accuracy, .mse, .r2: split ?? .train
        }
    }

    /// The names in the order they are encoded and stored.
    public static let names: [MetricName] = [.trainLoss, .validationLoss, .accuracy, .mse, .r2]

    /// A metric's key: its stored name, or `evaluatedOn` for the split.
    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
        static let evaluatedOn = Key(stringValue: "evaluatedOn")
    }

    /// Reads the figures from the keys a run document uses; other keys in the same container
    /// (a history row's `epoch`, `joules`, …) are ignored, so a row may hold them beside its own.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        values = [:]
        for name in Self.names {
            self[name] = try container.decodeIfPresent(Double.self, forKey: Key(stringValue: name.rawValue))
        }
        split = try container.decodeIfPresent(String.self, forKey: .evaluatedOn).flatMap(MetricSplit.init(evaluatedOn:))
    }

    /// Writes each measured metric under its stored name, and the split as `evaluatedOn`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        for name in Self.names {
            try container.encodeIfPresent(self[name], forKey: Key(stringValue: name.rawValue))
        }
        try container.encodeIfPresent(split?.evaluatedOn, forKey: .evaluatedOn)
    }
}
