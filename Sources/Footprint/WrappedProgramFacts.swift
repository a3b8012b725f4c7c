import RunModel
import RunStore
import Vocabulary

/// What a wrapped program said about itself in its event lines, gathered while it runs and
/// written into the run's row at the end: its model, the samples of its epochs, its final
/// quality, its extra facts and the MLflow run it logs to.
struct WrappedProgramFacts: Sendable {
    /// The model of the last `model` line.
    var model: ModelFacts?
    /// Samples of the recorded epochs, all together; nil when no epoch sent any.
    private(set) var samples: Int64?
    /// The quality of the last recorded epoch that had any.
    private(set) var lastEpochQuality: QualityMetrics?
    /// Whether any recorded epoch sent a validation loss: the program holds data out.
    private(set) var sawValidationLoss = false
    /// The quality of the last `result` line.
    var result: QualityMetrics?
    /// Extra facts, the last value of each key winning; at most ``ExtraFact/maximumCount`` keys.
    private(set) var extraFacts: [String: ExtraFact] = [:]
    /// Extra keys not kept because the run already had ``ExtraFact/maximumCount``.
    private(set) var extraFactsNotKept = 0
    /// The MLflow run of the last `tracking` line.
    var mlflowRunID: String?
    var mlflowTrackingURI: String?

    /// Counts a recorded epoch's samples and keeps its quality as the latest.
    mutating func observeEpoch(_ metrics: EpochMetrics) {
        if let epochSamples = metrics.samples {
            let (sum, overflow) = (samples ?? 0).addingReportingOverflow(Int64(epochSamples))
            samples = overflow ? Int64.max : sum
        }
        if !metrics.quality.isEmpty { lastEpochQuality = metrics.quality }
        if metrics.quality.validationLoss != nil { sawValidationLoss = true }
    }

    /// Keeps `facts`: a key seen before takes the new value; a new key beyond the limit is counted.
    mutating func keep(_ facts: [String: ExtraFact]) {
        for (key, value) in facts.sorted(by: { $0.key < $1.key }) {
            if extraFacts[key] != nil || extraFacts.count < ExtraFact.maximumCount {
                extraFacts[key] = value
            } else {
                extraFactsNotKept += 1
            }
        }
    }

    /// The run's final quality: the result line's, else the last epoch's; accuracy, MSE and R²
    /// on held-out data when the program holds data out: the figures include a validation loss
    /// (as `track` stores them), or an epoch sent one (a `result` line often carries only the
    /// held-out accuracy).
    var finalQuality: QualityMetrics? {
        guard var quality = result ?? lastEpochQuality, !quality.isEmpty else { return nil }
        if quality.validationLoss != nil || sawValidationLoss { quality.split = .validation }
        return quality
    }

    /// Writes the model, its FLOPs, the samples and the extra facts into the run's row; leaves
    /// the columns alone for a program that sent none of them.
    func apply(to record: inout RunRecord) {
        if let samples { record.samplesProcessed = samples }
        if let model {
            record.modelName = model.name
            record.parameterCount = model.parameters
            record.flopsPerSample = model.flopsPerSample
            if let total = model.flopsTotal(samples: samples) { record.flopsTotal = total }
        }
        if !extraFacts.isEmpty { record.extraFactsJSON = JSONText.encode(extraFacts) }
    }

    /// The note of the extra facts not kept, if any.
    var notes: [String] {
        guard extraFactsNotKept > 0 else { return [] }
        return [
            "\(EventIntake.counted(extraFactsNotKept, "extra fact was", "extra facts were")) not kept: a run keeps at most \(ExtraFact.maximumCount)"
        ]
    }
}
