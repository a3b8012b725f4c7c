import CKernels
import Synchronization

/// Trains a model on a dataset: epochs of shuffled minibatches, a train/validation split,
/// metrics, a FLOP ledger and phase timings. The same seed gives bit-identical results on the
/// same machine (the matrix kernel's summation order does not depend on the thread count).
///
/// Creating a trainer checks the configuration against the dataset, once, and builds the
/// model, once: its ``summary`` is the summary of the very network ``train(hooks:)`` trains.
///
/// ```swift
/// let trainer = try Trainer(configuration: configuration, dataset: digits)  // validates
/// print(trainer.summary.parameters)
/// let result = try trainer.train()
/// ```
public struct Trainer: Sendable {
    /// Model and hyper-parameters, checked against ``dataset``.
    public let configuration: TrainingConfiguration
    /// The data it trains on.
    public let dataset: Dataset
    /// The model's layers, parameters and per-sample forward cost.
    public let summary: ModelSummary
    private let model: BuiltModel

    /// The model built for a configuration.
    private enum BuiltModel: Sendable {
        case polynomial(PolynomialRegression)
        case mlp(MLPArchitecture, BuiltNetwork)
    }

    /// Checks `configuration` against `dataset` and builds the model.
    ///
    /// - Parameters:
    ///   - configuration: Model and hyper-parameters.
    ///   - dataset: The data; its evaluation policy applies unless the configuration overrides it.
    /// - Throws: `LearningError.invalidHyperparameter` naming the parameter as
    ///   ``TrainingConfiguration`` spells it (`LearningError.renamingParameter(_:)` turns that into
    ///   a flag), `.invalidDataset` for a dataset whose own hold-out fraction is out of range.
    public init(configuration: TrainingConfiguration, dataset: Dataset) throws {
        try configuration.validate(for: dataset)
        self.configuration = configuration
        self.dataset = dataset
        switch configuration.model {
        case .polynomial(let degree):
            let regression = try PolynomialRegression(degree: degree)
            model = .polynomial(regression)
            summary = ModelSummary(
                name: "poly:\(degree)",
                layers: [
                    LayerSummary(
                        name: "polynomial", kind: "Polynomial", outputShape: "(N, 1)", parameters: regression.parameterCount,
                        forwardFlopsPerSample: regression.forwardFlopsPerSample)
                ])
        case .mlp(let hiddenLayers, let hiddenWidth):
            let architecture = MLPArchitecture(
                inputs: dataset.features.columns, hiddenLayers: hiddenLayers, hiddenWidth: hiddenWidth, outputs: dataset.outputCount)
            let network = architecture.makeNetwork(seed: configuration.seed)
            model = .mlp(architecture, BuiltNetwork(network))
            summary = Self.summary(of: network, name: architecture.description)
        }
    }

    static func summary(of network: Sequential, name: String) -> ModelSummary {
        ModelSummary(
            name: name,
            layers: network.layers.map {
                LayerSummary(
                    name: $0.name, kind: $0.kind, outputShape: "(N, \($0.outputWidth))", parameters: $0.parameterCount,
                    forwardFlopsPerSample: $0.forwardFlopsPerSample)
            })
    }

    /// Trains and evaluates. Training twice gives the same result: a second call starts from
    /// a network built afresh from the same seed.
    ///
    /// - Parameter hooks: Callbacks for each epoch and a stop flag.
    /// - Returns: Quality, cost and history of the run.
    /// - Throws: `LearningError.nonFiniteLoss` (naming epoch and step), `.interrupted`,
    ///   `.underdetermined`, or whatever a hook throws.
    public func train(hooks: TrainingHooks = TrainingHooks()) throws -> TrainingResult {
        // Subnormal floats (an optimizer's moments decaying for dead units) cost microcode
        // assists that slowed epochs up to 8× after a few hundred steps; they are flushed to
        // zero while training, and the caller's floating-point mode is restored after.
        let floatMode = fp_flush_subnormals()
        defer { fp_restore_float_mode(floatMode) }
        let policy = configuration.evaluationPolicy ?? dataset.evaluationPolicy
        switch model {
        case .polynomial(let regression):
            return try PolynomialTraining(configuration: configuration, model: regression, summary: summary)
                .run(dataset, policy: policy, hooks: hooks)
        case .mlp(let architecture, let built):
            let network = built.take() ?? architecture.makeNetwork(seed: configuration.seed)
            return try MLPTraining(configuration: configuration, network: network, summary: summary)
                .run(dataset, policy: policy, hooks: hooks)
        }
    }
}

/// The network a ``Trainer`` built for its summary, handed to its first training only (training
/// changes the weights; a later training builds its own from the same seed).
///
/// `@unchecked Sendable`: the network is touched only by the one caller `take()` hands it to,
/// and the hand-over is decided under the mutex.
private final class BuiltNetwork: @unchecked Sendable {
    private let network: Sequential
    private let taken = Mutex(false)

    init(_ network: Sequential) {
        self.network = network
    }

    /// The network, the first time; nil after.
    func take() -> Sequential? {
        let first = taken.withLock { taken in
            defer { taken = true }
            return !taken
        }
        return first ? network : nil
    }
}
