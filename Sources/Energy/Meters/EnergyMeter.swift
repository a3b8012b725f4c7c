import Vocabulary

/// One zone a meter reports, with the joules it accumulated so far.
struct MeterZone {
    /// "package-0", "dram-1", "gpu-0 (NVIDIA H200)", "cpu" …
    var label: String
    var includedInTotal: Bool
    /// The counter behind the zone, for messages: `/sys/class/powercap/intel-rapl:0/energy_uj`,
    /// `power/energy-psys/ on CPU 0`.
    var counter: String = ""
    /// The GPU index (NVML, AMD SMI, hwmon card) of a device zone, for visible-device rules.
    var deviceIndex: Int?
    /// The kernel driver behind a hwmon zone (`amdgpu`, `xe`, `amd_energy`), whose visible-device
    /// rule and overlap with other meters it decides; nil for other meters.
    var driver: String?
    /// Whether the zone holds CPU or memory energy the estimate can stand in for.
    var isMemory: Bool { label.hasPrefix("dram") || label == "psys" || label == "memory" }
    /// Counted and bridged joules.
    var joules: Double = 0
    /// Whether the latest read failed; the zone is read again at the next poll.
    var unreadable = false
    /// Intervals the counter lost or could not be trusted for, and what was done about them.
    var incidents: [CounterIncident] = []
    /// Incidents past the first twenty, summed.
    var foldedIncidents = FoldedIncidents()
    /// The zone's highest power over a window of at least 50 ms: what a gap can have held at most.
    var peakObservedWatts = 0.0
}

/// Something that happened to a zone during one poll.
enum ZoneEvent: Equatable {
    /// The counter wrapped and `max_energy_range_uj` restored the energy.
    case wrapped
    /// The counter went backwards with no `max_energy_range_uj` and was read as a wrap at a
    /// range RAPL documents, counted in full.
    case wrappedWithoutRange(rangeJoules: Double)
    /// The interval since the previous reading was lost (reset, step back, jump); the counter
    /// was re-baselined and the interval will be bridged.
    case lost(CounterIncident.Kind)
    /// The counter could not be read; it is tried again at the next poll.
    case readFailed(reason: String)
    /// The counter read again after failing.
    case readAgain
}

/// What a meter's zones hold, which decides its place in a run.
enum MeterRole {
    /// The host's CPU and memory energy (RAPL, perf, amd_energy, the agent's RAPL zones): one
    /// such meter counts, under the watchdog; the estimate stands in for it.
    case host
    /// Devices beside the host (GPUs): every such meter counts, each for its own devices.
    case devices
}

/// A source of energy readings, polled by `EnergyMonitor` under its lock, never concurrently.
protocol EnergyMeter: AnyObject {
    /// Which meter this is.
    var kind: MeterKind { get }
    /// Whether it measures the host or devices beside it.
    var role: MeterRole { get }
    /// Why the meter can no longer be read at all (the agent's socket closed and did not
    /// reopen), nil while it can: the run then stops trusting it, as the watchdog does for a
    /// counter that stopped, and the estimate stands in for a host meter.
    var lostReason: String? { get }
    /// The meter kinds whose counters this meter reads: its own kind, and for the agent the
    /// kinds it serves. A run does not open a meter whose kind one in use already covers.
    var coveredKinds: Set<MeterKind> { get }
    var provenance: EnergyProvenance { get }
    /// The finest figure it can show; a figure under ten steps or periods is not a result.
    var resolution: EnergyResolution { get }
    var zones: [MeterZone] { get }
    /// Longest interval between polls that cannot miss a counter wrap; nil when none can.
    var maximumPollIntervalSeconds: Double? { get }
    /// Reads every zone and adds the energy since the previous poll to its `joules`.
    ///
    /// - Parameter seconds: monotonic time of this poll.
    /// - Returns: what happened, as (zone index, event) pairs.
    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)]
    /// A line naming the model and its constants, for estimating meters.
    var modelDescription: String? { get }
    /// Bridges every gap still open when the run ends at monotonic time `seconds`.
    func settle(atSeconds seconds: Double)
    /// Releases file descriptors and libraries.
    func close()
    /// Takes zone `zone`, which did not advance during the probe, out of the total when other
    /// zones can count instead (a still psys under `--psys`); returns a note saying so, or nil.
    func standInForStillZone(_ zone: Int) -> String?
    /// Takes out of the total the zones that meters of `kinds`, already in use, also measure
    /// (hwmon's `amdgpu` power when AMD SMI reads the same GPUs); returns a note per change.
    func yieldZones(coveredBy kinds: Set<MeterKind>) -> [String]
    /// Whether zone `zone` integrates sampled power rather than reading an energy counter (NVML
    /// without `nvmlDeviceGetTotalEnergyConsumption`, hwmon's `powerN_average`): the agent tells
    /// its clients, since such a zone's resolution is its sampling, not a counter step.
    func samplesPower(zone: Int) -> Bool
    /// Power a zone's sensor reports right now, for meters that have one besides the counter
    /// (NVML, AMD SMI, hwmon); the probe accepts a live, plausible reading when the counter is
    /// slower than it. A requirement, so a call through `any EnergyMeter` reaches the meter's own.
    func instantaneousWatts(zone: Int) -> Double?
}

extension EnergyMeter {
    /// "rapl", "perf", "nvml" … or "estimate": the name stored with every figure.
    var name: String { kind.rawValue }
    var role: MeterRole { kind == .rapl || kind == .perf ? .host : .devices }
    var lostReason: String? { nil }
    var coveredKinds: Set<MeterKind> { [kind] }
    func yieldZones(coveredBy kinds: Set<MeterKind>) -> [String] { [] }
    func samplesPower(zone: Int) -> Bool { false }
    var modelDescription: String? { nil }
    func close() {}
    func settle(atSeconds seconds: Double) {}
    func standInForStillZone(_ zone: Int) -> String? { nil }
    func instantaneousWatts(zone: Int) -> Double? { nil }

    /// Sum of the zones counted in the total.
    var includedJoules: Double {
        zones.reduce(0) { $0 + ($1.includedInTotal ? $1.joules : 0) }
    }
}

extension MeterZone {
    /// Takes what a counter knows after a reading.
    mutating func update(from counter: CounterAccumulator) {
        joules = counter.joules
        unreadable = counter.isFailing
        peakObservedWatts = counter.peakObservedWatts
        if incidents.count != counter.incidents.count || incidents.last != counter.incidents.last {
            incidents = counter.incidents
        }
        foldedIncidents = counter.folded
    }
}
