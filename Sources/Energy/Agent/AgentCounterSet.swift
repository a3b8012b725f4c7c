#if canImport(Glibc)
import Glibc
#endif

/// The node's counter meters as `footprint agent` serves them: opened once as root, polled on
/// every client read (reads within 20 ms share one poll) and in the background often enough that
/// no counter wraps unseen, each zone reported as microjoules since the agent started.
///
/// Not thread-safe: the agent's server reads it from its one thread.
package final class AgentCounterSet {
    /// What every connecting client is told: the zones, in the order readings list them.
    package let hello: AgentWire.Hello
    /// Every meter of the chain and what happened to it, for the startup log.
    package let candidates: [MeterCandidate]
    /// Fallback reasons, containment notes and probe remarks, for the startup log.
    package let notes: [String]
    /// The longest the agent may go without polling: half the shortest wrap bound of its
    /// meters, and never over 0.5 s so sampled power integrates finely.
    package let backgroundPollIntervalSeconds: Double
    /// Reads within this many seconds of the previous poll are answered from it.
    ///
    /// Each poll reads every meter as root (RAPL files, and for GPUs NVML or AMD SMI driver
    /// calls); at 2 ms, the 64 connections one user may hold could force 500 polls a second.
    /// 20 ms bounds that to 50 whoever asks, and loses nothing: NVML refreshes its counters about
    /// every 100 ms, and a reading carries the time of its poll, so a client integrates exactly.
    /// A client's probe, which looks for a counter advancing in 10 ms slices, may see no advance
    /// in its first slice and then takes one more (its probe is at most 140 ms either way).
    package static let coalescingSeconds = 0.02
    /// The longest background poll interval, whatever the meters allow.
    package static let longestBackgroundPollSeconds = 0.5

    private var meters: [any EnergyMeter]
    /// (meter, zone) of each served zone, in the hello's order.
    private let served: [(meter: Int, zone: Int)]
    private let clock: @Sendable () -> Double
    private var latest: AgentWire.Reading?
    /// Microjoules last served per zone: a zone's count never goes back, even if a meter's
    /// joules were to dip by a rounding step, since a client would read that as a reset.
    private var servedMicrojoules: [UInt64]
    private var isOpen = true

    /// Opens and probes the node's counter meters, never the agent itself nor the estimate.
    ///
    /// - Parameter options: Roots, library paths and the `--meter` choice; `.agent` and
    ///   `.estimate` are taken out of the allowed meters.
    /// - Throws: `EnergyError.meterUnavailable` for the agent when no counter meter can be read,
    ///   naming each meter tried and why it failed.
    package init(options: MeterOptions) throws(EnergyError) {
        var options = options
        let counterKinds = Set(MeterKind.allCases).subtracting([.agent, .estimate])
        options.allowedMeters = (options.allowedMeters ?? counterKinds).intersection(counterKinds)
        options.devicesOnly = false
        let selection = MeterSelection.open(options: options, everyCandidate: false)
        candidates = selection.candidates.filter { $0.kind != .agent && $0.kind != .estimate }
        notes = selection.notes
        meters = selection.meters
        clock = options.clock
        guard !meters.isEmpty else {
            let tried = candidates.map { candidate in
                "\(candidate.kind.rawValue) \(candidate.status.rawValue)" + (candidate.reason.map { ": \($0)" } ?? "")
            }
            throw EnergyError.meterUnavailable(
                meter: "agent",
                reason: "footprint agent found no counter it can serve on this node (tried "
                    + (tried.isEmpty
                        ? "no meter: --meter or FOOTPRINT_METERS left none of rapl, perf, nvml, amdsmi, hwmon"
                        : tried.joined(separator: "; "))
                    + "); run it as root on a machine with RAPL, perf power events or a GPU library, or check the paths with `footprint meters`"
            )
        }
        var served: [(meter: Int, zone: Int)] = []
        var zones: [AgentWire.Zone] = []
        for (meterIndex, meter) in meters.enumerated() {
            for (zoneIndex, zone) in meter.zones.enumerated() {
                served.append((meterIndex, zoneIndex))
                zones.append(
                    AgentWire.Zone(
                        meter: meter.name, role: meter.role == .host ? "host" : "devices", label: zone.label, counter: zone.counter,
                        included: zone.includedInTotal, deviceIndex: zone.deviceIndex,
                        stepJoules: max(meter.resolution.stepJoules, 1e-6),
                        // A client sees the counter move at most once per coalescing window.
                        periodSeconds: max(meter.resolution.periodSeconds, Self.coalescingSeconds),
                        resolution: meter.resolution.source
                            + ", polled by the agent at most every \(Int(Self.coalescingSeconds * 1000)) ms",
                        sampledPower: meter.samplesPower(zone: zoneIndex), driver: zone.driver))
            }
        }
        self.served = served
        servedMicrojoules = Array(repeating: 0, count: served.count)
        hello = AgentWire.Hello(pid: getpid(), zones: zones)
        let bound = meters.compactMap(\.maximumPollIntervalSeconds).min().map { $0 / 2 } ?? Self.longestBackgroundPollSeconds
        backgroundPollIntervalSeconds = max(min(bound, Self.longestBackgroundPollSeconds), 0.001)
    }

    deinit { close() }

    /// The monotonic time of the latest poll, nil before the first read.
    package var lastPollSeconds: Double? { latest?.seconds }

    /// Every zone's energy now, polling the meters unless they were polled within 20 ms.
    package func read() -> AgentWire.Reading {
        read(atSeconds: clock())
    }

    /// Every zone's energy at monotonic time `seconds`.
    ///
    /// - Parameter seconds: The agent's monotonic clock now.
    /// - Returns: Microjoules since the agent started per zone (bridged gaps included, and
    ///   listed apart), and whether the zone's latest read failed; the previous reading when
    ///   the meters were polled less than ``coalescingSeconds`` before `seconds`.
    package func read(atSeconds seconds: Double) -> AgentWire.Reading {
        if let latest, seconds - latest.seconds < Self.coalescingSeconds, seconds >= latest.seconds { return latest }
        if isOpen {
            for meter in meters { _ = meter.poll(atSeconds: seconds) }
        }
        var microjoules: [UInt64] = []
        var bridged: [UInt64] = []
        var unreadable: [Bool] = []
        microjoules.reserveCapacity(served.count)
        for (position, entry) in served.enumerated() {
            let zone = meters[entry.meter].zones[entry.zone]
            let counted = Self.microjoules(zone.joules)
            servedMicrojoules[position] = max(servedMicrojoules[position], counted)
            microjoules.append(servedMicrojoules[position])
            let bridgedJoules = zone.incidents.reduce(zone.foldedIncidents.bridgedJoules) { $0 + ($1.bridgedJoules ?? 0) }
            bridged.append(min(Self.microjoules(bridgedJoules), servedMicrojoules[position]))
            unreadable.append(zone.unreadable || !isOpen)
        }
        let reading = AgentWire.Reading(seconds: seconds, microjoules: microjoules, bridgedMicrojoules: bridged, unreadable: unreadable)
        latest = reading
        return reading
    }

    /// Closes every meter (file descriptors, libraries); later reads repeat the last counts,
    /// marked unreadable.
    package func close() {
        guard isOpen else { return }
        isOpen = false
        for meter in meters { meter.close() }
    }

    private static func microjoules(_ joules: Double) -> UInt64 {
        let value = (joules * 1e6).rounded(.down)
        guard value.isFinite, value > 0 else { return 0 }
        return value >= 1.8e19 ? UInt64.max : UInt64(value)
    }
}
