import Foundation

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
    /// File name handed to dlopen for NVML.
    public var nvmlLibraryName = "libnvidia-ml.so.1"
    /// Notes gathered while reading the environment (GPU UUIDs skipped …), carried into the run.
    public var environmentNotes: [String] = []

    /// The seam every /sys and /proc read goes through.
    package var files = SystemFiles()
    /// How perf_event counters are opened and read (a fake in tests).
    package var perfCounters = PerfCounterSource.system

    /// Prefix for every /sys and /proc path: "/" on a real machine, a fixture tree in tests.
    public var systemRoot: String {
        get { files.root }
        set { files.root = newValue }
    }

    public init() {}

    /// Options for this process's environment.
    ///
    /// - Parameter environment: variables to read, `ProcessInfo.processInfo.environment` normally.
    /// - Returns: options with `FOOTPRINT_POWERCAP_ROOT` (one path, or several separated by `:`),
    ///   `FOOTPRINT_CPU_WATTS` and `CUDA_VISIBLE_DEVICES` applied.
    public static func fromEnvironment(_ environment: [String: String]) -> MeterOptions {
        var options = MeterOptions()
        if let roots = environment["FOOTPRINT_POWERCAP_ROOT"], !roots.isEmpty {
            options.powercapRoots = roots.split(separator: ":").map(String.init)
        }
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
                if !entry.isEmpty { notes.append("CUDA_VISIBLE_DEVICES entry '\(entry)' is not an index; it and the entries after it are ignored, as CUDA does") }
                break
            }
        }
        return (indices, notes)
    }
}
