/// One GPU's energy, as the GPU meters (NVML, AMD SMI) read it: the driver's energy counter,
/// checked against the GPU's power sensor, or where there is no counter the sensor alone,
/// sampled at every poll and integrated with the trapezoid rule.
///
/// A GPU counter refreshes more slowly than RAPL (NVML about every 100 ms), so a reading equal
/// to the previous one is not yet a stopped counter. It becomes one when it has stood still for
/// ``stallSeconds`` while the power sensor reads at least ``stallWatts``: the counter is then
/// treated as unreadable from its last advance (the gap is bridged from the power before it and
/// marked, as for any counter that stops answering), and counted again if it moves again.
struct GPUEnergyZone {
    /// How long a counter may stand still under load before it counts as stopped: ten NVML
    /// refresh periods, and well above AMD's.
    static let stallSeconds = 1.0
    /// Power under which a still counter is plausible (an idle or powered-down die).
    static let stallWatts = 1.0

    /// The energy counter; nil when the zone samples power.
    private(set) var counter: CounterAccumulator?
    private var integrator = PowerIntegrator()
    /// Whether the latest power sample failed (power-sampled zones).
    private var powerUnreadable = false

    /// A zone read through its energy counter, `joulesPerCount` joules a count.
    init(joulesPerCount: Double, peakWatts: Double) {
        counter = CounterAccumulator(joulesPerCount: joulesPerCount, rangeCounts: nil, peakWatts: peakWatts)
    }

    /// A zone read through its power sensor only.
    init() {}

    var samplesPower: Bool { counter == nil }

    /// Adds a counter reading taken at monotonic time `seconds`.
    ///
    /// - Parameters:
    ///   - counts: The counter's value.
    ///   - sensorWatts: Reads the power sensor; called only while the counter stands still.
    /// - Returns: What happened, if anything worth a note.
    mutating func ingest(counts: UInt64, atSeconds seconds: Double, sensorWatts: () -> Double?) -> ZoneEvent? {
        guard var counter else { return nil }
        defer { self.counter = counter }
        if let last = counter.lastCounts, counts == last {
            // Deferred rather than counted: the interval is counted whole when the counter moves.
            guard !counter.isFailing else { return nil }
            let stillSeconds = seconds - counter.lastSeconds
            guard stillSeconds >= Self.stallSeconds, let watts = sensorWatts(), watts >= Self.stallWatts else { return nil }
            return counter.failRead(
                atSeconds: seconds,
                reason:
                    "its energy counter stood still for \(MeterProbe.format(stillSeconds)) s while its power sensor read \(MeterProbe.format(watts)) W: the counter stopped"
            )
        }
        return counter.ingest(counts: counts, atSeconds: seconds).event
    }

    /// Records a counter reading that failed at monotonic time `seconds`.
    mutating func failRead(atSeconds seconds: Double, reason: String) -> ZoneEvent? {
        counter?.failRead(atSeconds: seconds, reason: reason)
    }

    /// Adds a power sample taken at monotonic time `seconds` (power-sampled zones); nil when
    /// the sensor could not be read, which is tried again at the next poll and spanned by the
    /// trapezoid.
    mutating func ingest(watts: Double?, atSeconds seconds: Double) {
        powerUnreadable = watts == nil
        guard let watts else { return }
        _ = integrator.ingest(watts: watts, atSeconds: seconds)
    }

    /// Bridges a counter gap still open when the run ends.
    mutating func settle(atSeconds seconds: Double) {
        counter?.settle(atSeconds: seconds)
    }

    /// Copies the joules and the counter's state into `zone`.
    func update(_ zone: inout MeterZone) {
        if let counter {
            zone.update(from: counter)
        } else {
            zone.joules = integrator.joules
            zone.unreadable = powerUnreadable
        }
    }
}
