/// What one epoch achieved and cost, as its trainer knows it: the tracker's epoch input
/// (`EpochMetrics` in `Footprint`), built by Footprint's trainer or a user's loop, and stored as
/// one `epochs` row. Energy and wall time are measured by the tracker, not reported here.
public struct EpochFacts: Sendable, Equatable {
    /// 1-based epoch number (a wrapped program may count from 0).
    public var index: Int
    /// The epoch's losses, accuracy, MSE and R²; any may be absent.
    public var quality: QualityMetrics
    /// Training samples processed in this epoch.
    public var samples: Int?
    /// FLOPs of this epoch by phase, when the caller counts them.
    public var flops: PhaseFlops?
    /// Seconds of this epoch by phase, when the caller measures them.
    public var phaseSeconds: PhaseSeconds?

    /// Creates an epoch's facts.
    ///
    /// - Parameters:
    ///   - index: Epoch number.
    ///   - quality: Its quality figures.
    ///   - samples: Training samples processed.
    ///   - flops: FLOPs by phase.
    ///   - phaseSeconds: Seconds by phase.
    public init(index: Int, quality: QualityMetrics, samples: Int? = nil, flops: PhaseFlops? = nil, phaseSeconds: PhaseSeconds? = nil) {
        self.index = index
        self.quality = quality
        self.samples = samples
        self.flops = flops
        self.phaseSeconds = phaseSeconds
    }

    /// Creates an epoch's facts from its figures, each optional except the index.
    ///
    /// - Parameters:
    ///   - index: Epoch number.
    ///   - trainLoss: Mean training loss.
    ///   - validationLoss: Loss on held-out data.
    ///   - accuracy: Fraction classified correctly, 0…1.
    ///   - mse: Mean squared error.
    ///   - r2: Coefficient of determination.
    ///   - samples: Training samples processed.
    ///   - flops: FLOPs by phase.
    ///   - phaseSeconds: Seconds by phase.
    public init(
        index: Int, trainLoss: Double? = nil, validationLoss: Double? = nil, accuracy: Double? = nil, mse: Double? = nil,
        r2: Double? = nil, samples: Int? = nil, flops: PhaseFlops? = nil, phaseSeconds: PhaseSeconds? = nil
    ) {
        self.init(
            index: index,
            quality: QualityMetrics(trainLoss: trainLoss, validationLoss: validationLoss, accuracy: accuracy, mse: mse, r2: r2),
            samples: samples, flops: flops, phaseSeconds: phaseSeconds)
    }

}
