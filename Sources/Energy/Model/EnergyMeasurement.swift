import Vocabulary

/// The energy one meter saw in one zone during a run.
public struct MeterEnergy: Sendable, Codable, Equatable {
    /// "rapl", "perf", "nvml" or "estimate".
    public var name: String
    /// "package-0", "dram-0", "psys", "gpu-0 (NVIDIA H200)", "cpu", "memory" …
    public var zone: String
    public var joules: Double
    /// Whether these joules are part of `EnergyMeasurement.joules`; false for zones contained in
    /// another (core ⊂ package), twins (MMIO), and estimates kept beside a measured total.
    public var includedInTotal: Bool
    public var provenance: EnergyProvenance
    /// Seconds of this zone bridged across intervals its counter lost; nil when none.
    public var bridgedSeconds: Double?
    /// Joules of `joules` bridged over `bridgedSeconds` from the zone's power either side.
    public var bridgedJoules: Double?

    public init(
        name: String, zone: String, joules: Double, includedInTotal: Bool, provenance: EnergyProvenance,
        bridgedSeconds: Double? = nil, bridgedJoules: Double? = nil
    ) {
        self.name = name
        self.zone = zone
        self.joules = joules
        self.includedInTotal = includedInTotal
        self.provenance = provenance
        self.bridgedSeconds = bridgedSeconds
        self.bridgedJoules = bridgedJoules
    }
}

/// Average power of one zone over one sampling interval.
public struct PowerSample: Sendable, Codable, Equatable {
    /// Seconds since the monitor started, at the end of the interval (monotonic clock).
    public var elapsedSeconds: Double
    public var meter: String
    public var zone: String
    public var watts: Double

    public init(elapsedSeconds: Double, meter: String, zone: String, watts: Double) {
        self.elapsedSeconds = elapsedSeconds
        self.meter = meter
        self.zone = zone
        self.watts = watts
    }
}

/// The energy of one run, with where every joule came from.
///
/// `joules` sums the meters whose `includedInTotal` is true. Measured and estimated parts are
/// never mixed silently: when the CPU is measured but memory is not, the memory estimate is
/// listed in `meters` with `includedInTotal == false` and `joules` stays a measurement. When no
/// CPU counter can be read, the total includes the CPU and memory estimates (and any measured
/// GPU) and `provenance` is `.estimated`, because a sum is only as good as its weakest part.
public struct EnergyMeasurement: Sendable, Codable, Equatable {
    /// Whole-machine energy over the run.
    public var joules: Double
    /// The run's share of `joules` by CPU time (see `EnergyMonitor.stop(processCPUSeconds:)`).
    public var attributedJoules: Double?
    /// `.measured` when every part of `joules` was read from counters; `.mixed` when a counter
    /// was distrusted during the run and the rest of it estimated.
    public var provenance: EnergyProvenance
    /// The coarsest resolution among the meters in the total.
    public var resolution: EnergyResolution
    /// False when `joules` is under ten steps or ten periods of `resolution`, or when more than
    /// 5 % of it is bridged across intervals a counter lost: not a result.
    public var resolved: Bool
    public var meters: [MeterEnergy]
    /// Monotonic seconds from `start()` to `stop`.
    public var seconds: Double
    /// Whole-machine idle power measured before the run, when a baseline was taken.
    public var idleWatts: Double?
    /// `joules − idleWatts × seconds`, floored at zero, when a baseline was taken.
    public var netJoules: Double?
    /// Fallback reasons and warnings (wraps, one note per counter incident, bridges).
    public var notes: [String]
    /// The model and its constants, whenever any listed figure is estimated.
    public var estimateModel: String?
    /// Busy CPU seconds of the whole machine over the run, from /proc/stat.
    public var machineCPUBusySeconds: Double?
    /// Joules bridged across intervals a counter lost (a reset, a glitch, a failed read), from
    /// each zone's power either side; nil when nothing was bridged. Part of `joules`.
    public var bridgedJoules: Double?
    /// The interval that holds the true energy once bridges are allowed for: from `joules` less
    /// every bridge (a gap that held nothing) to `joules` plus what each zone's peak power over
    /// its gaps exceeds their bridges; nil when nothing was bridged.
    public var minimumJoules: Double?
    public var maximumJoules: Double?

    public init(
        joules: Double, attributedJoules: Double? = nil, provenance: EnergyProvenance, meters: [MeterEnergy],
        seconds: Double, resolution: EnergyResolution = .estimate(ticksPerSecond: 100), idleWatts: Double? = nil, netJoules: Double? = nil,
        notes: [String] = [],
        estimateModel: String? = nil, machineCPUBusySeconds: Double? = nil
    ) {
        self.joules = joules
        self.attributedJoules = attributedJoules
        self.provenance = provenance
        self.meters = meters
        self.seconds = seconds
        self.resolution = resolution
        self.resolved = resolution.resolves(joules: joules, seconds: seconds)
        self.idleWatts = idleWatts
        self.netJoules = netJoules
        self.notes = notes
        self.estimateModel = estimateModel
        self.machineCPUBusySeconds = machineCPUBusySeconds
    }
}
