/// A predicted total for a run in progress, with the interval it is likely to fall in.
public struct PredictedRange: Sendable, Codable, Equatable {
    public var predicted: Double
    public var low: Double
    public var high: Double
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

    /// Predicts from per-epoch costs.
    ///
    /// The first epoch is treated as warm-up (caches, page faults, allocations) and left out of
    /// the fit once three or more epochs exist. The remaining k epochs are predicted at the mean
    /// cost m of the fitted epochs, with a half-width of 2·(s·√k + k·s/√n): the spread of a sum
    /// of k epochs plus the uncertainty of the mean itself (s the sample standard deviation of
    /// n fitted epochs), about a 95% interval if epochs vary independently.
    ///
    /// - Returns: nil before the second epoch, or when the run is already complete.
    public static func make(epochSeconds: [Double], epochJoules: [Double]?, plannedEpochs: Int) -> RunPrediction? {
        let done = epochSeconds.count
        guard done >= 2, plannedEpochs > done else { return nil }
        func range(_ values: [Double]) -> PredictedRange {
            let fitted = values.count >= 3 ? Array(values.dropFirst()) : values
            let n = Double(fitted.count)
            let mean = fitted.reduce(0, +) / n
            let variance = fitted.count > 1 ? fitted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
            let deviation = variance.squareRoot()
            let remaining = Double(plannedEpochs - values.count)
            let elapsed = values.reduce(0, +)
            let predicted = elapsed + remaining * mean
            let halfWidth = 2 * (deviation * remaining.squareRoot() + remaining * deviation / n.squareRoot())
            return PredictedRange(predicted: predicted, low: max(elapsed, predicted - halfWidth), high: predicted + halfWidth)
        }
        let joules = epochJoules.map(range) ?? PredictedRange(predicted: 0, low: 0, high: 0)
        return RunPrediction(
            afterEpoch: done, plannedEpochs: plannedEpochs, seconds: range(epochSeconds), joules: joules,
            gramsCO2e: nil,
            method: done >= 3 ? "mean of epochs 2–\(done) (epoch 1 excluded as warm-up), ±2σ" : "mean of epochs 1–\(done), ±2σ")
    }
}
