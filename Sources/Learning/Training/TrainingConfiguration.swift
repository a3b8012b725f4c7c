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

    /// Checks every value that does not depend on the data against what training accepts, so a
    /// front end can refuse a configuration before loading anything.
    ///
    /// Errors name the parameter as this type spells it (`learningRate`, `batchSize`,
    /// `hiddenWidth`); `LearningError.renamingParameter(_:)` turns that into a flag.
    ///
    /// - Throws: `LearningError.invalidHyperparameter` naming the first parameter out of range.
    public func validate() throws {
        if epochs < 1 { throw invalid("epochs", epochs, "must be at least 1") }
        if batchSize < 1 { throw invalid("batchSize", batchSize, "must be at least 1") }
        if !(learningRate > 0) || !learningRate.isFinite {
            throw invalid("learningRate", learningRate, "must be a positive finite number such as 0.01")
        }
        if threads < 1 || threads > 256 { throw invalid("threads", threads, "must be between 1 and 256") }
        if case .holdOut(let fraction) = evaluationPolicy, !(fraction > 0 && fraction < 1) {
            throw invalid("evaluationPolicy", fraction, "the hold-out fraction must be strictly between 0 and 1")
        }
        switch optimizer {
        case .sgd(let momentum) where !(momentum >= 0 && momentum < 1):
            throw invalid("momentum", momentum, "must be in [0, 1)")
        case .adam(let b1, let b2, let eps) where !(b1 >= 0 && b1 < 1 && b2 >= 0 && b2 < 1 && eps > 0):
            throw LearningError.invalidHyperparameter(
                name: "optimizer", value: "adam(\(b1), \(b2), \(eps))", allowed: "β1 and β2 must be in [0, 1), ε > 0")
        default: break
        }
        switch model {
        case .mlp(let layers, let width):
            if layers < 0 { throw invalid("hiddenLayers", layers, "must be 0 or more") }
            if layers > 0 && width < 1 { throw invalid("hiddenWidth", width, "must be at least 1") }
        case .polynomial(let degree):
            if degree < 0 { throw invalid("degree", degree, "must be 0 or more") }
        }
    }

    /// Checks every value against what training accepts and what `dataset` allows, with a
    /// message saying what is allowed.
    ///
    /// - Parameter dataset: The data the configuration is to train on.
    /// - Throws: `LearningError.invalidHyperparameter` naming the parameter (see `validate()`),
    ///   `.invalidDataset` for a dataset whose own hold-out fraction is out of range.
    public func validate(for dataset: Dataset) throws {
        try validate()
        if evaluationPolicy == nil, case .holdOut(let fraction) = dataset.evaluationPolicy, !(fraction > 0 && fraction < 1) {
            throw LearningError.invalidDataset(
                name: dataset.name, reason: "its hold-out fraction \(fraction) must be strictly between 0 and 1")
        }
        switch model {
        case .mlp(let layers, let width):
            try MLPArchitecture(inputs: dataset.features.columns, hiddenLayers: layers, hiddenWidth: width, outputs: dataset.outputCount)
                .validate()
        case .polynomial(let degree):
            guard dataset.task == .regression, dataset.features.columns == 1, dataset.targets.columns == 1 else {
                throw LearningError.invalidHyperparameter(
                    name: "model", value: "poly",
                    allowed:
                        "polynomial regression needs one input feature and one regression target; '\(dataset.name)' has \(dataset.features.columns) features (\(dataset.task.name)): train an MLP instead"
                )
            }
            let distinct = Set(dataset.features.scalars).count
            guard distinct >= degree + 1 else {
                throw invalid(
                    "degree", degree,
                    "needs at least \(degree + 1) distinct x values, '\(dataset.name)' has \(distinct); use \(max(distinct - 1, 0)) or less"
                )
            }
        }
    }

    private func invalid(_ name: String, _ value: some CustomStringConvertible, _ allowed: String) -> LearningError {
        .invalidHyperparameter(name: name, value: value.description, allowed: allowed)
    }
}
