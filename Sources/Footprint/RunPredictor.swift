import Carbon
import RunModel
import Vocabulary

/// A run's prediction of its whole time, energy and CO2e: refreshed as epochs end, and frozen
/// once, when a tenth of the planned epochs (at least three) have run, for the store.
///
/// A value: ``RunSession`` keeps it inside its lock.
struct RunPredictor: Sendable {
    /// Epochs the run plans; nil predicts nothing (a wrapped program, a closed-form fit).
    var plannedEpochs: Int?
    /// The latest prediction (after two epochs).
    private(set) var latest: RunPrediction?
    /// Whether the frozen prediction has been stored.
    private(set) var isFrozen = false
    private let calculator: CarbonCalculator?
    private var epochSeconds: [Double] = []
    /// Seconds inside the training loop per epoch (the phases' sum); nil once an epoch comes
    /// without phase times (wrapped programs, plain loops), and the prediction falls back.
    private var epochTrainingSeconds: [Double]? = []
    private var epochJoules: [Double] = []
    /// When the last prediction was made (seconds since the start): the progress line needs
    /// one a few times a second, not one per millisecond epoch.
    private var lastPredictionSeconds = -Double.infinity

    /// - Parameter calculator: Turns predicted joules into CO2e; nil predicts no CO2e.
    init(calculator: CarbonCalculator?) {
        self.calculator = calculator
    }

    /// The latest prediction when the frozen one was never stored (a run that ended before the
    /// freeze epoch keeps its latest).
    var unfrozen: RunPrediction? { isFrozen ? nil : latest }

    /// Takes one recorded epoch and refreshes the prediction.
    ///
    /// - Parameters:
    ///   - wallSeconds: The epoch's wall seconds.
    ///   - trainingSeconds: Its seconds inside the training loop; nil when not measured.
    ///   - joules: Its energy; nil when not measured.
    ///   - elapsedSeconds: Seconds since the run started.
    /// - Returns: The prediction to store, once, when it reaches the freeze epoch; then call
    ///   ``markFrozen()`` once it is stored.
    mutating func observeEpoch(wallSeconds: Double, trainingSeconds: Double?, joules: Double?, elapsedSeconds: Double)
        -> RunPrediction?
    {
        // The times feed only the prediction: a run without planned epochs (a wrapped program)
        // keeps none, so its memory does not grow with its epochs.
        guard let planned = plannedEpochs else { return nil }
        epochSeconds.append(wallSeconds)
        if let trainingSeconds {
            epochTrainingSeconds?.append(trainingSeconds)
        } else {
            epochTrainingSeconds = nil
        }
        if let joules { epochJoules.append(joules) }
        let freezeEpoch = RunPrediction.freezeEpoch(plannedEpochs: planned)
        let atFreeze = !isFrozen && epochSeconds.count >= freezeEpoch
        guard atFreeze || elapsedSeconds - lastPredictionSeconds >= 0.2 else { return nil }
        let joulesPerEpoch = epochJoules.count == epochSeconds.count ? epochJoules : nil
        guard
            var prediction = RunPrediction.make(
                epochSeconds: epochSeconds, epochJoules: joulesPerEpoch, plannedEpochs: planned, elapsedSeconds: elapsedSeconds,
                epochTrainingSeconds: epochTrainingSeconds)
        else { return nil }
        lastPredictionSeconds = elapsedSeconds
        if joulesPerEpoch != nil, let grams = carbon(of: prediction) { prediction.gramsCO2e = grams }
        latest = prediction
        // The stored prediction is the one made once a tenth of the epochs (at least three)
        // had run, so a report can set an early prediction beside the outcome; the progress
        // line keeps getting fresher ones. It is written once: a write per early epoch would
        // slow exactly the epochs the prediction is fitted on.
        guard !isFrozen, prediction.afterEpoch >= freezeEpoch else { return nil }
        return prediction
    }

    /// Records that the frozen prediction is stored, so it is not written again.
    mutating func markFrozen() {
        isFrozen = true
    }

    /// The CO2e range of a predicted energy range.
    private func carbon(of prediction: RunPrediction) -> PredictedRange? {
        guard let calculator else { return nil }
        // The provenance is only known when the monitor stops; the wider, estimated band
        // keeps the predicted interval honest meanwhile.
        let basis = EnergyProvenance.estimated
        let low = try? calculator.estimate(joules: prediction.joules.low, basis: basis, runSeconds: prediction.seconds.low)
        let mid = try? calculator.estimate(joules: prediction.joules.predicted, basis: basis, runSeconds: prediction.seconds.predicted)
        let high = try? calculator.estimate(joules: prediction.joules.high, basis: basis, runSeconds: prediction.seconds.high)
        guard let low, let mid, let high else { return nil }
        return PredictedRange(predicted: mid.gramsCO2e, low: low.lowGramsCO2e, high: high.highGramsCO2e)
    }
}
