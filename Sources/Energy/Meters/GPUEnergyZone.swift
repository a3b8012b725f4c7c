/// One GPU's energy, as the GPU meters (NVML, AMD SMI) read it: the driver's energy counter,
/// checked against the GPU's power sensor, or where there is no counter the sensor alone,
/// sampled at every poll and integrated with the trapezoid rule.
///
/// A GPU counter refreshes more slowly than RAPL (NVML about every 100 ms), so a reading equal
/// to the previous one is not yet a stopped counter. It becomes one when it has stood still for
/// ``stallSeconds`` while the power sensor reads at least ``stallWatts``. The zone then records a
/// read-failure incident from the counter's last advance and bridges the gap with the power
/// sensor, sampled at every poll and integrated (the first sample taken back to the last
/// advance), so the run is marked as bridged rather than counting the GPU as idle. If the
/// counter moves again it is re-baselined there and counted from then on; what it shows across
/// the gap is not added, since the sensor already bridged it.
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
    /// The stop being bridged by the sensor, and the sensor's samples since.
    private var stall: (incident: CounterIncident, sensor: PowerIntegrator, leadJoules: Double)?
    /// Joules and incidents of counters replaced after a stop (the counter that moved again
    /// starts a new accumulator).
    private var carriedJoules = 0.0
    private var carriedIncidents: [CounterIncident] = []

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
        guard let current = counter else { return nil }
        if var open = stall {
            guard counts == current.lastCounts else {
                // Moving again: the gap stays bridged by the sensor, counting restarts here.
                open.incident.toSeconds = seconds
                closeStall(open, atSeconds: seconds)
                carriedJoules += current.joules
                carriedIncidents += current.incidents
                var fresh = CounterAccumulator(joulesPerCount: current.joulesPerCount, rangeCounts: nil, peakWatts: current.peakWatts)
                _ = fresh.ingest(counts: counts, atSeconds: seconds)
                counter = fresh
                return .readAgain
            }
            if let watts = sensorWatts() { _ = open.sensor.ingest(watts: watts, atSeconds: seconds) }
            stall = open
            closeStall(open, atSeconds: seconds, stillOpen: true)
            return nil
        }
        if let last = current.lastCounts, counts == last {
            // Deferred rather than counted: the interval is counted whole when the counter moves.
            let stillSeconds = seconds - current.lastSeconds
            guard stillSeconds >= Self.stallSeconds, let watts = sensorWatts(), watts >= Self.stallWatts else { return nil }
            let reason =
                "its energy counter stood still for \(MeterProbe.format(stillSeconds)) s while its power sensor read \(MeterProbe.format(watts)) W: the counter stopped; the gap is bridged with the power sensor"
            var sensor = PowerIntegrator()
            _ = sensor.ingest(watts: watts, atSeconds: seconds)
            // No power before: the bridge is the sensor's, whose latest reading is the power after.
            let incident = CounterIncident(kind: .readFailure(reason: reason), fromSeconds: current.lastSeconds)
            let open = (incident: incident, sensor: sensor, leadJoules: watts * stillSeconds)
            stall = open
            closeStall(open, atSeconds: seconds, stillOpen: true)
            return .readFailed(reason: reason)
        }
        var counter = current
        defer { self.counter = counter }
        return counter.ingest(counts: counts, atSeconds: seconds).event
    }

    /// Brings the stop's incident up to `seconds`: the sensor's energy since the last advance.
    /// A closed stop moves into the carried incidents; an open one stays in `stall`.
    private mutating func closeStall(
        _ open: (incident: CounterIncident, sensor: PowerIntegrator, leadJoules: Double), atSeconds seconds: Double,
        stillOpen: Bool = false
    ) {
        var open = open
        // The latest sample holds until `seconds` (the sensor may have failed since).
        let tail = (open.sensor.lastWatts ?? 0) * max(seconds - open.sensor.lastSeconds, 0)
        open.incident.lostSeconds = seconds - open.incident.fromSeconds
        open.incident.bridgedSeconds = open.incident.lostSeconds
        open.incident.bridgedJoules = open.leadJoules + open.sensor.joules + tail
        open.incident.wattsAfter = open.sensor.lastWatts
        if stillOpen {
            stall = open
        } else {
            stall = nil
            carriedIncidents.append(open.incident)
            carriedJoules += open.incident.bridgedJoules ?? 0
        }
    }

    /// Records a counter reading that failed at monotonic time `seconds`.
    mutating func failRead(atSeconds seconds: Double, reason: String) -> ZoneEvent? {
        // A stopped counter that also fails to answer stays bridged by its sensor.
        guard stall == nil else { return nil }
        return counter?.failRead(atSeconds: seconds, reason: reason)
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
        if var open = stall {
            open.incident.unreadableToTheEnd = true
            closeStall(open, atSeconds: seconds)
        }
        counter?.settle(atSeconds: seconds)
    }

    /// Copies the joules and the counter's state into `zone`.
    func update(_ zone: inout MeterZone) {
        if let counter {
            zone.update(from: counter)
            zone.joules += carriedJoules + (stall?.incident.bridgedJoules ?? 0)
            zone.incidents = carriedIncidents + zone.incidents + (stall.map { [$0.incident] } ?? [])
            zone.unreadable = zone.unreadable || stall != nil
        } else {
            zone.joules = integrator.joules
            zone.unreadable = powerUnreadable
        }
    }
}

extension GPUEnergyZone {
    /// What one read of a GPU's energy counter gave.
    enum CounterRead {
        case counts(UInt64)
        /// The library's words for the failure.
        case failed(String)
    }

    /// Polls every zone of a GPU meter alike, whatever the vendor's library: sampled power for
    /// a zone without a counter, else its counter (the power sensor consulted while the counter
    /// stands still; a failed read noted and retried at the next poll).
    ///
    /// - Parameters:
    ///   - energies: The zones' energy, in `zones`' order.
    ///   - zones: The meter's zones, updated from their energy.
    ///   - seconds: Monotonic time of the poll.
    ///   - counter: Reads zone N's energy counter.
    ///   - watts: Reads zone N's power sensor; nil when it cannot be read.
    /// - Returns: What happened, as (zone index, event) pairs.
    static func poll(
        _ energies: inout [GPUEnergyZone], zones: inout [MeterZone], atSeconds seconds: Double, counter: (Int) -> CounterRead,
        watts: (Int) -> Double?
    ) -> [(zone: Int, event: ZoneEvent)] {
        var events: [(zone: Int, event: ZoneEvent)] = []
        for index in zones.indices where energies.indices.contains(index) {
            if energies[index].samplesPower {
                energies[index].ingest(watts: watts(index), atSeconds: seconds)
            } else {
                let event: ZoneEvent?
                switch counter(index) {
                case .counts(let counts): event = energies[index].ingest(counts: counts, atSeconds: seconds) { watts(index) }
                case .failed(let reason): event = energies[index].failRead(atSeconds: seconds, reason: reason)
                }
                if let event { events.append((index, event)) }
            }
            energies[index].update(&zones[index])
        }
        return events
    }

    /// Bridges every gap still open at monotonic time `seconds`, for each zone.
    static func settle(_ energies: inout [GPUEnergyZone], zones: inout [MeterZone], atSeconds seconds: Double) {
        for index in zones.indices where energies.indices.contains(index) {
            energies[index].settle(atSeconds: seconds)
            energies[index].update(&zones[index])
        }
    }
}
