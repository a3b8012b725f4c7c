import CKernels

/// Trains a model on a dataset: epochs of shuffled minibatches, a train/validation split,
/// metrics, a FLOP ledger and phase timings. The same seed gives bit-identical results on the
/// same machine (the matrix kernel's summation order does not depend on the thread count).
public struct Trainer: Sendable {
    public var configuration: TrainingConfiguration

    public init(configuration: TrainingConfiguration) {
        self.configuration = configuration
    }

    /// The model summary this configuration builds for `dataset`, without training.
    ///
    /// - Throws: `LearningError` when the configuration does not fit the dataset.
    public func summary(for dataset: Dataset) throws -> ModelSummary {
        try configuration.validate(for: dataset)
        switch configuration.model {
        case .polynomial(let degree):
            let model = try PolynomialRegression(degree: degree)
            return ModelSummary(
                name: "poly:\(degree)",
                layers: [
                    LayerSummary(
                        name: "polynomial", kind: "Polynomial", outputShape: "(N, 1)", parameters: model.parameterCount,
                        forwardFlopsPerSample: model.forwardFlopsPerSample)
                ])
        case .mlp(let hiddenLayers, let hiddenWidth):
            let architecture = MLPArchitecture(
                inputs: dataset.features.columns, hiddenLayers: hiddenLayers, hiddenWidth: hiddenWidth, outputs: dataset.outputCount)
            return Self.summary(of: architecture.makeNetwork(seed: configuration.seed), name: architecture.description)
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

    /// Trains and evaluates.
    ///
    /// - Parameters:
    ///   - dataset: The data; its evaluation policy applies unless the configuration overrides it.
    ///   - hooks: Callbacks for each epoch and a stop flag.
    /// - Returns: Quality, cost and history of the run.
    /// - Throws: `LearningError.invalidHyperparameter`, `.nonFiniteLoss` (naming epoch and step),
    ///   `.interrupted`, `.underdetermined`, or whatever a hook throws.
    public func train(_ dataset: Dataset, hooks: TrainingHooks = TrainingHooks()) throws -> TrainingResult {
        // Subnormal floats (an optimizer's moments decaying for dead units) cost microcode
        // assists that slowed epochs up to 8× after a few hundred steps; they are flushed to
        // zero while training, and the caller's floating-point mode is restored after.
        let floatMode = fp_flush_subnormals()
        defer { fp_restore_float_mode(floatMode) }
        try configuration.validate(for: dataset)
        let policy = configuration.evaluationPolicy ?? dataset.evaluationPolicy
        switch configuration.model {
        case .polynomial(let degree):
            return try PolynomialTraining(configuration: configuration, degree: degree).run(dataset, policy: policy, hooks: hooks)
        case .mlp(let hiddenLayers, let hiddenWidth):
            let architecture = MLPArchitecture(
                inputs: dataset.features.columns, hiddenLayers: hiddenLayers, hiddenWidth: hiddenWidth, outputs: dataset.outputCount)
            return try MLPTraining(configuration: configuration, architecture: architecture).run(dataset, policy: policy, hooks: hooks)
        }
    }
}
