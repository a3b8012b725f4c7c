#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which model to train.
public enum ModelSpec: Sendable, Equatable, Codable {
    /// A multilayer perceptron with `hiddenLayers` hidden ReLU layers of width `hiddenWidth`;
    /// input and output widths come from the dataset.
    case mlp(hiddenLayers: Int, hiddenWidth: Int)
    /// Polynomial regression of `degree` fitted by least squares (one feature, one target).
    case polynomial(degree: Int)

    /// `"mlp"` or `"poly"`.
    public var kindName: String {
        switch self {
        case .mlp: "mlp"
        case .polynomial: "poly"
        }
    }
}

/// How the learning rate changes over the epochs.
public enum LearningRateSchedule: String, Sendable, Equatable, Codable, CaseIterable {
    /// η throughout.
    case constant
    /// Cosine annealing from η to η/100 over the epochs (Loshchilov & Hutter 2017, without
    /// restarts): large steps early, fine steps at the end, which makes the final loss far less
    /// dependent on the last minibatches.
    case cosine

    /// The rate for `epoch` (1-based) of `epochs`.
    public func learningRate(base: Double, epoch: Int, epochs: Int) -> Double {
        switch self {
        case .constant:
            return base
        case .cosine:
            guard epochs > 1 else { return base }
            let progress = Double(epoch - 1) / Double(epochs - 1)
            let floor = base / 100
            return floor + (base - floor) * 0.5 * (1 + cos(Double.pi * progress))
        }
    }
}

/// Everything that determines a training run besides the data.
public struct TrainingConfiguration: Sendable, Equatable {
    public var model: ModelSpec
    /// Passes over the training data; for a polynomial, how many times the least-squares fit is
    /// repeated in its one epoch (each fit identical and counted), so a short fit can be measured.
    public var epochs: Int
    /// Samples per minibatch; larger than the training set means full batch.
    public var batchSize: Int
    /// Step size η.
    public var learningRate: Double
    public var optimizer: OptimizerKind
    /// How η changes over the epochs.
    public var schedule: LearningRateSchedule
    /// Seeds initialisation, the train/validation split and the shuffles.
    public var seed: UInt64
    /// Overrides the dataset's own train/validation policy when set.
    public var evaluationPolicy: EvaluationPolicy?
    /// Standardise features (and regression targets) with the training split's mean and
    /// standard deviation. Metrics are always reported in the data's own units.
    public var standardize: Bool
    /// Threads for the matrix kernel (results do not depend on it).
    public var threads: Int

    public init(
        model: ModelSpec, epochs: Int = 100, batchSize: Int = 32, learningRate: Double = 1e-3,
        optimizer: OptimizerKind = .adamDefault, schedule: LearningRateSchedule = .cosine, seed: UInt64 = 42,
        evaluationPolicy: EvaluationPolicy? = nil, standardize: Bool = true, threads: Int = 1
    ) {
        self.model = model
        self.epochs = epochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.optimizer = optimizer
        self.schedule = schedule
        self.seed = seed
        self.evaluationPolicy = evaluationPolicy
        self.standardize = standardize
        self.threads = threads
    }

    /// Checks every value against what training accepts, with a message saying what is allowed.
    ///
    /// - Throws: `LearningError.invalidHyperparameter` or `.underdetermined`.
    public func validate(for dataset: Dataset) throws {
        if epochs < 1 { throw LearningError.invalidHyperparameter(name: "--epochs", value: "\(epochs)", allowed: "must be at least 1") }
        if batchSize < 1 { throw LearningError.invalidHyperparameter(name: "--batch-size", value: "\(batchSize)", allowed: "must be at least 1") }
        if !(learningRate > 0) || !learningRate.isFinite {
            throw LearningError.invalidHyperparameter(name: "--lr", value: "\(learningRate)", allowed: "must be a positive finite number such as 0.01")
        }
        if threads < 1 || threads > 256 { throw LearningError.invalidHyperparameter(name: "--threads", value: "\(threads)", allowed: "must be between 1 and 256") }
        if case .holdOut(let fraction) = evaluationPolicy ?? dataset.evaluationPolicy, !(fraction > 0 && fraction < 1) {
            throw LearningError.invalidHyperparameter(name: "validation fraction", value: "\(fraction)", allowed: "must be strictly between 0 and 1")
        }
        switch optimizer {
        case .sgd(let momentum) where !(momentum >= 0 && momentum < 1):
            throw LearningError.invalidHyperparameter(name: "--momentum", value: "\(momentum)", allowed: "must be in [0, 1)")
        case .adam(let b1, let b2, let eps) where !(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1 && eps > 0):
            throw LearningError.invalidHyperparameter(name: "Adam parameters", value: "\(b1), \(b2), \(eps)", allowed: "β1 and β2 in [0, 1), ε > 0")
        default: break
        }
        switch model {
        case .mlp(let layers, let width):
            try MLPArchitecture(inputs: dataset.features.columns, hiddenLayers: layers, hiddenWidth: width, outputs: dataset.outputCount).validate()
        case .polynomial(let degree):
            _ = try PolynomialRegression(degree: degree)
            guard dataset.task == .regression, dataset.features.columns == 1, dataset.targets.columns == 1 else {
                throw LearningError.invalidHyperparameter(
                    name: "--model", value: "poly",
                    allowed: "polynomial regression needs one input feature and one regression target; '\(dataset.name)' has \(dataset.features.columns) features (\(dataset.task.name)): use --model mlp")
            }
            let distinct = Set(dataset.features.scalars).count
            guard distinct >= degree + 1 else {
                throw LearningError.underdetermined(reason: "degree \(degree) needs at least \(degree + 1) distinct x values, '\(dataset.name)' has \(distinct); use --degree \(max(distinct - 1, 0)) or less")
            }
        }
    }
}
