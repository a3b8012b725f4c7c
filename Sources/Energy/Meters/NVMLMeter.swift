import Vocabulary

/// NVIDIA GPU energy through NVML: the total-energy counter (millijoules since the driver
/// loaded, Volta and newer) where supported, otherwise power sampled at every poll and
/// integrated with the trapezoid rule (noted as sampled power).
///
/// A counter that stands still while the power sensor reads a load is taken for stopped after
/// ``GPUEnergyZone/stallSeconds``: the zone is marked unreadable from its last advance and the
/// gap bridged, rather than counted as zero.
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
    private var energies: [GPUEnergyZone] = []
    private var isOpen = true

    /// Initialises NVML and opens the visible GPUs.
    ///
    /// - Throws: `EnergyError.meterUnavailable` when the library is absent, NVML fails to
    ///   initialise (with the driver's message), or no visible GPU can be read.
    init(options: MeterOptions) throws(EnergyError) {
        let library = try NVMLLibrary(libraryName: options.nvmlLibraryName)
        self.library = library
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
            let energyCode = library.totalEnergy.map { $0(device, &millijoules) }
            if energyCode == NVMLLibrary.success {
                energies.append(GPUEnergyZone(joulesPerCount: 1e-3, peakWatts: options.peakWattsPerZone))
            } else if library.watts(of: device) != nil {
                energies.append(GPUEnergyZone())
                let why =
                    energyCode.map { "its energy counter answers \(library.describe($0))" }
                    ?? "the library has no nvmlDeviceGetTotalEnergyConsumption"
                notes.append("nvml: \(label): \(why); its power is sampled at every poll and integrated (sampled power, not a counter)")
            } else {
                notes.append("nvml: \(label) skipped: neither energy nor power can be read")
                continue
            }
            devices.append(device)
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
        guard isOpen else { return [] }
        let library = library
        let devices = devices
        return GPUEnergyZone.poll(
            &energies, zones: &zones, atSeconds: seconds,
            counter: { index in
                var millijoules: UInt64 = 0
                let code = library.totalEnergy?(devices[index], &millijoules) ?? -1
                return code == NVMLLibrary.success ? .counts(millijoules) : .failed(library.describe(code))
            },
            watts: { library.watts(of: devices[$0]) })
    }

    func settle(atSeconds seconds: Double) {
        GPUEnergyZone.settle(&energies, zones: &zones, atSeconds: seconds)
    }

    func instantaneousWatts(zone: Int) -> Double? {
        guard isOpen, devices.indices.contains(zone) else { return nil }
        return library.watts(of: devices[zone])
    }

    func samplesPower(zone: Int) -> Bool { energies.indices.contains(zone) && energies[zone].samplesPower }

    func close() {
        guard isOpen else { return }
        isOpen = false
        _ = library.shutdown()
    }

    deinit { close() }
}
