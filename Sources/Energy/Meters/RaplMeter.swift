import Vocabulary

/// Reads RAPL energy counters through powercap sysfs (`energy_uj`, in microjoules).
final class RaplMeter: EnergyMeter {
    let kind = MeterKind.rapl
    let resolution = EnergyResolution.rapl
    let provenance = EnergyProvenance.measured
    private(set) var zones: [MeterZone]
    private let files: SystemFiles
    private var plan: RaplPlan
    /// The zones the plan was made from, for a new plan when psys is dropped after the probe.
    private let readableZones: [RaplZone]
    private let unreadableZones: [RaplZone]
    private let preferPsys: Bool
    private var counters: [CounterAccumulator]
    let maximumPollIntervalSeconds: Double?
    /// Planning notes and zones skipped at open, for the run's provenance.
    let openingNotes: [String]

    /// Opens every readable zone under `options.powercapRoots`.
    ///
    /// - Throws: `EnergyError.meterUnavailable` when there is no zone, or when no zone is
    ///   readable (a permission error names the files and a `chmod` covering each of them),
    ///   or the read error of the first unreadable zone.
    init(options: MeterOptions) throws(EnergyError) {
        files = options.files
        preferPsys = options.preferPsys
        let survey = RaplDiscovery.survey(files: files, roots: options.powercapRoots)
        let discovered = survey.zones
        guard !discovered.isEmpty else {
            let skipped = survey.notes.isEmpty ? "" : "; " + survey.notes.joined(separator: "; ")
            throw EnergyError.meterUnavailable(
                meter: "rapl",
                reason: "no intel-rapl zone under \(options.powercapRoots.joined(separator: " or ")) "
                    + "(virtual machines and most containers expose none; Apple and ARM CPUs have no RAPL)" + skipped)
        }
        var readable: [RaplZone] = []
        var failures: [(zone: RaplZone, error: EnergyError)] = []
        for zone in discovered {
            do {
                _ = try files.readUInt64(zone.energyPath)
                readable.append(zone)
            } catch {
                failures.append((zone, error))
            }
        }
        guard !readable.isEmpty else { throw Self.noZoneReadable(failures) }
        readableZones = readable
        unreadableZones = failures.map(\.zone)
        plan = RaplPlan.make(readable: readable, preferPsys: options.preferPsys, unreadable: unreadableZones)
        var notes = survey.notes + plan.notes
        for failure in failures { notes.append("rapl: zone skipped: \(failure.error.description)") }
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

    /// Drops a psys zone that did not advance during the probe in favour of the package and
    /// dram zones, when they exist: `--psys` asks for psys, not for no RAPL at all.
    func standInForStillZone(_ index: Int) -> String? {
        guard preferPsys, plan.entries.indices.contains(index), zones.indices.contains(index),
            plan.entries[index].zone.name == "psys", zones[index].includedInTotal
        else { return nil }
        let fallback = RaplPlan.make(readable: readableZones, preferPsys: false, unreadable: unreadableZones)
        guard fallback.entries.map(\.zone) == plan.entries.map(\.zone), !fallback.entries[index].includedInTotal,
            fallback.entries.contains(where: \.includedInTotal)
        else { return nil }
        plan = fallback
        for position in zones.indices { zones[position].includedInTotal = fallback.entries[position].includedInTotal }
        let counted = fallback.entries.filter(\.includedInTotal).map(\.label).joined(separator: " + ")
        return
            "rapl: psys (\(zones[index].counter)) did not advance during the probe, so the total counts \(counted) instead (--psys asked for psys)"
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
