import Vocabulary

/// NVIDIA GPU energy through NVML: the total-energy counter (millijoules since the driver
/// loaded, Volta and newer) where supported, otherwise power sampled at every poll and
/// integrated with the trapezoid rule.
final class NVMLMeter: EnergyMeter {
    let kind = MeterKind.nvml
    let resolution = EnergyResolution.nvml
    let provenance = EnergyProvenance.measured
    private(set) var zones: [MeterZone] = []
    /// A 64-bit millijoule counter does not wrap in practice.
    let maximumPollIntervalSeconds: Double? = nil
    let openingNotes: [String]
    private let library: NVMLLibrary
    private var devices: [NVMLLibrary.Device] = []
    private var counters: [CounterAccumulator?] = []
    private var integrators: [PowerIntegrator] = []
    private var isOpen = true

    /// Initialises NVML and opens the visible GPUs.
    ///
    /// - Throws: `EnergyError.meterUnavailable` when the library is absent, NVML fails to
    ///   initialise, or no visible GPU can be read.
    init(options: MeterOptions) throws(EnergyError) {
        library = try NVMLLibrary(libraryName: options.nvmlLibraryName)
        let initCode = library.initialize()
        guard initCode == NVMLLibrary.success else {
            throw EnergyError.meterUnavailable(meter: "nvml", reason: "nvmlInit_v2 failed: \(library.describe(initCode))")
        }
        var count: UInt32 = 0
        let countCode = library.deviceCount(&count)
        var notes: [String] = []
        let indices = options.visibleGPUs ?? Array(0..<Int(countCode == NVMLLibrary.success ? count : 0))
        for index in indices {
            guard index < Int(count) else {
                notes.append("nvml: visible GPU \(index) does not exist (NVML sees \(count))")
                continue
            }
            var device: OpaquePointer?
            let handleCode = library.deviceHandle(UInt32(index), &device)
            guard handleCode == NVMLLibrary.success else {
                notes.append("nvml: GPU \(index) skipped: \(library.describe(handleCode))")
                continue
            }
            let label = "gpu-\(index)" + (library.name(of: device).map { " (\($0))" } ?? "")
            var millijoules: UInt64 = 0
            var milliwatts: UInt32 = 0
            if let totalEnergy = library.totalEnergy, totalEnergy(device, &millijoules) == NVMLLibrary.success {
                counters.append(CounterAccumulator(joulesPerCount: 1e-3, rangeCounts: nil, peakWatts: options.peakWattsPerZone))
            } else if library.powerUsage(device, &milliwatts) == NVMLLibrary.success {
                counters.append(nil)
                notes.append("nvml: \(label) has no energy counter; its power is sampled at every poll and integrated")
            } else {
                notes.append("nvml: \(label) skipped: neither energy nor power can be read")
                continue
            }
            devices.append(device)
            integrators.append(PowerIntegrator())
            zones.append(MeterZone(label: label, includedInTotal: true, counter: "NVML GPU \(index)", deviceIndex: index))
        }
        if options.visibleGPUs != nil {
            notes.append("nvml: CUDA_VISIBLE_DEVICES indices are taken as NVML indices (true with CUDA_DEVICE_ORDER=PCI_BUS_ID)")
        }
        guard !zones.isEmpty else {
            _ = library.shutdown()
            isOpen = false
            let seen =
                countCode == NVMLLibrary.success
                ? "NVML sees \(count) GPU(s)" : "nvmlDeviceGetCount_v2 failed: \(library.describe(countCode))"
            throw EnergyError.meterUnavailable(meter: "nvml", reason: "no visible GPU could be read (\(seen))")
        }
        openingNotes = notes
    }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        var events: [(zone: Int, event: ZoneEvent)] = []
        guard isOpen else { return events }
        for index in zones.indices {
            if var counter = counters[index] {
                var millijoules: UInt64 = 0
                let code = library.totalEnergy?(devices[index], &millijoules) ?? -1
                if code == NVMLLibrary.success {
                    if let event = counter.ingest(counts: millijoules, atSeconds: seconds).event { events.append((index, event)) }
                } else if let event = counter.failRead(atSeconds: seconds, reason: library.describe(code)) {
                    events.append((index, event))
                }
                counters[index] = counter
                zones[index].update(from: counter)
            } else {
                var milliwatts: UInt32 = 0
                let code = library.powerUsage(devices[index], &milliwatts)
                // A failed power reading is tried again at the next poll; the trapezoid spans the gap.
                zones[index].unreadable = code != NVMLLibrary.success
                guard code == NVMLLibrary.success else { continue }
                _ = integrators[index].ingest(watts: Double(milliwatts) / 1000, atSeconds: seconds)
                zones[index].joules = integrators[index].joules
            }
        }
        return events
    }

    func settle(atSeconds seconds: Double) {
        for index in zones.indices {
            guard var counter = counters[index] else { continue }
            counter.settle(atSeconds: seconds)
            counters[index] = counter
            zones[index].update(from: counter)
        }
    }

    func instantaneousWatts(zone: Int) -> Double? {
        guard isOpen, devices.indices.contains(zone) else { return nil }
        var milliwatts: UInt32 = 0
        guard library.powerUsage(devices[zone], &milliwatts) == NVMLLibrary.success else { return nil }
        return Double(milliwatts) / 1000
    }

    func close() {
        guard isOpen else { return }
        isOpen = false
        _ = library.shutdown()
    }

    deinit { close() }
}
