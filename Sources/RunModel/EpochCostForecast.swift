import Foundation
import Statistics

/// The cost (seconds or joules) of a run's remaining epochs, with a 95% prediction interval;
/// the method is described on `RunPrediction.make`.
struct EpochCostForecast {
    /// Each epoch's cost so far, first to last.
    let costs: [Double]
    /// The share of each epoch spent in the training loop, or nil when unknown.
    let trainingShares: [Double]?
    /// Cost of one second of work outside the training loop: 1 for seconds, the mean watts for
    /// joules.
    let costPerSecond: Double
    let remainingEpochs: Int

    /// Load shifts after the first tenth of a run, either way, in log units: the compute part of
    /// the fixture runs' epochs moved by up to ±0.2 when their optimizer state stayed normal.
    static let loadShiftLog = 0.25
    /// How far, in log units, the bookkeeping outside the training loop may fall: on this
    /// tracker it halves once the prediction freezes (the fixtures: ×0.26–×0.6).
    static let bookkeepingFallLog = 1.5
    /// Bookkeeping assumed in each epoch when the training loop's own seconds are unknown: the
    /// fixtures' tracker spends 1–4 ms per epoch storing the epoch and the prediction.
    static let assumedBookkeepingSeconds = 0.003
    /// The noise term alone never widens the interval by more than this factor (log units);
    /// with two epochs to go on, t has one degree of freedom and is 12.7.
    static let noiseCapLog = log(2.0)
    /// The drift allowance is at most a factor of 4 (log units).
    static let driftCapLog = log(4.0)
    /// A slope counts as drift only beyond this many of its standard errors.
    static let slopeThreshold = 2.0
    /// Work after the last epoch, against the set-up before the first: predicted and at most.
    static let endWorkPredicted = 0.5
    static let endWorkMost = 2.5

    /// Epochs (0-based, half-open) the slope is fitted on: all but the first once three exist,
    /// since the first carries the set-up and warm-up.
    static func fittedEpochs(done: Int) -> Range<Int> {
        done >= 3 ? 1..<done : 0..<done
    }

    /// Epochs (0-based, half-open) the level is the mean of: the later half of the fitted
    /// epochs, at least two.
    static func levelEpochs(done: Int) -> Range<Int> {
        let fitted = fittedEpochs(done: done)
        let count = min(fitted.count, max(2, (fitted.count + 1) / 2))
        return (fitted.upperBound - count)..<fitted.upperBound
    }

    /// The whole run's cost: what was spent, the remaining epochs, and the work after them.
    ///
    /// - Parameters:
    ///   - spent: The cost so far, set-up included.
    ///   - setUpSeconds: Seconds of the run outside its epochs so far.
    /// - Returns: The predicted total and its 95% interval.
    func range(spent: Double, setUpSeconds: Double) -> PredictedRange {
        let done = costs.count
        let k = Double(remainingEpochs)
        let levelRange = Self.levelEpochs(done: done)
        let level = Self.mean(costs[levelRange])
        let endWork = setUpSeconds * costPerSecond
        guard level > 0 else {
            return PredictedRange(predicted: spent + Self.endWorkPredicted * endWork, low: spent, high: spent + Self.endWorkMost * endWork)
        }
        let training = trainingCosts()
        let trainingLevel = Self.mean(training[levelRange])
        let bookkeepingLevel = level - trainingLevel
        let noise = noiseLog(training: Array(training[levelRange]), level: trainingLevel)
        let drift = driftLog(level: level, levelRange: levelRange)
        let up = hypot(noise, max(drift, 0)) + Self.loadShiftLog
        let down = hypot(noise, max(-drift, 0)) + Self.loadShiftLog
        let low = k * (trainingLevel * exp(-down) + bookkeepingLevel * exp(-Self.bookkeepingFallLog))
        let high = k * level * exp(up)
        return PredictedRange(
            predicted: spent + k * level + Self.endWorkPredicted * endWork,
            low: spent + low,
            high: spent + high + Self.endWorkMost * endWork)
    }

    /// Each epoch's cost in the training loop: its share when known, else all but the assumed
    /// bookkeeping.
    private func trainingCosts() -> [Double] {
        if let trainingShares {
            return zip(costs, trainingShares).map { $0 * min(1, max(0, $1)) }
        }
        let bookkeeping = Self.assumedBookkeepingSeconds * costPerSecond
        return costs.map { max(0, $0 - bookkeeping) }
    }

    /// Log half-width for the noise: a t-interval on the mean of the remaining epochs, from
    /// the level's m epochs, t·s·√(1/m + 1/k) relative to the level.
    private func noiseLog(training: [Double], level: Double) -> Double {
        guard level > 0, training.count >= 2 else { return 0 }
        let m = Double(training.count)
        let deviation = Self.standardDeviation(training)
        let relative =
            Self.studentT975(degreesOfFreedom: training.count - 1) * deviation / level
            * (1 / m + 1 / Double(remainingEpochs)).squareRoot()
        return min(Self.noiseCapLog, log1p(relative))
    }

    /// Signed log drift from the level to the middle of the remaining epochs: the Theil–Sen
    /// slope of log cost over the fitted epochs, less two of its standard errors (0 when within
    /// them), capped. Needs four fitted epochs.
    private func driftLog(level: Double, levelRange: Range<Int>) -> Double {
        let fitted = Self.fittedEpochs(done: costs.count)
        guard fitted.count >= 4 else { return 0 }
        let xs = fitted.map(Double.init)
        // A zero-cost epoch (a meter that did not tick) would have log −∞; 1% of the level
        // bounds it without letting it dominate.
        let ys = fitted.map { log(max(costs[$0], level / 100)) }
        let slope = Self.theilSenSlope(xs: xs, ys: ys)
        let intercept = Self.median(zip(xs, ys).map { $1 - slope * $0 })
        // Residual scale from the median absolute residual (1.4826 makes it σ for normal noise).
        let scale = 1.4826 * Self.median(zip(xs, ys).map { abs($1 - intercept - slope * $0) })
        let meanX = xs.reduce(0, +) / Double(xs.count)
        let spread = xs.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
        let standardError = scale / spread.squareRoot()
        let significant = max(0, abs(slope) - Self.slopeThreshold * standardError)
        let levelCentre = Double(levelRange.lowerBound + levelRange.upperBound - 1) / 2
        let remainingCentre = Double(costs.count - 1) + (Double(remainingEpochs) + 1) / 2
        let drift = (slope < 0 ? -significant : significant) * (remainingCentre - levelCentre)
        return min(Self.driftCapLog, max(-Self.driftCapLog, drift))
    }

    static func mean<C: Collection>(_ values: C) -> Double where C.Element == Double {
        values.isEmpty ? 0 : values.reduce(0, +) / Double(values.count)
    }

    /// Sample standard deviation (n − 1).
    static func standardDeviation(_ values: [Double]) -> Double {
        guard values.count >= 2 else { return 0 }
        let mean = mean(values)
        return (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)).squareRoot()
    }

    static func median(_ values: [Double]) -> Double { RepeatStatistics.median(values) ?? 0 }

    /// Most points the pairwise slopes use: beyond it the points are thinned evenly, so a
    /// prediction stays O(1) per epoch instead of O(n²) (a 600-epoch run spent seconds here).
    static let slopePointLimit = 64

    /// The median of the slopes between every pair of points (Theil 1950, Sen 1968): robust to
    /// the odd slow epoch. More than ``slopePointLimit`` points are thinned evenly first.
    static func theilSenSlope(xs: [Double], ys: [Double]) -> Double {
        if xs.count > slopePointLimit {
            let picks = (0..<slopePointLimit).map { $0 * (xs.count - 1) / (slopePointLimit - 1) }
            return theilSenSlope(xs: picks.map { xs[$0] }, ys: picks.map { ys[$0] })
        }
        var slopes: [Double] = []
        slopes.reserveCapacity(xs.count * (xs.count - 1) / 2)
        for i in xs.indices {
            for j in xs.indices where j > i && xs[j] != xs[i] {
                slopes.append((ys[j] - ys[i]) / (xs[j] - xs[i]))
            }
        }
        return median(slopes)
    }

    /// Two-sided 95% quantiles of Student's t for 1–30 degrees of freedom (any statistics
    /// table, e.g. NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2).
    private static let t975: [Double] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
        2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086,
        2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]

    /// t₀.₉₇₅ with ν degrees of freedom: the table to 30, then the Cornish–Fisher expansion
    /// about the normal quantile (Abramowitz & Stegun 26.7.5), exact to 0.001 there.
    static func studentT975(degreesOfFreedom: Int) -> Double {
        guard degreesOfFreedom > 30 else { return t975[max(1, degreesOfFreedom) - 1] }
        let z = 1.959964, nu = Double(degreesOfFreedom)
        let z3 = z * z * z, z5 = z3 * z * z
        return z + (z3 + z) / (4 * nu) + (5 * z5 + 16 * z3 + 3 * z) / (96 * nu * nu)
    }
}
