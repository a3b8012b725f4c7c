import Foundation
import Vocabulary

/// Estimates CPU and memory energy when no counter can be read. Always labelled `.estimated`,
/// with its model and constants spelled out in `modelDescription`.
///
/// CPU: P = W × (0.1 + 0.9 × load), the linear utilisation model of Fan, Weber and Barroso
/// ("Power provisioning for a warehouse-sized computer", ISCA 2007), which they found within a
/// few percent of measured server power, with an idle floor of 10% of full power as in
/// CodeCarbon's CPU-load model (CodeCarbon raises load to a cube; the linear form does not
/// under-count mid loads). W is the full-load power of the CPUs visible here: TDP per thread
/// × visible logical CPUs, or `--cpu-watts`.
///
/// Load is busy CPU-seconds over N visible CPUs. Since power is affine in load, an interval's
/// energy is W·(0.1·Δt + 0.9·busy/N), and busy splits into two parts measured at the grain each
/// allows: the measured process tree's own CPU time (`MeterOptions.processCPUSeconds`: the
/// nanosecond CLOCK_PROCESS_CPUTIME_ID for `train`, the child's /proc stat for `wrap`), read at
/// every poll; and the other processes' CPU time, from /proc/stat, whose 10 ms ticks are only
/// trusted over windows of at least half a second. So an epoch's estimated energy follows its
/// own CPU time, and no interval can exceed the model's ceiling W (busy is capped at N·Δt).
///
/// Memory: 0.3725 W per GB in use (Green Algorithms, Lannelongue, Grealey & Inouye, Adv. Sci.
/// 2021), in use meaning MemTotal − MemAvailable; GB read as GiB since memory is sized in
/// powers of two.
final class EstimateMeter: EnergyMeter {
    static let idleFraction = 0.1
    static let memoryWattsPerGB = 0.3725
    /// /proc/stat deltas are trusted for other processes' load only over windows this long.
    static let machineWindowSeconds = 0.5

    let kind = MeterKind.estimate
    let provenance = EnergyProvenance.estimated
    let resolution = EnergyResolution.estimate(ticksPerSecond: ProcStatTimes.ticksPerSecond)
    private(set) var zones: [MeterZone] = []
    let maximumPollIntervalSeconds: Double? = nil
    let modelDescription: String?
    /// Power of the visible CPUs at full load, nil when the CPU is not estimated.
    let cpuFullLoadWatts: Double?
    /// Logical CPUs the watts are for.
    let visibleCPUs: Double
    let openingNotes: [String]
    private let files: SystemFiles
    private let ownCPUSeconds: (@Sendable () -> Double?)?
    private let cpuZone: Int?
    private let memoryZone: Int?
    private var lastMemoryBytes: Double?
    private var lastSeconds: Double?
    private var lastOwnCPU: Double?
    /// Start of the current /proc/stat window: ticks, own CPU and time.
    private var window: (stat: ProcStatTimes, ownCPU: Double, seconds: Double)?
    /// CPU-seconds per second used by processes other than the measured tree (or by the whole
    /// machine without an own-CPU source), from the last complete window; nil before one.
    private(set) var otherBusyRate: Double?
    /// Whether /proc/stat could be read the last time it was.
    private var statReadable = true

    /// - Parameters:
    ///   - estimateCPU: include a "cpu" zone.
    ///   - cpuIncluded: whether the "cpu" zone counts in the total (false beside a measured CPU,
    ///     where it runs as the stand-in the watchdog may need).
    ///   - memoryIncluded: whether the "memory" zone counts in the total (false beside a measured CPU).
    init(options: MeterOptions, estimateCPU: Bool, cpuIncluded: Bool = true, memoryIncluded: Bool) {
        files = options.files
        ownCPUSeconds = options.processCPUSeconds
        var notes: [String] = []
        var parts: [String] = []
        let info = CPUInfo.parse((try? files.readString("/proc/cpuinfo")) ?? "")
        let visible = max(info.logicalCPUs, 1)
        visibleCPUs = Double(visible)
        if estimateCPU {
            if info.logicalCPUs == 0 { notes.append("estimate: /proc/cpuinfo lists no processor; 1 CPU assumed") }
            let watts: Double
            let origin: String
            if let given = options.cpuWatts {
                watts = given
                origin = "W given by --cpu-watts"
            } else if let found = CPUPowerTable.lookup(info) {
                watts = found.entry.wattsPerThread * Double(visible)
                origin =
                    "W = TDP \(Self.format(found.entry.tdpWatts)) W / \(found.entry.threads) threads × \(visible) visible "
                    + "(\(found.how))"
            } else {
                watts = CPUPowerTable.unknownWattsPerThread * Double(visible)
                origin =
                    "W = 4 W/thread × \(visible) visible (CodeCarbon's default for an unknown CPU: '\(info.modelName ?? "no model name")')"
            }
            if (try? ProcStatTimes.read(files: files)) == nil {
                notes.append(
                    "estimate: /proc/stat is unreadable, so other processes' load is unknown and half the CPUs are assumed busy (CodeCarbon's TDP × 0.5)"
                )
            }
            cpuFullLoadWatts = watts
            cpuZone = zones.count
            zones.append(MeterZone(label: "cpu", includedInTotal: cpuIncluded, counter: "the CPU estimate"))
            let load =
                options.processCPUSeconds == nil
                ? "load from /proc/stat over windows of at least \(Self.format(Self.machineWindowSeconds)) s"
                : "load = (the measured process tree's CPU time + other processes' from /proc/stat over ≥ \(Self.format(Self.machineWindowSeconds)) s windows) / \(visible) CPUs"
            parts.append(
                "cpu: P = \(Self.format(watts)) W × (0.1 + 0.9 × load), linear utilisation model "
                    + "(Fan et al. 2007), \(load); \(origin)")
        } else {
            cpuFullLoadWatts = nil
            cpuZone = nil
        }
        memoryZone = zones.count
        zones.append(MeterZone(label: "memory", includedInTotal: memoryIncluded, counter: "the memory estimate"))
        parts.append("memory: P = 0.3725 W/GB × GB in use (MemTotal − MemAvailable), Green Algorithms (Lannelongue et al. 2021)")
        modelDescription = parts.joined(separator: "; ")
        openingNotes = notes
    }

    /// Power of the visible CPUs at a machine load in [0, 1].
    static func cpuWatts(fullLoadWatts: Double, load: Double) -> Double {
        fullLoadWatts * (idleFraction + (1 - idleFraction) * min(max(load, 0), 1))
    }

    /// Energy of the visible CPUs over `seconds` during which `busyCPUSeconds` of CPU time were
    /// used: W·(0.1·Δt + 0.9·busy/N), busy capped at N·Δt so no interval passes the ceiling.
    static func cpuJoules(fullLoadWatts: Double, seconds: Double, busyCPUSeconds: Double, cpus: Double) -> Double {
        let busy = min(max(busyCPUSeconds, 0), cpus * seconds)
        return fullLoadWatts * (idleFraction * seconds + (1 - idleFraction) * busy / cpus)
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        // /proc/stat is only used once a window of `machineWindowSeconds` closes: between, a
        // poll (every 10 ms early in a run) reads the memory and the measured tree's CPU only.
        let needsStat = window.map { seconds - $0.seconds >= Self.machineWindowSeconds } ?? true
        let stat = needsStat ? try? ProcStatTimes.read(files: files) : nil
        if needsStat { statReadable = stat != nil }
        let memoryBytes = try? MemInfo.usedBytes(files.readString("/proc/meminfo"))
        let ownCPU = ownCPUSeconds?() ?? nil
        defer {
            if let memoryBytes { lastMemoryBytes = memoryBytes }
            if let ownCPU { lastOwnCPU = ownCPU }
            lastSeconds = seconds
        }
        updateWindow(stat: stat, ownCPU: ownCPU ?? 0, seconds: seconds)
        guard let previousSeconds = lastSeconds else { return [] }
        let elapsedSeconds = max(seconds - previousSeconds, 0)
        if let cpuZone, let fullLoadWatts = cpuFullLoadWatts {
            var busy: Double
            if ownCPUSeconds != nil {
                let own = max((ownCPU ?? lastOwnCPU ?? 0) - (lastOwnCPU ?? ownCPU ?? 0), 0)
                busy = own + (otherBusyRate ?? 0) * elapsedSeconds
            } else {
                busy = (otherBusyRate ?? visibleCPUs / 2) * elapsedSeconds
            }
            if !statReadable && otherBusyRate == nil && ownCPUSeconds != nil { busy += visibleCPUs / 2 * elapsedSeconds }
            zones[cpuZone].joules += Self.cpuJoules(
                fullLoadWatts: fullLoadWatts, seconds: elapsedSeconds, busyCPUSeconds: busy, cpus: visibleCPUs)
        }
        if let memoryZone, let now = memoryBytes ?? lastMemoryBytes {
            let averageBytes = ((lastMemoryBytes ?? now) + now) / 2
            zones[memoryZone].joules += elapsedSeconds * averageBytes / 1_073_741_824 * Self.memoryWattsPerGB
        }
        return []
    }

    /// Closes a /proc/stat window once it spans ``machineWindowSeconds``: the machine's busy
    /// CPU-seconds in it, less the measured tree's own, per second.
    private func updateWindow(stat: ProcStatTimes?, ownCPU: Double, seconds: Double) {
        guard let stat else { return }
        guard let start = window else {
            window = (stat, ownCPU, seconds)
            return
        }
        let span = seconds - start.seconds
        guard span >= Self.machineWindowSeconds, stat.busyTicks >= start.stat.busyTicks else {
            if stat.busyTicks < start.stat.busyTicks { window = (stat, ownCPU, seconds) }
            return
        }
        let machineBusy = Double(stat.busyTicks - start.stat.busyTicks) / ProcStatTimes.ticksPerSecond
        let own = ownCPUSeconds == nil ? 0 : max(ownCPU - start.ownCPU, 0)
        otherBusyRate = min(max(machineBusy - own, 0) / span, visibleCPUs)
        window = (stat, ownCPU, seconds)
    }
}
