/// What the hwmon meter makes of the devices it found: which channels count, in which role,
/// under which label, and what is only listed.
///
/// - GPU drivers (``gpuDrivers``) give `.devices` zones, one counted per device so nothing is
///   counted twice: its energy counter when it has one (xe's `card` channel, which holds the
///   `pkg` one, else the first), otherwise its first power channel, sampled and integrated
///   (amdgpu's `PPT`). Other channels of the device are read and listed, not added.
/// - `amd_energy` gives `.host` zones: its `Esocket#` counters count; its `Ecore###` counters lie
///   inside them and are named in a note, not read.
/// - Any other device with energy or power files (ACPI `power_meter`, board rails) is named in
///   a note saying what it is and why it is not added.
struct HwmonPlan {
    /// One channel to read.
    struct Zone: Equatable {
        /// `xe card`, `amdgpu PPT`, `amd_energy Esocket0`.
        var label: String
        var channel: HwmonDevice.Channel
        /// The device's `name`.
        var driver: String
        var includedInTotal: Bool
        /// The GPU's index among the cards of its driver, for visible-device rules.
        var deviceIndex: Int?
    }

    var hostZones: [Zone] = []
    var deviceZones: [Zone] = []
    var notes: [String] = []

    /// Drivers of GPUs whose hwmon energy or power is the card's own.
    static let gpuDrivers: Set<String> = ["amdgpu", "xe", "i915", "nouveau"]
    /// Drivers of the host's CPU energy.
    static let hostDrivers: Set<String> = ["amd_energy"]

    /// Plans the zones of `devices`.
    ///
    /// - Parameters:
    ///   - devices: The survey, in hwmon order.
    ///   - visibleAMDGPUs: AMD GPU indices to keep (`HIP_VISIBLE_DEVICES` …), nil for all.
    ///   - devicesOnly: Whether this is a job rank measuring its own devices only. Intel GPUs
    ///     are not matched to ranks (`ZE_AFFINITY_MASK` is not read), so such a rank leaves them
    ///     to the node's first rank, which counts them all, rather than count them again.
    static func make(devices: [HwmonDevice], visibleAMDGPUs: [Int]?, devicesOnly: Bool = false) -> HwmonPlan {
        var plan = HwmonPlan()
        let metered = devices.filter { !$0.energyChannels.isEmpty || !$0.powerChannels.isEmpty }
        // A GPU's index is its rank among its driver's cards: DRM numbers every display device
        // (a server's BMC is often card0), while HIP and AMD SMI count the AMD GPUs alone, in
        // the PCI order that card numbers follow.
        var indices: [String: Int] = [:]
        for name in Set(metered.map(\.name)) where gpuDrivers.contains(name) {
            let cards = metered.filter { $0.name == name }.sorted { ($0.card ?? Int.max, $0.number) < ($1.card ?? Int.max, $1.number) }
            for (index, device) in cards.enumerated() { indices[device.directory] = index }
        }
        for device in metered {
            let shared = metered.filter { $0.name == device.name }.count > 1
            let prefix = device.name + (shared ? " " + (device.card.map { "card\($0)" } ?? device.entry) : "")
            if gpuDrivers.contains(device.name) {
                let index = indices[device.directory]
                if device.name == "amdgpu", let visible = visibleAMDGPUs, let index, !visible.contains(index) {
                    plan.notes.append(
                        "hwmon: \(prefix) (AMD GPU \(index)) skipped: not among the visible GPUs (HIP_VISIBLE_DEVICES, ROCR_VISIBLE_DEVICES or CUDA_VISIBLE_DEVICES)"
                    )
                    continue
                }
                if devicesOnly, device.name == "xe" || device.name == "i915" {
                    plan.notes.append(
                        "hwmon: \(prefix) skipped on this rank: Intel GPUs are not matched to ranks (ZE_AFFINITY_MASK is not read), so the node's first rank counts them all"
                    )
                    continue
                }
                plan.addGPU(device, prefix: prefix, index: index)
            } else if hostDrivers.contains(device.name) {
                plan.addHostCPU(device, prefix: prefix)
            } else {
                plan.notes.append(unknownNote(device))
            }
        }
        return plan
    }

    private mutating func addGPU(_ device: HwmonDevice, prefix: String, index: Int?) {
        let channels = device.energyChannels.isEmpty ? device.powerChannels : device.energyChannels
        guard let counted = channels.first(where: { $0.label == "card" }) ?? channels.first else { return }
        for channel in channels {
            deviceZones.append(
                Zone(
                    label: "\(prefix) \(channel.displayName)", channel: channel, driver: device.name,
                    includedInTotal: channel == counted, deviceIndex: index))
        }
        if counted.isPower {
            notes.append(
                "hwmon: \(prefix) \(counted.displayName) has no energy counter; its power (\(counted.path)) is sampled at every poll and integrated (sampled power)"
            )
        }
        let others = channels.filter { $0 != counted }.map { "\(prefix) \($0.displayName)" }
        guard !others.isEmpty else { return }
        let why =
            counted.label == "card"
            ? "the card's counter includes them"
            : "they measure the same device, so one channel counts"
        notes.append("hwmon: \(others.joined(separator: ", ")) listed, not added: \(prefix) \(counted.displayName) counts (\(why))")
    }

    private mutating func addHostCPU(_ device: HwmonDevice, prefix: String) {
        let cores = device.energyChannels.filter { $0.label?.hasPrefix("Ecore") == true }
        let sockets = device.energyChannels.filter { $0.label?.hasPrefix("Ecore") != true }
        for socket in sockets {
            hostZones.append(Zone(label: "\(prefix) \(socket.displayName)", channel: socket, driver: device.name, includedInTotal: true))
        }
        if let first = cores.first, let last = cores.last {
            let range = cores.count == 1 ? first.displayName : "\(first.displayName) … \(last.displayName)"
            notes.append(
                "hwmon: \(prefix) has \(cores.count) core counters (\(range)) inside its socket counters: listed, not read or added")
        }
    }

    /// What an unknown device is and why it is not added.
    private static func unknownNote(_ device: HwmonDevice) -> String {
        let files = (device.energyChannels + device.powerChannels).map { $0.path.split(separator: "/").last.map(String.init) ?? $0.stem }
        let described = "\(device.name) (\(device.directory), \(files.joined(separator: ", ")))"
        if device.name == "power_meter" {
            return
                "hwmon: \(described) is the ACPI power meter: the whole system's power, which holds the CPU and GPUs measured separately; listed, not added"
        }
        return
            "hwmon: \(described) has energy or power files, but Footprint does not know what it measures (a board rail, a power supply, a battery); listed, not added"
    }
}
