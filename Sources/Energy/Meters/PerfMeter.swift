/// Reads the RAPL counters through the perf `power` PMU: the route left when powercap's
/// `energy_uj` is root-only but `perf_event_paranoid` (or CAP_PERFMON) allows system-wide events.
final class PerfMeter: EnergyMeter {
    let name = "perf"
    let provenance = EnergyProvenance.measured
    private(set) var zones: [MeterZone] = []
    /// The kernel extends the PMU's 32-bit counters to 64 bits, so nothing wraps.
    let maximumPollIntervalSeconds: Double? = nil
    let openingNotes: [String]
    private let source: PerfCounterSource
    private var descriptors: [Int32] = []
    private var counters: [CounterAccumulator] = []

    /// Opens every energy event on one CPU per package (psys once).
    ///
    /// - Throws: `EnergyError.meterUnavailable` without a usable PMU, `.perfEventRefused` when
    ///   the package events cannot be opened (with the paranoid level and remedies).
    init(options: MeterOptions) throws(EnergyError) {
        let files = options.files
        source = options.perfCounters
        let pmu = try PerfPowerPMU.read(files: files)
        guard !pmu.cpus.isEmpty else {
            throw EnergyError.meterUnavailable(meter: "perf", reason: "no CPU found to open the power events on (no cpumask, no CPU topology)")
        }
        let paranoid = (try? files.readLine("/proc/sys/kernel/perf_event_paranoid")).flatMap { Int($0) }
        let package = { (cpu: Int) -> Int in
            (try? files.readUInt64("/sys/devices/system/cpu/cpu\(cpu)/topology/physical_package_id")).map(Int.init)
                ?? (pmu.cpus.firstIndex(of: cpu) ?? 0)
        }
        let hasPsys = pmu.events.contains { $0.name == "energy-psys" }
        let hasPackage = pmu.events.contains { $0.name == "energy-pkg" }
        let usePsys = hasPsys && (options.preferPsys || !hasPackage)
        var notes = pmu.skipped.map { "perf: event skipped: \($0)" }
        var firstRefusal: EnergyError?
        for event in pmu.events {
            let cpus = event.name == "energy-psys" ? Array(pmu.cpus.prefix(1)) : pmu.cpus
            for cpu in cpus {
                let opened = source.open(pmu.type, event.config, cpu)
                guard opened.fd >= 0 else {
                    let refusal = EnergyError.perfEventRefused(event: event.name, cpu: cpu, errorNumber: opened.errorNumber, paranoid: paranoid)
                    if firstRefusal == nil { firstRefusal = refusal }
                    notes.append("perf: " + refusal.description)
                    continue
                }
                let (label, included) = Self.zone(event: event.name, package: package(cpu), usePsys: usePsys)
                descriptors.append(opened.fd)
                zones.append(MeterZone(label: label, includedInTotal: included))
                counters.append(CounterAccumulator(joulesPerCount: event.joulesPerCount, rangeCounts: nil, peakWatts: options.peakWattsPerZone))
            }
        }
        guard zones.contains(where: \.includedInTotal) else {
            for fd in descriptors { source.close(fd) }
            descriptors = []
            throw firstRefusal ?? EnergyError.meterUnavailable(meter: "perf", reason: "no package or psys energy event could be opened")
        }
        openingNotes = notes
    }

    /// Zone label and whether it counts, with the same containment rules as powercap.
    static func zone(event: String, package: Int, usePsys: Bool) -> (String, Bool) {
        switch event {
        case "energy-pkg": return ("package-\(package)", !usePsys)
        case "energy-ram": return ("dram-\(package)", !usePsys)
        case "energy-psys": return ("psys", usePsys)
        case "energy-cores": return ("core-\(package)", false)
        case "energy-gpu": return ("uncore-\(package)", false)
        default: return ("\(event.dropFirst("energy-".count))-\(package)", false)
        }
    }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        var events: [(zone: Int, event: ZoneEvent)] = []
        guard descriptors.count == zones.count else { return events }  // closed
        for index in zones.indices where !zones[index].vanished {
            guard let counts = source.read(descriptors[index]) else {
                zones[index].vanished = true
                events.append((index, .vanished(reason: "reading the perf counter failed")))
                continue
            }
            let result = counters[index].ingest(counts: counts, atSeconds: seconds)
            zones[index].joules = counters[index].joules
            if let event = result.event { events.append((index, event)) }
        }
        return events
    }

    func close() {
        for fd in descriptors { source.close(fd) }
        descriptors = []
    }

    deinit { close() }
}
