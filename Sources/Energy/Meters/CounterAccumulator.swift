/// Turns successive readings of a cumulative hardware counter into joules.
///
/// A reading below the previous one is a wrap when the modulus is known (RAPL's
/// `max_energy_range_uj`): the energy is `range − previous + current`. Without a modulus the
/// interval is dropped, since nothing tells how much energy it held. Any interval implying more
/// than `peakWatts` is dropped too: a reset read as a wrap, or a glitch, must never show up as
/// an absurd amount of energy. Only a wrap missed entirely can fool it, which the polling period
/// (`range / peakWatts / 2`) rules out.
struct CounterAccumulator {
    /// Joules per count (1e-6 for `energy_uj`, the PMU's `.scale` for perf, 1e-3 for NVML).
    let joulesPerCount: Double
    /// Wrap modulus in counts, when known.
    let rangeCounts: UInt64?
    let peakWatts: Double
    private(set) var lastCounts: UInt64?
    private(set) var lastSeconds: Double = 0
    private(set) var joules: Double = 0

    /// RAPL updates its counters about every millisecond, so a poll right after an update can
    /// see a millisecond of energy over a few microseconds; power is judged over at least this.
    static let minimumJudgedSeconds = 0.01

    init(joulesPerCount: Double, rangeCounts: UInt64?, peakWatts: Double) {
        self.joulesPerCount = joulesPerCount
        self.rangeCounts = rangeCounts.flatMap { $0 > 0 ? $0 : nil }
        self.peakWatts = peakWatts
    }

    /// Adds a reading taken at monotonic time `seconds`.
    ///
    /// - Returns: the energy added (0 for the first reading or a dropped interval) and what
    ///   happened, if anything worth a note.
    mutating func ingest(counts: UInt64, atSeconds seconds: Double) -> (joules: Double, event: ZoneEvent?) {
        defer {
            lastCounts = counts
            lastSeconds = seconds
        }
        guard let previous = lastCounts else { return (0, nil) }
        let elapsedSeconds = max(seconds - lastSeconds, 0)
        var event: ZoneEvent?
        let deltaCounts: UInt64
        if counts >= previous {
            deltaCounts = counts - previous
        } else if let range = rangeCounts, previous <= range {
            deltaCounts = (range - previous) + counts
            event = .wrapped
        } else {
            return (0, .droppedBackwards(seconds: elapsedSeconds))
        }
        let addedJoules = Double(deltaCounts) * joulesPerCount
        let watts = addedJoules / max(elapsedSeconds, Self.minimumJudgedSeconds)
        if watts > peakWatts || !watts.isFinite {
            return (0, .droppedImplausible(watts: watts, seconds: elapsedSeconds))
        }
        joules += addedJoules
        return (addedJoules, event)
    }
}

/// Integrates sampled power (NVML without an energy counter, the estimate) with the trapezoid rule.
struct PowerIntegrator {
    private(set) var lastWatts: Double?
    private(set) var lastSeconds: Double = 0
    private(set) var joules: Double = 0

    /// Adds a power reading taken at monotonic time `seconds`; returns the joules added.
    mutating func ingest(watts: Double, atSeconds seconds: Double) -> Double {
        defer {
            lastWatts = watts
            lastSeconds = seconds
        }
        guard let previous = lastWatts else { return 0 }
        let added = max(seconds - lastSeconds, 0) * (previous + watts) / 2
        joules += added
        return added
    }
}
