/// What a dataset asks a model to predict.
public enum TaskKind: Sendable, Equatable {
    /// Predict one or more real values; the loss is mean squared error.
    case regression
    /// Predict one of `classCount` classes; the loss is softmax cross-entropy.
    case classification(classCount: Int)

    /// `"regression"` or `"classification"`.
    public var name: String {
        switch self {
        case .regression: "regression"
        case .classification: "classification"
        }
    }
}

/// How a dataset is divided between training and evaluation.
public enum EvaluationPolicy: Sendable, Equatable {
    /// Train and evaluate on every sample, as the lecture does with its 5-point examples.
    case trainOnAll
    /// Hold out this fraction of the samples (0 < fraction < 1), chosen by the seeded shuffle.
    case holdOut(fraction: Double)
}

/// Samples and their targets, in memory.
///
/// Features are an N×D tensor. For regression, `targets` is N×T (usually T = 1); for
/// classification it is N×1 and holds each sample's class index as a `Float` (0, 1, …),
/// which `labels` returns as integers.
public struct Dataset: Sendable {
    /// Short identifier, for example `terrain` or `csv:data/houses.csv`.
    public var name: String
    /// N×D inputs, one row per sample.
    public var features: Tensor
    /// N×T regression targets, or N×1 class indices.
    public var targets: Tensor
    /// Regression or classification.
    public var task: TaskKind
    /// Names of the D feature columns.
    public var featureNames: [String]
    /// Name of the target (the label column of a CSV, for example).
    public var targetName: String
    /// How the trainer splits it unless told otherwise.
    public var evaluationPolicy: EvaluationPolicy
    /// Where the data comes from and under which licence, when it was not made by the user.
    public var source: String?

    /// Creates a dataset after checking that shapes agree.
    ///
    /// - Throws: `LearningError.invalidDataset` when features and targets disagree or a class
    ///   index is out of range.
    public init(
        name: String, features: Tensor, targets: Tensor, task: TaskKind,
        featureNames: [String]? = nil, targetName: String = "y",
        evaluationPolicy: EvaluationPolicy = .holdOut(fraction: 0.2), source: String? = nil
    ) throws {
        guard features.rows == targets.rows else {
            throw LearningError.invalidDataset(name: name, reason: "\(features.rows) feature rows but \(targets.rows) target rows")
        }
        guard features.rows > 0 else {
            throw LearningError.invalidDataset(name: name, reason: "no samples")
        }
        if case .classification(let classCount) = task {
            guard targets.columns == 1 else {
                throw LearningError.invalidDataset(name: name, reason: "classification targets must be one column of class indices")
            }
            for (row, value) in targets.scalars.enumerated() where value < 0 || value >= Float(classCount) || value != value.rounded() {
                throw LearningError.invalidDataset(
                    name: name, reason: "sample \(row) has class \(value), expected an integer in 0..<\(classCount)")
            }
        }
        self.name = name
        self.features = features
        self.targets = targets
        self.task = task
        self.featureNames = featureNames ?? (0..<features.columns).map { "x\($0)" }
        self.targetName = targetName
        self.evaluationPolicy = evaluationPolicy
        self.source = source
    }

    /// Number of samples, N.
    public var sampleCount: Int { features.rows }

    /// Class index of every sample (classification only; empty for regression).
    public var labels: [Int] {
        guard case .classification = task else { return [] }
        return targets.scalars.map { Int($0) }
    }

    /// Number of model outputs this dataset needs: the class count, or the target width.
    public var outputCount: Int {
        switch task {
        case .regression: targets.columns
        case .classification(let classCount): classCount
        }
    }
}
