import Vocabulary

/// What one epoch did and cost: its facts as the tracker records them, its FLOPs per layer,
/// and its wall and CPU time.
public struct EpochReport: Sendable {
    /// The epoch's index, quality, samples, and FLOPs and seconds by phase.
    public var facts: EpochFacts
    /// FLOPs of this epoch only, per layer and phase (`facts.flops` is its sum by phase).
    public var ledger: FlopLedger
    /// Monotonic wall seconds of the epoch.
    public var wallSeconds: Double
    /// Process CPU seconds of the epoch.
    public var cpuSeconds: Double

    init(
        index: Int, quality: QualityMetrics, ledger: FlopLedger, phaseSeconds: PhaseSeconds, wallSeconds: Double, cpuSeconds: Double,
        samples: Int
    ) {
        facts = EpochFacts(index: index, quality: quality, samples: samples, flops: ledger.phaseFlops, phaseSeconds: phaseSeconds)
        self.ledger = ledger
        self.wallSeconds = wallSeconds
        self.cpuSeconds = cpuSeconds
    }
}

/// One row of the model summary, in the manner of Keras' `summary()`.
public struct LayerSummary: Sendable, Equatable, Codable {
    public var name: String
    public var kind: String
    /// Output shape with a free batch dimension, for example `"(N, 100)"`.
    public var outputShape: String
    public var parameters: Int
    public var forwardFlopsPerSample: Int
}

/// A model's layers, parameters and per-sample forward cost.
public struct ModelSummary: Sendable, Equatable, Codable {
    /// `"mlp:1-100-1"` or `"poly:3"`.
    public var name: String
    public var layers: [LayerSummary]
    public var parameters: Int { layers.reduce(0) { $0 + $1.parameters } }
    public var forwardFlopsPerSample: Int { layers.reduce(0) { $0 + $1.forwardFlopsPerSample } }
}

/// Cost of one layer over the whole run.
public struct LayerCost: Sendable, Equatable, Codable {
    public var index: Int
    public var name: String
    public var kind: String
    public var outputShape: String
    public var parameters: Int
    /// Forward FLOPs of training steps (evaluation passes are counted separately).
    public var forwardFlops: Int
    public var backwardFlops: Int
    public var optimizerFlops: Int
    public var evaluationFlops: Int
}

/// Everything a finished training produced: the model's quality and its cost.
public struct TrainingResult: Sendable {
    public var summary: ModelSummary
    public var datasetName: String
    public var task: TaskKind
    public var configuration: TrainingConfiguration
    public var epochs: [EpochReport]
    /// Quality of the last epoch (the fit, for polynomial models).
    public var metrics: QualityMetrics
    /// FLOPs of the whole run.
    public var flops: FlopLedger
    public var phaseSeconds: PhaseSeconds
    public var wallSeconds: Double
    public var cpuSeconds: Double
    /// Training samples processed over all epochs.
    public var samples: Int
    public var trainingSampleCount: Int
    public var validationSampleCount: Int
    /// θ₀…θ_d for polynomial models.
    public var coefficients: [Double]?
    public var layerCosts: [LayerCost]
    /// The matrix kernel that ran (`"avx512"`, …).
    public var kernel: String

    /// Achieved GFLOP/s: all counted FLOPs over the seconds of the phases that ran them.
    public var gflopsPerSecond: Double {
        let seconds = phaseSeconds.total
        return seconds > 0 ? Double(flops.total) / seconds / 1e9 : 0
    }
}

/// Callbacks a trainer makes; the tracker uses them to record a run as it goes.
///
/// The trainer calls them synchronously, on the thread that called `train`, so they need not
/// be `@Sendable` and may capture that thread's state.
public struct TrainingHooks {
    /// Called once the model is built, before the first epoch.
    public var willStart: (ModelSummary) throws -> Void
    /// Called as each epoch ends; throwing stops training with that error.
    public var epochDidEnd: (EpochReport) throws -> Void
    /// Polled between steps; returning true stops training with `LearningError.interrupted`.
    public var shouldStop: () -> Bool

    public init(
        willStart: @escaping (ModelSummary) throws -> Void = { _ in },
        epochDidEnd: @escaping (EpochReport) throws -> Void = { _ in },
        shouldStop: @escaping () -> Bool = { false }
    ) {
        self.willStart = willStart
        self.epochDidEnd = epochDidEnd
        self.shouldStop = shouldStop
    }
}
