/// A predicted total for a run in progress, with the interval it is likely to fall in.
public struct PredictedRange: Sendable, Codable, Equatable {
    public var predicted: Double
    public var low: Double
    public var high: Double

    /// A predicted figure and its interval.
    public init(predicted: Double, low: Double, high: Double) {
        self.predicted = predicted
        self.low = low
        self.high = high
    }
}

/// The whole run's time, energy and CO2e as predicted after some epochs.
public struct RunPrediction: Sendable, Codable, Equatable {
    /// The last epoch the prediction uses.
    public var afterEpoch: Int
    public var plannedEpochs: Int
    public var seconds: PredictedRange
    public var joules: PredictedRange
    public var gramsCO2e: PredictedRange?
    /// How it was made, in words.
    public var method: String

    /// The epoch after which a run's prediction is kept as its record: a tenth of the planned
    /// epochs, at least three, so that a report can set an early prediction beside the outcome.
    ///
    /// - Parameter plannedEpochs: The epochs the run means to train.
    /// - Returns: max(3, ⌈plannedEpochs / 10⌉).
    public static func freezeEpoch(plannedEpochs: Int) -> Int {
        max(3, (plannedEpochs + 9) / 10)
    }

    /// Predicts the whole run from the epochs so far, with a 95% prediction interval for what
    /// remains.
    ///
    /// The total is what has been spent plus the remaining k epochs at the *recent level* L (the
    /// mean of the later half of epochs 2…n; epoch 1 carries the set-up and warm-up) plus the
    /// work after the last epoch. The interval widens that in four ways, each measured:
    ///
    /// - **Noise:** a Student-t interval on the level's mean, t·s·√(1/m + 1/k) for the m epochs
    ///   of the level, capped at a factor of 2.
    /// - **Drift:** the Theil–Sen slope of log epoch cost over epochs 2…n, shrunk by two of its
    ///   standard errors (so noise alone extrapolates nothing), carried to the middle of the
    ///   remaining epochs, at most a factor of 4, on the side it points to.
    /// - **Load shifts:** a factor e^±0.25 either way, since the machine's other work can speed
    ///   a run up or slow it down for good after the first tenth (the fixtures' training-loop
    ///   time per epoch moved by up to about ±20%).
    /// - **Bookkeeping:** the part of an epoch outside the training loop (storing the epoch,
    ///   and until the prediction freezes, the prediction itself) may fall to e^−1.5 ≈ 22% of its
    ///   level; it halves on this tracker when the per-epoch prediction writes stop. Without
    ///   `epochTrainingSeconds`, up to 3 ms of each epoch is taken to be bookkeeping (1–4 ms
    ///   measured on a shared VM).
    ///
    /// Work outside the epochs (saving, final evaluation, stopping the meters) is predicted at
    /// half the set-up time before the first epoch and allowed up to 2.5 times it. Energy takes
    /// the same steps on the epochs' joules, with outside work at the epochs' mean power.
    ///
    /// The constants were set on 116 real runs on a shared 2-core VM and checked on 30 more
    /// recorded after them (`PredictionCoverageTests`, `scripts/collect-prediction-runs.py`):
    /// with `epochTrainingSeconds`, 73 of 76 wall times and 70 of 76 energies fell inside.
    /// Most misses are runs whose epochs grow dearer after the first tenth, as Adam and momentum
    /// state decays into Float32 subnormals, which nothing in the early epochs foretells.
    ///
    /// - Parameters:
    ///   - epochSeconds: Wall seconds of each epoch so far, first to last.
    ///   - epochJoules: Joules of each epoch, when energy is measured (same count).
    ///   - plannedEpochs: The epochs the run means to train.
    ///   - elapsedSeconds: The run's time so far, set-up before epoch 1 included (default: the
    ///     sum of `epochSeconds`, which leaves the work outside epochs unpredicted).
    ///   - epochTrainingSeconds: Seconds of each epoch spent in the training loop itself (the
    ///     sum of its phases), when known; the rest of the epoch is taken to be bookkeeping.
    /// - Returns: nil before the second epoch, when the run is already complete, or when a cost
    ///   is negative or not finite.
    public static func make(
        epochSeconds: [Double], epochJoules: [Double]?, plannedEpochs: Int,
        elapsedSeconds: Double? = nil, epochTrainingSeconds: [Double]? = nil
    ) -> RunPrediction? {
        let done = epochSeconds.count
        guard done >= 2, plannedEpochs > done, epochSeconds.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
        let secondsSoFar = epochSeconds.reduce(0, +)
        let elapsed = elapsedSeconds.map { max($0, secondsSoFar) } ?? secondsSoFar
        let setUpSeconds = elapsed - secondsSoFar
        let trainingShares = epochTrainingSeconds.flatMap { training -> [Double]? in
            guard training.count == done, training.allSatisfy({ $0.isFinite && $0 >= 0 }) else { return nil }
            return zip(training, epochSeconds).map { $1 > 0 ? min(1, $0 / $1) : 1 }
        }
        let remaining = plannedEpochs - done
        let seconds = EpochCostForecast(
            costs: epochSeconds, trainingShares: trainingShares, costPerSecond: 1, remainingEpochs: remaining
        ).range(spent: elapsed, setUpSeconds: setUpSeconds)
        var joules = PredictedRange(predicted: 0, low: 0, high: 0)
        if let epochJoules, epochJoules.count == done, epochJoules.allSatisfy({ $0.isFinite && $0 >= 0 }) {
            let watts = secondsSoFar > 0 ? epochJoules.reduce(0, +) / secondsSoFar : 0
            joules = EpochCostForecast(
                costs: epochJoules, trainingShares: trainingShares, costPerSecond: watts, remainingEpochs: remaining
            ).range(spent: epochJoules.reduce(0, +), setUpSeconds: setUpSeconds)
        }
        let level = EpochCostForecast.levelEpochs(done: done)
        let method =
            "epochs \(level.lowerBound + 1)–\(level.upperBound) level × \(remaining) to go; 95% interval: "
            + "t on the level, drift of epochs \(EpochCostForecast.fittedEpochs(done: done).lowerBound + 1)–\(done), "
            + "±25% load, bookkeeping may fall, end work ≤ 2.5× set-up"
        return RunPrediction(
            afterEpoch: done, plannedEpochs: plannedEpochs, seconds: seconds, joules: joules, gramsCO2e: nil,
            method: method)
    }
}
