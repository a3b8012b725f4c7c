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
    /// NVML indices of the GPUs to measure; nil measures every GPU.
    public var visibleGPUs: [Int]?
    /// Upper bound on any one zone's power: sets the polling period against wraparound, and an
    /// interval implying more than this is rejected as a counter glitch.
    public var peakWattsPerZone = 1500.0
    /// Meters not to open: any of "rapl", "perf", "nvml".
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
    /// File name handed to dlopen for NVML.
    public var nvmlLibraryName = "libnvidia-ml.so.1"
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
    ///   directories such as `intel-rapl:0` have colons in their names),
    ///   `FOOTPRINT_CPU_WATTS`, `FOOTPRINT_METERS` and `CUDA_VISIBLE_DEVICES` applied.
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
