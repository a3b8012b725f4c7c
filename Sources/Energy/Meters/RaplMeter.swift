import Vocabulary

/// Reads RAPL energy counters through powercap sysfs (`energy_uj`, in microjoules).
final class RaplMeter: EnergyMeter {
    let kind = MeterKind.rapl
    let resolution = EnergyResolution.rapl
    let provenance = EnergyProvenance.measured
    private(set) var zones: [MeterZone]
    private let files: SystemFiles
    private let plan: RaplPlan
    private var counters: [CounterAccumulator]
    let maximumPollIntervalSeconds: Double?
    /// Planning notes and zones skipped at open, for the run's provenance.
    let openingNotes: [String]

    /// Opens every readable zone under `options.powercapRoots`.
    ///
    /// - Throws: `EnergyError.meterUnavailable` when there is no zone, or the read error of the
    ///   first zone (a permission error names the file and the remedies) when none is readable.
    init(options: MeterOptions) throws(EnergyError) {
        files = options.files
        let discovered = RaplDiscovery.discover(files: files, roots: options.powercapRoots)
        guard !discovered.isEmpty else {
            throw EnergyError.meterUnavailable(
                meter: "rapl",
                reason: "no intel-rapl zone under \(options.powercapRoots.joined(separator: " or ")) "
                    + "(virtual machines and most containers expose none; Apple and ARM CPUs have no RAPL)")
        }
        var readable: [RaplZone] = []
        var failures: [EnergyError] = []
        for zone in discovered {
            do {
                _ = try files.readUInt64(zone.energyPath)
                readable.append(zone)
            } catch {
                failures.append(error)
            }
        }
        guard !readable.isEmpty else {
            if let failure = failures.first { throw failure }
            throw EnergyError.meterUnavailable(meter: "rapl", reason: "no zone could be read")
        }
        plan = RaplPlan.make(readable: readable, preferPsys: options.preferPsys)
        var notes = plan.notes
        for failure in failures { notes.append("rapl: zone skipped: \(failure.description)") }
        openingNotes = notes
        zones = plan.entries.map { MeterZone(label: $0.label, includedInTotal: $0.includedInTotal, counter: $0.zone.energyPath) }
        counters = plan.entries.map {
            CounterAccumulator(
                joulesPerCount: 1e-6, rangeCounts: $0.zone.maxEnergyRangeMicrojoules, peakWatts: options.peakWattsPerZone,
                guessedRanges: GuessedRange.rapl)
        }
        // Two polls must be closer than the time the counter takes to wrap at peak power; halve it for margin.
        let ranges = plan.entries.compactMap { $0.zone.maxEnergyRangeMicrojoules }.filter { $0 > 0 }
        maximumPollIntervalSeconds = ranges.min().map { Double($0) * 1e-6 / options.peakWattsPerZone / 2 }
    }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        var events: [(zone: Int, event: ZoneEvent)] = []
        for index in zones.indices {
            do {
                let counts = try files.readUInt64(plan.entries[index].zone.energyPath)
                if let event = counters[index].ingest(counts: counts, atSeconds: seconds).event { events.append((index, event)) }
            } catch {
                if let event = counters[index].failRead(atSeconds: seconds, reason: error.readFailureReason) {
                    events.append((index, event))
                }
            }
            zones[index].update(from: counters[index])
        }
        return events
    }

    func settle(atSeconds seconds: Double) {
        for index in zones.indices {
            counters[index].settle(atSeconds: seconds)
            zones[index].update(from: counters[index])
        }
    }
}
