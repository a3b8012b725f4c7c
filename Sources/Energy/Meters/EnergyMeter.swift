import Vocabulary

/// One zone a meter reports, with the joules it accumulated so far.
struct MeterZone {
    /// "package-0", "dram-1", "gpu-0 (NVIDIA H200)", "cpu" …
    var label: String
    var includedInTotal: Bool
    /// The counter behind the zone, for messages: `/sys/class/powercap/intel-rapl:0/energy_uj`,
    /// `power/energy-psys/ on CPU 0`.
    var counter: String = ""
    /// Whether the zone holds CPU or memory energy the estimate can stand in for.
    var isMemory: Bool { label.hasPrefix("dram") || label == "psys" || label == "memory" }
    var joules: Double = 0
    /// Set once the zone stopped answering; its joules are kept, it is no longer read.
    var vanished = false
}

/// Something that happened to a zone during one poll, turned into notes by the monitor.
enum ZoneEvent: Equatable {
    /// The counter wrapped and `max_energy_range_uj` restored the energy.
    case wrapped
    /// The counter went backwards with no known range: the interval was dropped.
    case droppedBackwards(seconds: Double)
    /// The interval implied an impossible power: dropped.
    case droppedImplausible(watts: Double, seconds: Double)
    /// The zone could not be read any more.
    case vanished(reason: String)
}

/// A source of energy readings, polled by `EnergyMonitor` under its lock, never concurrently.
protocol EnergyMeter: AnyObject {
    /// Which meter this is.
    var kind: MeterKind { get }
    var provenance: EnergyProvenance { get }
    /// The finest figure it can show; a figure under ten steps or periods is not a result.
    var resolution: EnergyResolution { get }
    var zones: [MeterZone] { get }
    /// Longest interval between polls that cannot miss a counter wrap; nil when none can.
    var maximumPollIntervalSeconds: Double? { get }
    /// Reads every live zone and adds the energy since the previous poll to its `joules`.
    ///
    /// - Parameter seconds: monotonic time of this poll.
    /// - Returns: what happened, as (zone index, event) pairs.
    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)]
    /// A line naming the model and its constants, for estimating meters.
    var modelDescription: String? { get }
    /// Releases file descriptors and libraries.
    func close()
}

extension EnergyMeter {
    /// "rapl", "perf", "nvml" or "estimate": the name stored with every figure.
    var name: String { kind.rawValue }
    var modelDescription: String? { nil }
    func close() {}
    /// Power a zone's sensor reports right now, for meters that have one besides the counter
    /// (NVML); the probe accepts a live, plausible reading when the counter is slower than it.
    func instantaneousWatts(zone: Int) -> Double? { nil }

    /// Sum of the zones counted in the total.
    var includedJoules: Double {
        zones.reduce(0) { $0 + ($1.includedInTotal ? $1.joules : 0) }
    }
}
