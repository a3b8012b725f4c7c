import Foundation
import Learning
import RunStore
import RunModel
import Vocabulary

/// Progress of a tracked training, for a progress line.
public struct TrainingProgress: Sendable {
    public var runID: Int64
    /// The epoch just recorded.
    public var epoch: EpochFacts
    public var plannedEpochs: Int
    public var elapsedSeconds: Double
    /// Whole-run prediction, from the second epoch on.
    public var prediction: RunPrediction?
}

/// A finished (or failed) tracked training.
public struct TrackedTraining: Sendable {
    public var runID: Int64
    public var result: TrainingResult
    public var record: RunRecord
}

extension Tracker {
    /// Trains a model from the `Learning` library as a run of kind `train`, recording the model,
    /// hyper-parameters, every epoch (with its energy), the layer costs and final metrics.
    ///
    /// - Parameters:
    ///   - dataset: The data.
    ///   - configuration: Model and hyper-parameters.
    ///   - name: Run name (default: model and dataset).
    ///   - tags: Extra tags.
    ///   - willStart: Called with the run id and model summary before the first epoch.
    ///   - progress: Called after each epoch.
    /// - Returns: The run id, the training result and the stored record.
    /// - Throws: `LearningError` for a configuration that does not fit the dataset (before any
    ///   run is stored); `TrackedRunError` around a `LearningError` (the run is stored `failed`,
    ///   or `interrupted` after a signal, with its finished epochs kept) or a `RunStoreError`.
    public func train(
        _ dataset: Dataset, configuration: TrainingConfiguration, name: String? = nil, tags: [String] = [],
        willStart: @escaping (Int64, ModelSummary) -> Void = { _, _ in },
        progress: @escaping (TrainingProgress) -> Void = { _ in }
    ) throws -> TrackedTraining {
        try train(
            Trainer(configuration: configuration, dataset: dataset), name: name, tags: tags, willStart: willStart, progress: progress)
    }

    /// Trains with a trainer whose configuration is already checked, as a run of kind `train`,
    /// recording the model, hyper-parameters, every epoch (with its energy), the layer costs and
    /// final metrics.
    ///
    /// - Parameters:
    ///   - trainer: The configuration and dataset, checked, and the model built.
    ///   - name: Run name (default: model and dataset).
    ///   - tags: Extra tags.
    ///   - willStart: Called with the run id and model summary before the first epoch.
    ///   - progress: Called after each epoch.
    /// - Returns: The run id, the training result and the stored record.
    /// - Throws: `TrackedRunError` around a `LearningError` (the run is stored `failed`, or
    ///   `interrupted` after a signal, with its finished epochs kept), or `RunStoreError`.
    public func train(
        _ trainer: Trainer, name: String? = nil, tags: [String] = [],
        willStart: @escaping (Int64, ModelSummary) -> Void = { _, _ in },
        progress: @escaping (TrainingProgress) -> Void = { _ in }
    ) throws -> TrackedTraining {
        let configuration = trainer.configuration, dataset = trainer.dataset, summary = trainer.summary
        let isPolynomial = if case .polynomial = configuration.model { true } else { false }
        var record = RunRecord(name: name ?? "\(summary.name) on \(dataset.name)", kind: .train, startedAt: Date(), host: "")
        record.modelName = summary.name
        record.modelDescription = Self.describe(summary)
        record.parameterCount = Int64(summary.parameters)
        record.dataset = dataset.name
        record.task = dataset.task.name
        record.seed = Int64(bitPattern: configuration.seed)
        record.hyperparametersJSON = JSONText.encode(Self.hyperparameters(configuration))
        record.tags = tags
        record.gemmKernel = isPolynomial ? "householder-qr" : MatrixMultiply.kernelName
        let session = try RunSession(database: database, options: options, record: record, calculator: carbonCalculator)
        // A polynomial fit is one solve, not epochs worth a prediction.
        session.plannedEpochs = isPolynomial ? nil : configuration.epochs
        let runID = session.id
        let hooks = TrainingHooks(
            willStart: { willStart(runID, $0) },
            epochDidEnd: { report in
                // The epoch's own end time, read with its energy: no second poll of the meters.
                let recorded = try session.recordEpoch(report.facts)
                progress(
                    TrainingProgress(
                        runID: runID, epoch: report.facts, plannedEpochs: configuration.epochs,
                        elapsedSeconds: recorded.elapsedSeconds ?? 0,
                        prediction: session.latestPrediction))
            },
            shouldStop: { StopSignal.isRequested })
        do {
            let result = try trainer.train(hooks: hooks)
            try session.update { Self.apply(result, to: &$0) }
            try storeDetails(of: result, runID: runID)
            let finished = try session.finish(status: .completed)
            return TrackedTraining(runID: runID, result: result, record: finished)
        } catch {
            let interrupted = StopSignal.isRequested || (error as? LearningError)?.isInterruption == true
            let status: RunStatus = interrupted ? .interrupted : .failed
            _ = try? session.finish(status: status, errorText: "\(error)")
            throw TrackedRunError(runID: runID, status: status, underlying: error)
        }
    }

    private func storeDetails(of result: TrainingResult, runID: Int64) throws {
        try database.insertLayerCosts(
            result.layerCosts.map {
                LayerCostRecord(
                    runID: runID, layerIndex: $0.index, name: $0.name, outputShape: $0.outputShape, parameters: Int64($0.parameters),
                    forwardFlops: Int64($0.forwardFlops), backwardFlops: Int64($0.backwardFlops))
            })
        try database.insertMetrics(MetricRecord.rows(runID: runID, quality: result.metrics, coefficients: result.coefficients ?? []))
    }

    static func apply(_ result: TrainingResult, to record: inout RunRecord) {
        let flops = result.flops.phaseFlops
        record.flopsForward = Int64(flops[.forward])
        record.flopsBackward = Int64(flops[.backward])
        record.flopsOptimizer = Int64(flops[.optimizer])
        record.flopsEvaluation = Int64(flops[.evaluation])
        record.flopsTotal = Int64(flops.total)
        record.flopsMatmul = Int64(result.flops.trainingMatmulFlops)
        record.phaseSecondsJSON = JSONText.encode(
            Dictionary(uniqueKeysWithValues: Phase.allCases.map { ($0.description, result.phaseSeconds[$0]) }))
        record.samplesProcessed = Int64(result.samples)
        record.gemmKernel = result.kernel
    }

    static func hyperparameters(_ configuration: TrainingConfiguration) -> [String: String] {
        var values: [String: String] = [
            "model": configuration.model.kindName, "epochs": "\(configuration.epochs)",
            "batchSize": "\(configuration.batchSize)", "learningRate": "\(configuration.learningRate)",
            "optimizer": configuration.optimizer.description, "seed": "\(configuration.seed)",
            "threads": "\(configuration.threads)", "standardize": "\(configuration.standardize)",
        ]
        switch configuration.model {
        case .mlp(let layers, let width):
            values["layers"] = "\(layers)"
            values["hidden"] = "\(width)"
        case .polynomial(let degree):
            values["degree"] = "\(degree)"
        }
        return values
    }

    static func describe(_ summary: ModelSummary) -> String {
        summary.layers.map { "\($0.kind)\($0.outputShape)" }.joined(separator: " → ")
    }
}

/// A tracked run that did not complete; the run is stored with `status`.
public struct TrackedRunError: Error, CustomStringConvertible {
    public var runID: Int64
    public var status: RunStatus
    public var underlying: any Error

    public var description: String {
        "\(underlying) (run \(runID) recorded as \(status.rawValue))"
    }
}
