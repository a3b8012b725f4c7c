/// One zone a meter reports, with the joules it accumulated so far.
struct MeterZone {
    /// "package-0", "dram-1", "gpu-0 (NVIDIA H200)", "cpu" …
    var label: String
    var includedInTotal: Bool
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
    /// "rapl", "perf", "nvml" or "estimate".
    var name: String { get }
    var provenance: EnergyProvenance { get }
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
    var modelDescription: String? { nil }
    func close() {}

    /// Sum of the zones counted in the total.
    var includedJoules: Double {
        zones.reduce(0) { $0 + ($1.includedInTotal ? $1.joules : 0) }
    }
}
