/// A real training run as RunSession saw it when it froze its prediction, and how it ended.
///
/// The runs are in `PredictionFixtures.swift`, written by `scripts/collect-prediction-runs.py`.
struct PredictionFixture: Sendable {
    /// The collection a run belongs to, in the order they were collected.
    enum CollectionSet: String, Sendable {
        /// Hand-picked, the three runs among them.
        case pilot
        /// Drawn at random on a busier machine, before training-loop seconds were recorded.
        case early
        /// Drawn at random; the prediction's constants were set on these and the two above.
        case calibration
        /// Drawn at random after the constants were set, and left out of setting them.
        case validation
    }

    var set: CollectionSet
    var label: String
    var plannedEpochs: Int
    /// The run's seconds at the end of the frozen epoch, set-up included.
    var elapsedSeconds: Double
    /// Wall seconds of epochs 1 to the frozen epoch.
    var epochSeconds: [Double]
    /// Seconds of those epochs in the training loop; nil for runs collected before they were kept.
    var epochTrainingSeconds: [Double]?
    var epochJoules: [Double]
    /// The outcome: the run's final wall seconds and joules.
    var wallSeconds: Double
    var joules: Double
}
