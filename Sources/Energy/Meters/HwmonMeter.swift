import Vocabulary

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Energy from the kernel's hwmon devices (`/sys/class/hwmon/hwmon*`, `options.hwmonRoot`):
/// GPUs whose drivers expose energy or power there (Intel `xe` and `i915`, AMD `amdgpu`) and
/// AMD CPUs through the out-of-tree `amd_energy` driver.
///
/// `energyN_input` counters (µJ, kept 64-bit by the driver) are read through
/// ``CounterAccumulator``; a device without one has its `powerN_average` or `powerN_input`
/// (µW) sampled at every poll and integrated with the trapezoid rule, and says so in its
/// counter text and a note. ``HwmonPlan`` decides what counts. One survey may give a host
/// meter (`amd_energy`) and a devices meter (the GPUs). AMD GPUs are kept by
/// `visibleAMDGPUs`; Intel GPUs are not matched to `ZE_AFFINITY_MASK` (out of scope): the
/// node's first rank counts them all and a devices-only rank none.
final class HwmonMeter: EnergyMeter {
    /// The meters one survey gives, and what was noted on the way.
    struct Opened {
        var meters: [any EnergyMeter]
        var notes: [String]
    }

    let kind = MeterKind.hwmon
    let role: MeterRole
    let provenance = EnergyProvenance.measured
    let resolution: EnergyResolution
    private(set) var zones: [MeterZone]
    let maximumPollIntervalSeconds: Double?
    private let files: SystemFiles
    private let sources: [HwmonPlan.Zone]
    private var counters: [CounterAccumulator?]
    private var integrators: [PowerIntegrator]

    /// Intel GPUs keep a 32-bit register of 2^-14 J units and widen it only when the file is
    /// read, catching one wrap between reads (i915 hwmon ABI, energy1_input): 2^18 J.
    static let intelRegisterJoules = 262_144.0

    private init(role: MeterRole, zones planned: [HwmonPlan.Zone], options: MeterOptions) {
        self.role = role
        files = options.files
        sources = planned
        zones = planned.map {
            MeterZone(
                label: $0.label, includedInTotal: $0.includedInTotal,
                counter: $0.channel.isPower ? "\($0.channel.path) (sampled power, integrated)" : $0.channel.path,
                deviceIndex: $0.deviceIndex, driver: $0.driver)
        }
        counters = planned.map {
            $0.channel.isPower ? nil : CounterAccumulator(joulesPerCount: 1e-6, rangeCounts: nil, peakWatts: options.peakWattsPerZone)
        }
        integrators = planned.map { _ in PowerIntegrator() }
        let counted = planned.filter(\.includedInTotal)
        let energy = counted.contains { !$0.channel.isPower }
        let power = counted.contains { $0.channel.isPower }
        resolution =
            energy && power
            ? EnergyResolution.hwmonEnergy.coarsened(with: .hwmonPower) : power ? .hwmonPower : .hwmonEnergy
        let intel = planned.contains { ($0.driver == "xe" || $0.driver == "i915") && !$0.channel.isPower }
        maximumPollIntervalSeconds = intel ? Self.intelRegisterJoules / options.peakWattsPerZone / 2 : nil
    }

    /// Surveys `options.hwmonRoot` and opens what counts there.
    ///
    /// - Returns: Up to two meters (host, devices) and the notes on what was skipped or listed.
    /// - Throws: `EnergyError.meterUnavailable` when no device has a counted channel that can be
    ///   read; a permission error names the file and `footprint agent` as the remedy.
    static func open(options: MeterOptions) throws(EnergyError) -> Opened {
        let devices = HwmonSurvey.devices(files: options.files, root: options.hwmonRoot)
        guard devices.contains(where: { !$0.energyChannels.isEmpty || !$0.powerChannels.isEmpty }) else {
            let seen = devices.isEmpty ? "" : " (seen: " + devices.map(\.name).joined(separator: ", ") + ")"
            throw EnergyError.meterUnavailable(
                meter: "hwmon", reason: "no hwmon device with an energy or power file under \(options.hwmonRoot)\(seen)")
        }
        var plan = HwmonPlan.make(
            devices: devices, visibleAMDGPUs: options.visibleAMDGPUs, devicesOnly: options.devicesOnly)
        var notes = plan.notes
        var refused: [(zone: HwmonPlan.Zone, error: EnergyError)] = []
        func readable(_ zone: HwmonPlan.Zone) -> Bool {
            do {
                _ = try options.files.readUInt64(zone.channel.path)
                return true
            } catch {
                refused.append((zone, error))
                notes.append("hwmon: \(zone.label) skipped: \(error.description)")
                return false
            }
        }
        plan.hostZones = plan.hostZones.filter(readable)
        plan.deviceZones = plan.deviceZones.filter(readable)
        var meters: [any EnergyMeter] = []
        for (role, planned) in [(MeterRole.host, plan.hostZones), (.devices, plan.deviceZones)]
        where planned.contains(where: \.includedInTotal) {
            meters.append(HwmonMeter(role: role, zones: planned, options: options))
        }
        guard !meters.isEmpty else {
            if let denied = refused.first(where: { isPermissionError($0.error) }) {
                throw permissionDenied(denied.zone, options: options)
            }
            if let first = refused.first { throw first.error }
            throw EnergyError.meterUnavailable(
                meter: "hwmon", reason: "nothing under \(options.hwmonRoot) counts here: " + plan.notes.joined(separator: "; "))
        }
        return Opened(meters: meters, notes: notes)
    }

    private static func isPermissionError(_ error: EnergyError) -> Bool {
        if case let .fileUnreadable(_, errorNumber) = error { return errorNumber == EACCES }
        return false
    }

    /// The error when the counted files are there but readable by root only.
    static func permissionDenied(_ zone: HwmonPlan.Zone, options: MeterOptions) -> EnergyError {
        let why =
            zone.driver == "amd_energy"
            ? "amd_energy's counters are readable by root only since CVE-2020-12912"
            : "the file is readable by root only here"
        return EnergyError.meterUnavailable(
            meter: "hwmon",
            reason:
                "permission denied reading \(zone.channel.path) (\(zone.label)): \(why). Remedies: ask the node's administrator to run "
                + "`footprint agent`, which serves these counters read-only to every user over \(options.agentSocketPath); or run as root")
    }

    func poll(atSeconds seconds: Double) -> [(zone: Int, event: ZoneEvent)] {
        var events: [(zone: Int, event: ZoneEvent)] = []
        for index in zones.indices {
            let path = sources[index].channel.path
            if var counter = counters[index] {
                do {
                    let counts = try files.readUInt64(path)
                    if let event = counter.ingest(counts: counts, atSeconds: seconds).event { events.append((index, event)) }
                } catch {
                    if let event = counter.failRead(atSeconds: seconds, reason: error.readFailureReason) { events.append((index, event)) }
                }
                counters[index] = counter
                zones[index].update(from: counter)
            } else {
                // A failed power reading is tried again at the next poll; the trapezoid spans the gap.
                guard let microwatts = try? files.readUInt64(path) else {
                    zones[index].unreadable = true
                    continue
                }
                zones[index].unreadable = false
                _ = integrators[index].ingest(watts: Double(microwatts) * 1e-6, atSeconds: seconds)
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

    /// Power channels are sampled and integrated; energy channels are counters.
    func samplesPower(zone: Int) -> Bool { sources.indices.contains(zone) && sources[zone].channel.isPower }

    /// The power a sampled zone reads now, so the probe can accept a live sensor.
    func instantaneousWatts(zone: Int) -> Double? {
        guard sources.indices.contains(zone), sources[zone].channel.isPower,
            let microwatts = try? files.readUInt64(sources[zone].channel.path)
        else { return nil }
        return Double(microwatts) * 1e-6
    }

    /// AMD SMI reads the same AMD GPUs as amdgpu's hwmon power: its zones leave the total.
    func yieldZones(coveredBy kinds: Set<MeterKind>) -> [String] {
        guard kinds.contains(.amdsmi) else { return [] }
        var notes: [String] = []
        for index in zones.indices where sources[index].driver == "amdgpu" && zones[index].includedInTotal {
            zones[index].includedInTotal = false
            notes.append("hwmon: \(zones[index].label) left out of the total: AMD SMI measures the same GPUs")
        }
        return notes
    }
}
