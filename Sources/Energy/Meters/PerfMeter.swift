import Vocabulary

/// Reads the RAPL counters through the perf `power` PMU: the route left when powercap's
/// `energy_uj` is root-only but `perf_event_paranoid` (or CAP_PERFMON) allows system-wide events.
final class PerfMeter: EnergyMeter {
    let kind = MeterKind.perf
    let resolution = EnergyResolution.rapl
    let provenance = EnergyProvenance.measured
    private(set) var zones: [MeterZone] = []
    /// The kernel extends the PMU's 32-bit counters to 64 bits, so nothing wraps.
    let maximumPollIntervalSeconds: Double? = nil
    let openingNotes: [String]
    private let source: PerfCounterSource
    private var descriptors: [Int32] = []
    private var counters: [CounterAccumulator] = []
    /// The event and unit behind each zone, to plan the total again without psys.
    private var zoneSources: [(event: String, unit: String)] = []
    private let preferPsys: Bool

    /// Opens every energy event on one CPU per package (psys once).
    ///
    /// - Throws: `EnergyError.meterUnavailable` without a usable PMU, `.perfEventRefused` when
    ///   the package events cannot be opened (with the paranoid level and remedies).
    init(options: MeterOptions) throws(EnergyError) {
        let files = options.files
        source = options.perfCounters
        preferPsys = options.preferPsys
        let pmu = try PerfPowerPMU.read(files: files)
        guard !pmu.cpus.isEmpty else {
            throw EnergyError.meterUnavailable(
                meter: "perf", reason: "no CPU found to open the power events on (no cpumask, no CPU topology)")
        }
        let paranoid = (try? files.readLine("/proc/sys/kernel/perf_event_paranoid")).flatMap { Int($0) }
        let packageOf = Dictionary(
            uniqueKeysWithValues: pmu.cpus.enumerated().map { index, cpu in
                (cpu, (try? files.readUInt64("/sys/devices/system/cpu/cpu\(cpu)/topology/physical_package_id")).map(Int.init) ?? index)
            })
        let unit = { (cpu: Int) -> String in Self.unitName(cpu: cpu, packageOf: packageOf, files: files) }
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
                    let refusal = EnergyError.perfEventRefused(
                        event: event.name, cpu: cpu, errorNumber: opened.errorNumber, paranoid: paranoid)
                    if firstRefusal == nil { firstRefusal = refusal }
                    notes.append("perf: " + refusal.description)
                    continue
                }
                let (label, included) = Self.zone(event: event.name, unit: unit(cpu), usePsys: usePsys)
                descriptors.append(opened.fd)
                zoneSources.append((event.name, unit(cpu)))
                zones.append(MeterZone(label: label, includedInTotal: included, counter: "power/\(event.name)/ on CPU \(cpu)"))
                counters.append(
                    CounterAccumulator(joulesPerCount: event.joulesPerCount, rangeCounts: nil, peakWatts: options.peakWattsPerZone))
            }
        }
        guard zones.contains(where: \.includedInTotal) else {
            for fd in descriptors { source.close(fd) }
            descriptors = []
            throw firstRefusal ?? EnergyError.meterUnavailable(meter: "perf", reason: "no package or psys energy event could be opened")
        }
        openingNotes = notes
    }

    /// Drops a psys event that did not advance during the probe in favour of the package and
    /// ram events, when there are some: `--psys` asks for psys, not for no perf meter at all.
    func standInForStillZone(_ index: Int) -> String? {
        guard preferPsys, zoneSources.count == zones.count, zones.indices.contains(index),
            zoneSources[index].event == "energy-psys", zones[index].includedInTotal,
            zoneSources.contains(where: { $0.event == "energy-pkg" })
        else { return nil }
        for position in zones.indices {
            zones[position].includedInTotal =
                Self.zone(event: zoneSources[position].event, unit: zoneSources[position].unit, usePsys: false).1
        }
        let counted = zones.filter(\.includedInTotal).map(\.label).joined(separator: " + ")
        return
            "perf: psys (\(zones[index].counter)) did not advance during the probe, so the total counts \(counted) instead (--psys asked for psys)"
    }

    /// Zone label and whether it counts, with the same containment rules as powercap.
    ///
    /// - Parameter unit: what the counter belongs to: `0` for package 0, `0-die-1` on a
    ///   package with several dies (each die has its own counter, and `meter_energy` keys
    ///   rows by zone name, so two dies named alike would overwrite each other).
    static func zone(event: String, unit: String, usePsys: Bool) -> (String, Bool) {
        switch event {
        case "energy-pkg": return ("package-\(unit)", !usePsys)
        case "energy-ram": return ("dram-\(unit)", !usePsys)
        case "energy-psys": return ("psys", usePsys)
        case "energy-cores": return ("core-\(unit)", false)
        case "energy-gpu": return ("uncore-\(unit)", false)
        default: return ("\(event.dropFirst("energy-".count))-\(unit)", false)
        }
    }

    /// `P` when the CPU is the only one opened on package P; `P-die-D` (die_id from sysfs, or
    /// `P-cpuN` when it cannot be read) when the PMU's cpumask lists several CPUs of one package.
    static func unitName(cpu: Int, packageOf: [Int: Int], files: SystemFiles) -> String {
        let package = packageOf[cpu] ?? 0
        let sharing = packageOf.values.filter { $0 == package }.count
        guard sharing > 1 else { return "\(package)" }
        if let die = try? files.readUInt64("/sys/devices/system/cpu/cpu\(cpu)/topology/die_id") {
            return "\(package)-die-\(die)"
        }
        return "\(package)-cpu\(cpu)"
    }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        var events: [(zone: Int, event: ZoneEvent)] = []
        guard descriptors.count == zones.count else { return events }  // closed
        for index in zones.indices {
            if let counts = source.read(descriptors[index]) {
                if let event = counters[index].ingest(counts: counts, atSeconds: seconds).event { events.append((index, event)) }
            } else if let event = counters[index].failRead(atSeconds: seconds, reason: "reading the perf counter failed") {
                events.append((index, event))
            }
            zones[index].update(from: counters[index])
        }
        return events
    }

    func settle(atSeconds seconds: Double) {
        guard counters.count == zones.count else { return }
        for index in zones.indices {
            counters[index].settle(atSeconds: seconds)
            zones[index].update(from: counters[index])
        }
    }

    func close() {
        for fd in descriptors { source.close(fd) }
        descriptors = []
    }

    deinit { close() }
}
