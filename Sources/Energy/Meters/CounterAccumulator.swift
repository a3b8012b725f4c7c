/// Turns successive readings of a cumulative hardware counter into joules, losing only the
/// interval of a counter that misbehaves.
///
/// A reading below the previous one is a wrap when the modulus is known (RAPL's
/// `max_energy_range_uj`) and the wrap implies a plausible power. Without a modulus, the ranges
/// RAPL documents (`guessedRanges`) are tried: a wrap is chosen when one implies a plausible
/// power, near what the zone drew so far. Anything else (a reset, a step back, a leap implying
/// more than `peakWatts`) loses that interval only: the counter is re-baselined at the new
/// value and counting goes on; the lost interval is bridged from the zone's power before and
/// after it. A failed read is retried at the next reading; when the counter reads again, the
/// energy it counted meanwhile is kept if it is plausible and no wrap can have been missed,
/// and bridged otherwise.
struct CounterAccumulator {
    /// Joules per count (1e-6 for `energy_uj`, the PMU's `.scale` for perf, 1e-3 for NVML).
    let joulesPerCount: Double
    /// Wrap modulus in counts, when known.
    let rangeCounts: UInt64?
    /// Moduli to try when the counter goes backwards and `rangeCounts` is unknown, in counts
    /// (only RAPL's `energy_uj` has them, whose counts are microjoules).
    let guessedRanges: [GuessedRange]
    let peakWatts: Double
    private(set) var lastCounts: UInt64?
    private(set) var lastSeconds: Double = 0
    /// Counted and bridged joules.
    private(set) var joules: Double = 0
    /// The first `keptIncidents` incidents in detail; later ones once closed are folded into
    /// `folded`, so a counter that fails every other read over a week stays a few numbers.
    private(set) var incidents: [CounterIncident] = []
    private(set) var folded = FoldedIncidents()
    /// The zone's power over the latest window of at least `windowSeconds`.
    private(set) var recentWatts: Double?
    /// The highest power over any such window: what a gap can have held at most.
    private(set) var peakObservedWatts = 0.0
    private var windowStart: (joules: Double, seconds: Double)?
    /// The incident waiting for the power after it to be bridged.
    private var awaitingBridge: Int?
    /// The read-failure incident still open.
    private var failing: Int?

    /// RAPL updates its counters about every millisecond, so a poll right after an update can
    /// see a millisecond of energy over a few microseconds; power is judged over at least this.
    static let minimumJudgedSeconds = 0.01
    /// Power either side of a gap is measured over at least this long, so one RAPL update more
    /// or less moves it by a few percent at most.
    static let windowSeconds = 0.05
    /// Incidents noted one by one per zone; the rest are summed.
    static let keptIncidents = 20

    init(joulesPerCount: Double, rangeCounts: UInt64?, peakWatts: Double, guessedRanges: [GuessedRange] = []) {
        self.joulesPerCount = joulesPerCount
        self.rangeCounts = rangeCounts.flatMap { $0 > 0 ? $0 : nil }
        self.peakWatts = peakWatts
        self.guessedRanges = self.rangeCounts == nil ? guessedRanges : []
    }

    /// Whether the latest read failed.
    var isFailing: Bool { failing != nil }

    /// Joules bridged so far, and the seconds the bridges cover.
    var bridged: (joules: Double, seconds: Double) {
        incidents.reduce((folded.bridgedJoules, folded.bridgedSeconds)) { ($0.0 + ($1.bridgedJoules ?? 0), $0.1 + $1.bridgedSeconds) }
    }

    /// Longest gap across which a counter may have wrapped unseen.
    var wrapBoundSeconds: Double {
        guard let smallest = rangeCounts ?? guessedRanges.first.map(\.microjoules) else { return .infinity }
        return Double(smallest) * joulesPerCount / peakWatts / 2
    }

    /// Adds a reading taken at monotonic time `seconds`.
    ///
    /// - Returns: the energy counted (0 for the first reading or a lost interval) and what
    ///   happened, if anything worth a note.
    mutating func ingest(counts: UInt64, atSeconds seconds: Double) -> (joules: Double, event: ZoneEvent?) {
        guard let previous = lastCounts else {
            rebaseline(counts: counts, seconds: seconds)
            return (0, nil)
        }
        let elapsedSeconds = max(seconds - lastSeconds, 0)
        let judgedSeconds = max(elapsedSeconds, Self.minimumJudgedSeconds)
        if let open = failing {
            failing = nil
            incidents[open].toSeconds = seconds
            if !incidents[open].lostEnergy, elapsedSeconds <= wrapBoundSeconds,
                let delta = plausibleDelta(from: previous, to: counts, judgedSeconds: judgedSeconds)
            {
                // The hardware kept counting while the file could not be read.
                incidents[open].countedJoules = delta.joules
                incidents[open].bridgedJoules = 0
                closed(open)
                count(delta.joules, atSeconds: seconds, counts: counts)
                return (delta.joules, .readAgain)
            }
            if plausibleDelta(from: previous, to: counts, judgedSeconds: judgedSeconds) == nil {
                incidents[open].laterKinds.append(anomaly(from: previous, to: counts, elapsedSeconds: elapsedSeconds))
            }
            incidents[open].lostSeconds += elapsedSeconds
            awaitingBridge = open
            rebaseline(counts: counts, seconds: seconds)
            return (0, .readAgain)
        }
        if let delta = plausibleDelta(from: previous, to: counts, judgedSeconds: judgedSeconds) {
            var event: ZoneEvent?
            if let range = delta.guessed {
                let watts = delta.joules / judgedSeconds
                incidents.append(
                    CounterIncident(
                        kind: .wrapWithoutRange(range: range, watts: watts), fromSeconds: lastSeconds, toSeconds: seconds,
                        countedJoules: delta.joules, bridgedJoules: 0))
                closed(incidents.count - 1)
                event = .wrappedWithoutRange(rangeJoules: Double(range.microjoules) * 1e-6)
            } else if delta.wrapped {
                event = .wrapped
            }
            count(delta.joules, atSeconds: seconds, counts: counts)
            return (delta.joules, event)
        }
        let kind = anomaly(from: previous, to: counts, elapsedSeconds: elapsedSeconds)
        if let waiting = awaitingBridge {
            // A second mishap before the first could be bridged: one incident, both intervals
            // lost (what was counted between them stays counted).
            incidents[waiting].laterKinds.append(kind)
            incidents[waiting].toSeconds = seconds
            incidents[waiting].lostSeconds += elapsedSeconds
        } else {
            incidents.append(
                CounterIncident(
                    kind: kind, fromSeconds: lastSeconds, toSeconds: seconds, lostSeconds: elapsedSeconds, wattsBefore: recentWatts))
            awaitingBridge = incidents.count - 1
        }
        rebaseline(counts: counts, seconds: seconds)
        return (0, .lost(kind))
    }

    /// Records a failed read at monotonic time `seconds`.
    ///
    /// - Returns: `.readFailed` when the counter was readable until now, nil while it stays unreadable.
    mutating func failRead(atSeconds seconds: Double, reason: String) -> ZoneEvent? {
        guard failing == nil, lastCounts != nil else { return nil }
        if let waiting = awaitingBridge {
            // The gap being bridged goes on until the counter reads again.
            awaitingBridge = nil
            incidents[waiting].laterKinds.append(.readFailure(reason: reason))
            incidents[waiting].toSeconds = nil
            failing = waiting
        } else {
            incidents.append(CounterIncident(kind: .readFailure(reason: reason), fromSeconds: lastSeconds, wattsBefore: recentWatts))
            failing = incidents.count - 1
        }
        return .readFailed(reason: reason)
    }

    /// Bridges whatever is still open when the run ends at monotonic time `seconds`: a gap
    /// waiting for the power after it, or a counter that never read again.
    mutating func settle(atSeconds seconds: Double) {
        if let open = failing {
            failing = nil
            incidents[open].unreadableToTheEnd = true
            incidents[open].lostSeconds += max(seconds - lastSeconds, 0)
            bridge(open, wattsAfter: nil)
        }
        if let waiting = awaitingBridge {
            awaitingBridge = nil
            var after: Double?
            if let start = windowStart, seconds - start.seconds >= Self.minimumJudgedSeconds {
                after = (joules - start.joules) / (seconds - start.seconds)
            }
            bridge(waiting, wattsAfter: after)
        }
    }

    // MARK: Steps

    /// The energy from `previous` to `counts` when it is plausible: counted forward, or one
    /// wrap at the known range or at a guessed one.
    private func plausibleDelta(from previous: UInt64, to counts: UInt64, judgedSeconds: Double)
        -> (joules: Double, wrapped: Bool, guessed: GuessedRange?)?
    {
        func plausible(_ joules: Double) -> Bool {
            let watts = joules / judgedSeconds
            return watts.isFinite && watts <= peakWatts
        }
        if counts >= previous {
            let joules = Double(counts - previous) * joulesPerCount
            return plausible(joules) ? (joules, false, nil) : nil
        }
        if let range = rangeCounts {
            guard previous <= range else { return nil }
            let joules = Double((range - previous) + counts) * joulesPerCount
            return plausible(joules) ? (joules, true, nil) : nil
        }
        // A wrap at a guessed range must also look like the zone: at most ten times the most
        // it drew so far (a reset that happens to land near some range must not pass for one).
        let ceiling = peakObservedWatts > 0 ? min(peakWatts, 10 * max(peakObservedWatts, 10)) : peakWatts
        let candidates = guessedRanges.compactMap { range -> (joules: Double, range: GuessedRange)? in
            let rangeCounts = range.microjoules
            guard previous <= rangeCounts else { return nil }
            let joules = Double((rangeCounts - previous) + counts) * joulesPerCount
            let watts = joules / judgedSeconds
            return watts.isFinite && watts <= ceiling ? (joules, range) : nil
        }
        // Several would fit only for nearly equal ranges; the power nearest the zone's wins.
        let reference = recentWatts ?? 0
        guard let best = candidates.min(by: { abs($0.joules / judgedSeconds - reference) < abs($1.joules / judgedSeconds - reference) })
        else { return nil }
        return (best.joules, true, best.range)
    }

    /// What an implausible reading was.
    private func anomaly(from previous: UInt64, to counts: UInt64, elapsedSeconds: Double) -> CounterIncident.Kind {
        let judgedSeconds = max(elapsedSeconds, Self.minimumJudgedSeconds)
        if counts >= previous {
            let joules = Double(counts - previous) * joulesPerCount
            return .jump(joules: joules, watts: joules / judgedSeconds, overSeconds: elapsedSeconds)
        }
        let now = Double(counts) * joulesPerCount
        // Near zero: no more than the zone could have counted since restarting within the
        // interval (twice its highest power so far, or the peak bound before any is known).
        let restartWatts = peakObservedWatts > 0 ? 2 * peakObservedWatts : peakWatts
        if now <= restartWatts * judgedSeconds {
            return .reset(fromJoules: Double(previous) * joulesPerCount, toJoules: now)
        }
        var wrapWatts: Double?
        let ranges = rangeCounts.map { [$0] } ?? guessedRanges.map(\.microjoules)
        for range in ranges where previous <= range {
            let watts = Double((range - previous) + counts) * joulesPerCount / judgedSeconds
            wrapWatts = min(wrapWatts ?? watts, watts)
        }
        return .stepBack(joules: Double(previous - counts) * joulesPerCount, wrapWatts: wrapWatts)
    }

    /// Adds counted energy and updates the zone's power, closing a bridge once the power after
    /// the gap is known.
    private mutating func count(_ added: Double, atSeconds seconds: Double, counts: UInt64) {
        joules += added
        lastCounts = counts
        lastSeconds = seconds
        guard let start = windowStart else {
            windowStart = (joules, seconds)
            return
        }
        let span = seconds - start.seconds
        guard span >= Self.windowSeconds else { return }
        let watts = (joules - start.joules) / span
        recentWatts = watts
        peakObservedWatts = max(peakObservedWatts, watts)
        windowStart = (joules, seconds)
        if let waiting = awaitingBridge {
            awaitingBridge = nil
            bridge(waiting, wattsAfter: watts)
            windowStart = (joules, seconds)
        }
    }

    private mutating func rebaseline(counts: UInt64, seconds: Double) {
        lastCounts = counts
        lastSeconds = seconds
        windowStart = (joules, seconds)
    }

    /// Bridges an incident's gap with the mean of the power either side (one side when the other
    /// is unknown).
    private mutating func bridge(_ index: Int, wattsAfter: Double?) {
        let gap = incidents[index].lostSeconds
        let before = incidents[index].wattsBefore
        incidents[index].wattsAfter = wattsAfter
        let known = [before, wattsAfter].compactMap { $0 }
        let watts = known.isEmpty ? 0 : known.reduce(0, +) / Double(known.count)
        let bridged = watts * gap
        incidents[index].bridgedJoules = bridged
        incidents[index].bridgedSeconds = gap
        joules += bridged
        closed(index)
    }

    /// Folds a closed incident past the first `keptIncidents`. Only one incident is open at a
    /// time and it is the one closing, so removing it shifts no open index.
    private mutating func closed(_ index: Int) {
        guard index >= Self.keptIncidents, incidents.indices.contains(index) else { return }
        let incident = incidents.remove(at: index)
        folded.count += 1
        folded.bridgedJoules += incident.bridgedJoules ?? 0
        folded.bridgedSeconds += incident.bridgedSeconds
        folded.countedJoules += incident.countedJoules
        folded.lastSeconds = max(folded.lastSeconds, incident.toSeconds ?? incident.fromSeconds)
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
