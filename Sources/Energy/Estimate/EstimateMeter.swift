import Foundation

/// Estimates CPU and memory energy when no counter can be read. Always labelled `.estimated`,
/// with its model and constants spelled out in `modelDescription`.
///
/// CPU: P = W × (0.1 + 0.9 × load), the linear utilisation model of Fan, Weber and Barroso
/// ("Power provisioning for a warehouse-sized computer", ISCA 2007), which they found within a
/// few percent of measured server power, with an idle floor of 10% of full power as in
/// CodeCarbon's CPU-load model (CodeCarbon raises load to a cube; the linear form does not
/// under-count mid loads). W is the full-load power of the CPUs visible here: TDP per thread
/// × visible logical CPUs, or `--cpu-watts`. Load is machine-wide, from /proc/stat deltas.
///
/// Memory: 0.3725 W per GB in use (Green Algorithms, Lannelongue, Grealey & Inouye, Adv. Sci.
/// 2021), in use meaning MemTotal − MemAvailable; GB read as GiB since memory is sized in
/// powers of two.
final class EstimateMeter: EnergyMeter {
    static let idleFraction = 0.1
    static let memoryWattsPerGB = 0.3725

    let name = "estimate"
    let provenance = EnergyProvenance.estimated
    private(set) var zones: [MeterZone] = []
    let maximumPollIntervalSeconds: Double? = nil
    let modelDescription: String?
    /// Power of the visible CPUs at full load, nil when the CPU is not estimated.
    let cpuFullLoadWatts: Double?
    let openingNotes: [String]
    private let files: SystemFiles
    private let cpuZone: Int?
    private let memoryZone: Int?
    private var lastStat: ProcStatTimes?
    private var lastMemoryBytes: Double?
    private var lastSeconds: Double?
    private var lastLoad = 0.5

    /// - Parameters:
    ///   - estimateCPU: include a "cpu" zone (counted in the total).
    ///   - memoryIncluded: whether the "memory" zone counts in the total (false beside a measured CPU).
    init(options: MeterOptions, estimateCPU: Bool, memoryIncluded: Bool) {
        files = options.files
        var notes: [String] = []
        var parts: [String] = []
        if estimateCPU {
            let info = CPUInfo.parse((try? files.readString("/proc/cpuinfo")) ?? "")
            let visible = max(info.logicalCPUs, 1)
            if info.logicalCPUs == 0 { notes.append("estimate: /proc/cpuinfo lists no processor; 1 CPU assumed") }
            let watts: Double
            let origin: String
            if let given = options.cpuWatts {
                watts = given
                origin = "W given by --cpu-watts"
            } else if let found = CPUPowerTable.lookup(info) {
                watts = found.entry.wattsPerThread * Double(visible)
                origin = "W = TDP \(Self.format(found.entry.tdpWatts)) W / \(found.entry.threads) threads × \(visible) visible "
                    + "(\(found.how))"
            } else {
                watts = CPUPowerTable.unknownWattsPerThread * Double(visible)
                origin = "W = 4 W/thread × \(visible) visible (CodeCarbon's default for an unknown CPU: '\(info.modelName ?? "no model name")')"
            }
            if (try? ProcStatTimes.read(files: files)) == nil {
                notes.append("estimate: /proc/stat is unreadable, so the load is unknown and 0.5 is assumed (CodeCarbon's TDP × 0.5)")
            }
            cpuFullLoadWatts = watts
            cpuZone = zones.count
            zones.append(MeterZone(label: "cpu", includedInTotal: true))
            parts.append("cpu: P = \(Self.format(watts)) W × (0.1 + 0.9 × load), linear utilisation model "
                + "(Fan et al. 2007), load from /proc/stat; \(origin)")
        } else {
            cpuFullLoadWatts = nil
            cpuZone = nil
        }
        memoryZone = zones.count
        zones.append(MeterZone(label: "memory", includedInTotal: memoryIncluded))
        parts.append("memory: P = 0.3725 W/GB × GB in use (MemTotal − MemAvailable), Green Algorithms (Lannelongue et al. 2021)")
        modelDescription = parts.joined(separator: "; ")
        openingNotes = notes
    }

    /// Power of the visible CPUs at a machine load in [0, 1].
    static func cpuWatts(fullLoadWatts: Double, load: Double) -> Double {
        fullLoadWatts * (idleFraction + (1 - idleFraction) * min(max(load, 0), 1))
    }

    static func format(_ value: Double) -> String { String(format: "%.4g", value) }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        let stat = try? ProcStatTimes.read(files: files)
        let memoryBytes = try? MemInfo.usedBytes(files.readString("/proc/meminfo"))
        defer {
            if let stat { lastStat = stat }
            if let memoryBytes { lastMemoryBytes = memoryBytes }
            lastSeconds = seconds
        }
        guard let previousSeconds = lastSeconds else { return [] }
        let elapsedSeconds = max(seconds - previousSeconds, 0)
        if let cpuZone, let fullLoadWatts = cpuFullLoadWatts {
            if let stat, let previous = lastStat, stat.totalTicks > previous.totalTicks, stat.busyTicks >= previous.busyTicks {
                lastLoad = Double(stat.busyTicks - previous.busyTicks) / Double(stat.totalTicks - previous.totalTicks)
            }
            zones[cpuZone].joules += elapsedSeconds * Self.cpuWatts(fullLoadWatts: fullLoadWatts, load: lastLoad)
        }
        if let memoryZone, let now = memoryBytes ?? lastMemoryBytes {
            let averageBytes = ((lastMemoryBytes ?? now) + now) / 2
            zones[memoryZone].joules += elapsedSeconds * averageBytes / 1_073_741_824 * Self.memoryWattsPerGB
        }
        return []
    }
}
