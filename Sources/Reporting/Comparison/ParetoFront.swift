import Statistics

/// The Pareto front of quality against cost: the configurations no other one beats — where
/// "beats" is claimed only as far as the repeats support it.
public enum ParetoFront {
    /// The indices no other index dominates.
    ///
    /// - Parameters:
    ///   - count: How many candidates.
    ///   - dominates: Whether the first candidate dominates the second.
    /// - Returns: Indices of the undominated candidates.
    public static func indices(count: Int, dominates: (Int, Int) -> Bool) -> Set<Int> {
        Set((0..<count).filter { index in !(0..<count).contains { $0 != index && dominates($0, index) } })
    }

    /// Whether configuration A dominates configuration B.
    ///
    /// A dominates B only when A's quality is at least as good, A's cost is not distinguishably
    /// higher, and A is distinguishably cheaper or strictly better. Without a cost interval
    /// (one run on either side) nothing can be claimed, so nothing dominates.
    ///
    /// - Parameters:
    ///   - quality: A's central quality.
    ///   - otherQuality: B's central quality.
    ///   - higherIsBetter: True for accuracy or R², false for an error such as MSE.
    ///   - costRatio: A's cost over B's, with its interval.
    /// - Returns: True when A dominates B.
    public static func dominates(quality: Double, over otherQuality: Double, higherIsBetter: Bool, costRatio: RatioInterval?) -> Bool {
        guard let costRatio, costRatio.hasInterval, quality.isFinite, otherQuality.isFinite else { return false }
        let better = higherIsBetter ? quality > otherQuality : quality < otherQuality
        let asGood = better || quality == otherQuality
        guard asGood, !costRatio.isDistinguishablyAboveOne else { return false }
        return costRatio.isDistinguishablyBelowOne || better
    }

    /// The front of candidates given by their repeats' costs and central qualities.
    ///
    /// - Parameters:
    ///   - costSamples: Each candidate's positive costs, one per run (joules, grams).
    ///   - qualities: Each candidate's central quality, same count.
    ///   - higherIsBetter: True for accuracy or R², false for an error such as MSE.
    /// - Returns: Indices of the candidates on the front; a candidate without a valid cost or a
    ///   finite quality is never on it.
    public static func indices(costSamples: [[Double]], qualities: [Double], higherIsBetter: Bool) -> Set<Int> {
        let valid = (0..<min(costSamples.count, qualities.count)).filter {
            qualities[$0].isFinite && RepeatStatistics.logNormalInterval(costSamples[$0]) != nil
        }
        let front = indices(count: valid.count) { a, b in
            let (i, j) = (valid[a], valid[b])
            return dominates(
                quality: qualities[i], over: qualities[j], higherIsBetter: higherIsBetter,
                costRatio: RepeatStatistics.ratio(costSamples[i], to: costSamples[j]))
        }
        return Set(front.map { valid[$0] })
    }
}
