import Foundation
import Vocabulary

/// What the energy meters read and how often.
///
/// The defaults read the real machine; `fromEnvironment(_:)` applies `FOOTPRINT_POWERCAP_ROOT`,
/// `FOOTPRINT_CPU_WATTS` and `CUDA_VISIBLE_DEVICES`, and the CLI sets the rest from its flags.
public struct MeterOptions: Sendable {
    /// Where powercap zones are looked for, as system paths (inside `systemRoot`).
    public var powercapRoots: [String] = ["/sys/class/powercap", "/sys/devices/virtual/powercap"]
    /// Watts the CPU estimate uses for the CPUs visible here, instead of the TDP table.
    public var cpuWatts: Double?
    /// Use the psys zone (whole SoC) for the total even when package zones exist.
    public var preferPsys = false
    /// Seconds between two samples; shortened automatically when a counter could wrap twice.
    public var samplingIntervalSeconds = 1.0
    /// NVML indices of the GPUs to measure (`CUDA_VISIBLE_DEVICES`); nil measures every GPU.
    public var visibleGPUs: [Int]?
    /// AMD SMI indices of the GPUs to measure (`HIP_VISIBLE_DEVICES`, else
    /// `ROCR_VISIBLE_DEVICES`, else `CUDA_VISIBLE_DEVICES`, which HIP also honours); nil measures every GPU.
    public var visibleAMDGPUs: [Int]?
    /// Measure only this process's own devices (GPUs), never the host's CPU and memory: a job
    /// rank other than the node's first, whose host energy rank 0 measures.
    public var devicesOnly = false
    /// Upper bound on any one zone's power: sets the polling period against wraparound, and an
    /// interval implying more than this is rejected as a counter glitch.
    public var peakWattsPerZone = 1500.0
    /// Meters not to open, by name ("rapl", "nvml" …).
    public var disabledMeters: Set<String> = []
    /// The meters a run may use (`--meter`, `FOOTPRINT_METERS`); nil allows every one.
    public var allowedMeters: Set<MeterKind>?
    /// How long the busy probe runs, at most; it is stretched to cover the slowest candidate's
    /// update period three times and capped so the whole probe stays under 150 ms.
    public var probeSeconds = 0.1
    /// CPU seconds used so far by the process tree being measured: this process for `train`,
    /// the wrapped child for `wrap`. The estimate attributes load from it at nanosecond grain
    /// and the watchdog checks that counters move while it grows; nil falls back to /proc/stat.
    public var processCPUSeconds: (@Sendable () -> Double?)?
    /// File name or path handed to dlopen for NVML (`FOOTPRINT_NVML_LIBRARY`).
    public var nvmlLibraryName = "libnvidia-ml.so.1"
    /// File name or path handed to dlopen for AMD SMI (`FOOTPRINT_AMDSMI_LIBRARY`).
    public var amdsmiLibraryName = "libamd_smi.so"
    /// Where hwmon devices are looked for, as a system path (inside `systemRoot`;
    /// `FOOTPRINT_HWMON_ROOT`).
    public var hwmonRoot = "/sys/class/hwmon"
    /// The Unix socket of `footprint agent` (`FOOTPRINT_AGENT_SOCKET`); a real path, never
    /// inside `systemRoot`.
    public var agentSocketPath = MeterOptions.defaultAgentSocketPath
    /// Where `footprint agent` listens unless told otherwise.
    public static let defaultAgentSocketPath = "/run/footprint/agent.sock"
    /// Notes gathered while reading the environment (GPU UUIDs skipped …), carried into the run.
    public var environmentNotes: [String] = []

    /// The seam every /sys and /proc read goes through.
    package var files = SystemFiles()
    /// How perf_event counters are opened and read (a fake in tests).
    package var perfCounters = PerfCounterSource.system
    /// The work done on the calling thread while the meters are probed: a busy loop of the
    /// given seconds on a real machine; fixtures replace it to make their counters count or not.
    package var probeWork: @Sendable (_ seconds: Double) -> Void = MeterProbe.spin
    /// Whether the probe ends as soon as every counter has advanced (a live RAPL counter: one
    /// 10 ms slice) instead of working for its whole length; fake-clock fixtures that count on
    /// the probe moving their clock by its full length turn it off.
    package var probeEndsEarly = true
    /// The monotonic clock, in seconds (a fake in tests).
    package var clock: @Sendable () -> Double = { Clocks.monotonicSeconds() }

    /// Whether `kind` may be opened: allowed by `--meter` and not disabled.
    public func permits(_ kind: MeterKind) -> Bool {
        (allowedMeters?.contains(kind) ?? true) && !disabledMeters.contains(kind.rawValue)
    }

    /// Reads RAPL zones under `path` only, as `FOOTPRINT_POWERCAP_ROOT` and `--powercap-root`
    /// both ask: one path, never split (a zone directory such as
    /// `/sys/class/powercap/intel-rapl:0` is read with its sub-zones).
    public mutating func usePowercapRoot(_ path: String) {
        powercapRoots = [path]
    }

    /// Prefix for every /sys and /proc path: "/" on a real machine, a fixture tree in tests.
    public var systemRoot: String {
        get { files.root }
        set { files.root = newValue }
    }

    public init() {}

    /// Options for this process's environment.
    ///
    /// - Parameter environment: variables to read, `ProcessInfo.processInfo.environment` normally.
    /// - Returns: options with `FOOTPRINT_POWERCAP_ROOT` (one path, taken whole: zone
    ///   directories such as `intel-rapl:0` have colons in their names), `FOOTPRINT_HWMON_ROOT`,
    ///   `FOOTPRINT_CPU_WATTS`, `FOOTPRINT_METERS`, `FOOTPRINT_AGENT_SOCKET`,
    ///   `FOOTPRINT_NVML_LIBRARY`, `FOOTPRINT_AMDSMI_LIBRARY` and the visible-device lists applied.
    ///   A malformed `FOOTPRINT_METERS` is ignored here with a note; commands and
    ///   `TrackerOptions.fromEnvironment` check it first with ``meterChoice(from:)``.
    public static func fromEnvironment(_ environment: [String: String]) -> MeterOptions {
        var options = MeterOptions()
        do {
            options.allowedMeters = try meterChoice(from: environment)
        } catch {
            options.environmentNotes.append("\(error.description) (FOOTPRINT_METERS ignored)")
        }
        if let root = environment["FOOTPRINT_POWERCAP_ROOT"], !root.isEmpty { options.usePowercapRoot(root) }
        if let root = environment["FOOTPRINT_HWMON_ROOT"], !root.isEmpty { options.hwmonRoot = root }
        if let path = environment["FOOTPRINT_AGENT_SOCKET"], !path.isEmpty { options.agentSocketPath = path }
        if let path = environment["FOOTPRINT_NVML_LIBRARY"], !path.isEmpty { options.nvmlLibraryName = path }
        if let path = environment["FOOTPRINT_AMDSMI_LIBRARY"], !path.isEmpty { options.amdsmiLibraryName = path }
        if let text = environment["FOOTPRINT_CPU_WATTS"] {
            if let watts = Double(text), watts > 0, watts.isFinite {
                options.cpuWatts = watts
            } else {
                options.environmentNotes.append("FOOTPRINT_CPU_WATTS='\(text)' ignored: not a positive number of watts")
            }
        }
        if let devices = environment["CUDA_VISIBLE_DEVICES"] {
            let parsed = VisibleDevices.parse(devices)
            options.visibleGPUs = parsed.indices
            options.environmentNotes += parsed.notes
        }
        for name in ["HIP_VISIBLE_DEVICES", "ROCR_VISIBLE_DEVICES", "CUDA_VISIBLE_DEVICES"] {
            guard let devices = environment[name] else { continue }
            options.visibleAMDGPUs = VisibleDevices.parse(devices).indices
            break
        }
        return options
    }
}

extension MeterOptions {
    /// The meters `FOOTPRINT_METERS` allows, nil when it is unset or empty.
    ///
    /// - Throws: `EnergyError.invalidOption` for an unknown name, listing the known ones.
    public static func meterChoice(from environment: [String: String]) throws(EnergyError) -> Set<MeterKind>? {
        guard let text = environment["FOOTPRINT_METERS"], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        return try MeterKind.parseList(text, origin: "FOOTPRINT_METERS")
    }
}

/// CUDA_VISIBLE_DEVICES as NVML indices.
enum VisibleDevices {
    /// Integer entries are kept; the list stops at the first invalid entry, as CUDA does;
    /// UUID and MIG entries are skipped with a note since mapping them needs NVML calls
    /// this meter does not make.
    static func parse(_ text: String) -> (indices: [Int], notes: [String]) {
        var indices: [Int] = []
        var notes: [String] = []
        for raw in text.split(separator: ",", omittingEmptySubsequences: false) {
            let entry = raw.trimmingCharacters(in: .whitespaces)
            if let index = Int(entry) {
                if index < 0 { break }  // CUDA ignores everything from the first negative index
                if !indices.contains(index) { indices.append(index) }
            } else if entry.hasPrefix("GPU-") || entry.hasPrefix("MIG-") {
                notes.append("CUDA_VISIBLE_DEVICES entry \(entry) is a UUID; NVML meters integer indices only, so that GPU is not measured")
            } else {
                if !entry.isEmpty {
                    notes.append(
                        "CUDA_VISIBLE_DEVICES entry '\(entry)' is not an index; it and the entries after it are ignored, as CUDA does")
                }
                break
            }
        }
        return (indices, notes)
    }
}
