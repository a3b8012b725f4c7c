import Learning

/// What a user's training loop reports at the end of an epoch. Every field is optional except
/// the index; energy and time are measured by the tracker.
public struct EpochMetrics: Sendable, Equatable {
    /// 1-based epoch number.
    public var index: Int
    public var trainLoss: Double?
    public var validationLoss: Double?
    public var accuracy: Double?
    public var mse: Double?
    public var r2: Double?
    /// Samples processed in this epoch.
    public var samples: Int?
    /// FLOPs of this epoch, when the caller counts them: forward, backward, optimizer, evaluation.
    public var flops: PhaseFlops?
    /// Seconds per phase, when the caller measures them.
    public var phaseSeconds: [Phase: Double]

    public init(
        index: Int, trainLoss: Double? = nil, validationLoss: Double? = nil, accuracy: Double? = nil,
        mse: Double? = nil, r2: Double? = nil, samples: Int? = nil,
        flops: PhaseFlops? = nil,
        phaseSeconds: [Phase: Double] = [:]
    ) {
        self.index = index
        self.trainLoss = trainLoss
        self.validationLoss = validationLoss
        self.accuracy = accuracy
        self.mse = mse
        self.r2 = r2
        self.samples = samples
        self.flops = flops
        self.phaseSeconds = phaseSeconds
    }
}
