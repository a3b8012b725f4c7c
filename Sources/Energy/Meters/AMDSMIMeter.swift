import Vocabulary

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// AMD GPU energy through AMD SMI (`libamd_smi.so`, ROCm 6.1 and later): each GPU processor's
/// energy accumulator (`amdsmi_get_energy_count`, counts × the resolution it returns, in µJ),
/// else its socket's power (`amdsmi_get_power_info`, watts) sampled at every poll and
/// integrated with the trapezoid rule (noted as sampled power).
///
/// Multi-die boards and partitions (MI250's two dies, MI300X partitions) report their energy
/// unevenly: one die may carry the figure of the whole socket while the others read zero, and
/// the partitions of one MI300X (DPX, CPX) each report the socket's figures (AMD SMI reports
/// socket power at the socket level; rocm-smi shows the same watts on all eight CPX partitions).
/// The rule, so that every die is counted and none twice:
/// - processors of one socket whose accumulators read the same count (at the same resolution)
///   in at least two of three reads a few milliseconds apart share one counter: the first counts,
///   the others are covered by it (two independent counters never agree like that; one read
///   that straddles an update of the driver's metrics table is tolerated);
/// - every other processor whose accumulator reads a non-zero count is counted by it;
/// - a processor whose accumulator is absent or zero, in a socket where another processor
///   counts, is covered by that one (the firmware reports the socket's energy there);
/// - a socket where no processor counts is measured once by its power, on its first processor
///   whose power reads; its other processors are covered by that one;
/// - a processor that reports neither, alone in its socket (MI250's second die, listed as a
///   socket of its own), is not counted: its energy is in its board sibling's figure.
/// A covered processor adds no zone; a note names the processor that counts it, and whether
/// this process sees that one (visible devices select zones, never move energy between them).
/// Not checked on partitioned hardware: the sharing rule keys on what the counters read, so it
/// holds whether the partitions report the socket's accumulator or each its own.
final class AMDSMIMeter: EnergyMeter {
    let kind = MeterKind.amdsmi
    let resolution = EnergyResolution.amdsmi
    let provenance = EnergyProvenance.measured
    private(set) var zones: [MeterZone] = []
    /// A 64-bit accumulator of 15.3 µJ counts holds 2.8·10^14 J: it does not wrap in practice.
    let maximumPollIntervalSeconds: Double? = nil
    let openingNotes: [String]
    private let library: AMDSMILibrary
    private var processors: [AMDSMILibrary.Handle] = []
    private var energies: [GPUEnergyZone] = []
    private var isOpen = true

    /// How one processor is measured.
    private enum Plan {
        case counter(joulesPerCount: Double)
        case power
        case covered(by: Int)
        case sharesCounter(with: Int)
        case unmeasured
    }

    /// Initialises AMD SMI for AMD GPUs only and opens the visible GPUs.
    ///
    /// - Throws: `EnergyError.meterUnavailable` when the library is absent, `amdsmi_init` fails
    ///   (with the driver's message), or no visible GPU can be read.
    init(options: MeterOptions) throws(EnergyError) {
        let library = try AMDSMILibrary(libraryName: options.amdsmiLibraryName)
        self.library = library
        let initCode = library.initialize(AMDSMILibrary.initAMDGPUs)
        guard initCode == AMDSMILibrary.success else {
            throw EnergyError.meterUnavailable(meter: "amdsmi", reason: "amdsmi_init failed: \(library.describe(initCode))")
        }
        let found: [(socket: Int, processor: AMDSMILibrary.Handle)]
        switch library.processors() {
        case .success(let list): found = list
        case .failure(let status):
            _ = library.shutDown()
            throw EnergyError.meterUnavailable(meter: "amdsmi", reason: status.text)
        }
        let plans = Self.plan(found, library: library)
        var notes: [String] = []
        if library.hasPowerInfo && library.powerLayout == nil {
            notes.append(
                "amdsmi: the library's version is unknown (no amdsmi_get_lib_version, or an answer not understood): its socket power is not read, since amdsmi_power_info_t differs between versions"
            )
        }
        let names = found.map { library.name(of: $0.processor) }
        func label(_ index: Int) -> String { "gpu-\(index)" + (names[index].map { " (\($0))" } ?? "") }
        let visible = options.visibleAMDGPUs ?? Array(found.indices)
        for index in visible {
            guard found.indices.contains(index) else {
                notes.append("amdsmi: visible GPU \(index) does not exist (AMD SMI sees \(found.count))")
                continue
            }
            switch plans[index] {
            case .counter(let joulesPerCount):
                energies.append(GPUEnergyZone(joulesPerCount: joulesPerCount, peakWatts: options.peakWattsPerZone))
            case .power:
                energies.append(GPUEnergyZone())
                let why = library.energyCount == nil ? "the library has no amdsmi_get_energy_count" : "its energy counter cannot be read"
                notes.append(
                    "amdsmi: \(label(index)): \(why); its socket's power is sampled at every poll and integrated (sampled power, not a counter)"
                )
            case .covered(let other):
                let seen = visible.contains(other) ? "" : ", which this process does not see: not measured here"
                notes.append("amdsmi: \(label(index)) reports no energy of its own; \(label(other)) of the same socket counts it\(seen)")
                continue
            case .sharesCounter(let other):
                let seen = visible.contains(other) ? "" : ", which this process does not see: not measured here"
                notes.append(
                    "amdsmi: \(label(index)) reads the same energy accumulator as \(label(other)) of the same socket (partitions of one GPU report the socket's counter): counted once, by \(label(other))\(seen)"
                )
                continue
            case .unmeasured:
                notes.append(
                    "amdsmi: \(label(index)) reports neither energy nor power: not counted (the second die of an MI250-style board, whose energy the other die reports)"
                )
                continue
            }
            processors.append(found[index].processor)
            zones.append(MeterZone(label: label(index), includedInTotal: true, counter: "AMD SMI GPU \(index)", deviceIndex: index))
        }
        if options.visibleAMDGPUs != nil {
            notes.append(
                "amdsmi: HIP_VISIBLE_DEVICES / ROCR_VISIBLE_DEVICES / CUDA_VISIBLE_DEVICES indices are taken as AMD SMI indices (the order of `amd-smi list`)"
            )
        }
        guard !zones.isEmpty else {
            _ = library.shutDown()
            isOpen = false
            throw EnergyError.meterUnavailable(
                meter: "amdsmi",
                reason: "no visible GPU could be read (AMD SMI sees \(found.count) GPU processor(s))"
                    + notes.map { "; " + $0 }.joined())
        }
        openingNotes = notes
    }

    /// Decides how each processor is measured (the rule in the type's documentation).
    private static func plan(_ found: [(socket: Int, processor: AMDSMILibrary.Handle)], library: AMDSMILibrary) -> [Plan] {
        var plans: [Plan] = found.map { entry in
            guard case .success(let reading) = library.energy(of: entry.processor), reading.counts > 0,
                reading.microjoulesPerCount > 0, reading.microjoulesPerCount.isFinite
            else { return .unmeasured }
            return .counter(joulesPerCount: reading.microjoulesPerCount * 1e-6)
        }
        for (index, first) in sharedCounters(found, plans: plans, library: library) {
            plans[index] = .sharesCounter(with: first)
        }
        var measuredBy: [Int: Int] = [:]
        for index in plans.indices {
            if case .counter = plans[index], measuredBy[found[index].socket] == nil { measuredBy[found[index].socket] = index }
        }
        for index in plans.indices {
            guard case .unmeasured = plans[index] else { continue }
            if let other = measuredBy[found[index].socket] {
                plans[index] = .covered(by: other)
            } else if library.socketWatts(of: found[index].processor) != nil {
                plans[index] = .power
                measuredBy[found[index].socket] = index
            }
        }
        return plans
    }

    /// The counting processors that share an earlier one's accumulator, each with that one: within a
    /// socket, the same count and resolution in at least two of three reads 5 ms apart.
    private static func sharedCounters(
        _ found: [(socket: Int, processor: AMDSMILibrary.Handle)], plans: [Plan], library: AMDSMILibrary
    ) -> [Int: Int] {
        let counting = plans.indices.filter { if case .counter = plans[$0] { true } else { false } }
        let sockets = Dictionary(grouping: counting) { found[$0].socket }.values.filter { $0.count > 1 }
        guard !sockets.isEmpty else { return [:] }
        let candidates = sockets.flatMap { $0 }
        var samples: [[Int: (counts: UInt64, microjoulesPerCount: Double)]] = []
        for attempt in 0..<3 {
            if attempt > 0 { usleep(5_000) }
            var sample: [Int: (counts: UInt64, microjoulesPerCount: Double)] = [:]
            for index in candidates {
                if case .success(let reading) = library.energy(of: found[index].processor) { sample[index] = reading }
            }
            samples.append(sample)
        }
        func agreements(_ one: Int, _ other: Int) -> Int {
            samples.count { sample in
                guard let first = sample[one], let second = sample[other] else { return false }
                return first.counts == second.counts && first.microjoulesPerCount == second.microjoulesPerCount
            }
        }
        var shares: [Int: Int] = [:]
        for members in sockets {
            for (position, index) in members.sorted().enumerated() {
                let earlier = members.sorted().prefix(position).filter { shares[$0] == nil }
                if let first = earlier.first(where: { agreements($0, index) >= 2 }) { shares[index] = first }
            }
        }
        return shares
    }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        guard isOpen else { return [] }
        let library = library
        let processors = processors
        return GPUEnergyZone.poll(
            &energies, zones: &zones, atSeconds: seconds,
            counter: { index in
                switch library.energy(of: processors[index]) {
                case .success(let reading): .counts(reading.counts)
                case .failure(let status): .failed(status.text)
                }
            },
            watts: { library.socketWatts(of: processors[$0]) })
    }

    func settle(atSeconds seconds: Double) {
        GPUEnergyZone.settle(&energies, zones: &zones, atSeconds: seconds)
    }

    func instantaneousWatts(zone: Int) -> Double? {
        guard isOpen, processors.indices.contains(zone) else { return nil }
        return library.socketWatts(of: processors[zone])
    }

    func samplesPower(zone: Int) -> Bool { energies.indices.contains(zone) && energies[zone].samplesPower }

    func close() {
        guard isOpen else { return }
        isOpen = false
        _ = library.shutDown()
    }

    deinit { close() }
}
