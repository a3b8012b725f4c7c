import GRDB

/// One row of `epochs`: what one finished epoch achieved and cost, committed as it ends so a
/// crash loses at most the epoch in progress. Unique per (`run_id`, `epoch_index`).
public struct EpochRecord: Codable, Sendable, Equatable {
    /// The run (`runs.id`); deleting the run deletes its epochs.
    public var runID: Int64
    /// Zero-based epoch number.
    public var epochIndex: Int
    /// Mean training loss over the epoch.
    public var trainLoss: Double?
    /// Loss on held-out data after the epoch.
    public var validationLoss: Double?
    /// Classification accuracy in 0…1 (validation when there is a split, training otherwise).
    public var accuracy: Double?
    /// Mean squared error (regression).
    public var mse: Double?
    /// Coefficient of determination (regression).
    public var r2: Double?
    /// FLOPs of the forward passes in this epoch.
    public var flopsForward: Int64?
    /// FLOPs of the backward passes.
    public var flopsBackward: Int64?
    /// FLOPs of the optimizer steps.
    public var flopsOptimizer: Int64?
    /// FLOPs of evaluation.
    public var flopsEvaluation: Int64?
    /// Seconds spent preparing batches.
    public var secondsData: Double?
    /// Seconds in forward passes.
    public var secondsForward: Double?
    /// Seconds in backward passes.
    public var secondsBackward: Double?
    /// Seconds in optimizer steps.
    public var secondsOptimizer: Double?
    /// Seconds evaluating.
    public var secondsEvaluation: Double?
    /// Wall-clock seconds of the whole epoch.
    public var wallSeconds: Double?
    /// Seconds from the run's start to the end of this epoch (aligns epochs with power samples).
    public var elapsedSeconds: Double?
    /// Training samples processed in this epoch.
    public var samples: Int64?
    /// Energy over this epoch (v2), same meters and provenance as the run's.
    public var energyJoules: Double?

    /// Creates an epoch row; every measurement starts nil.
    ///
    /// - Parameters:
    ///   - runID: The run it belongs to.
    ///   - epochIndex: Zero-based epoch number.
    public init(runID: Int64, epochIndex: Int) {
        self.runID = runID
        self.epochIndex = epochIndex
    }

    /// The column of each property in `epochs`.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case runID = "run_id"
        case epochIndex = "epoch_index"
        case trainLoss = "train_loss"
        case validationLoss = "validation_loss"
        case accuracy, mse, r2
        case flopsForward = "flops_forward"
        case flopsBackward = "flops_backward"
        case flopsOptimizer = "flops_optimizer"
        case flopsEvaluation = "flops_evaluation"
        case secondsData = "seconds_data"
        case secondsForward = "seconds_forward"
        case secondsBackward = "seconds_backward"
        case secondsOptimizer = "seconds_optimizer"
        case secondsEvaluation = "seconds_evaluation"
        case wallSeconds = "wall_seconds"
        case elapsedSeconds = "elapsed_seconds"
        case samples
        case energyJoules = "energy_joules"
    }
}

extension EpochRecord: FetchableRecord, PersistableRecord {
    /// `epochs`.
    public static let databaseTableName = "epochs"
}
