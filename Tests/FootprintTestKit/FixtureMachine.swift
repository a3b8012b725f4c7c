import Energy
import Foundation

/// A fake machine in a temporary directory: the /sys and /proc files Energy reads, laid out as
/// the kernel lays them out, for tests of meters that cannot touch real hardware.
///
/// Powercap zones live under `/sys/devices/virtual/powercap/<control type>/…`, nested as in
/// sysfs, and `/sys/class/powercap/<id>` are symlinks to them, exactly as on a real machine.
public final class FixtureMachine {
    /// The directory standing for "/".
    public let root: String
    /// Microjoules the probe added to each counter, by system path; `setEnergy` adds them back
    /// so a test's absolute values keep meaning "since the zone was created".
    let probeOffsets = ProbeOffsets()

    /// Creates an empty fixture tree.
    ///
    /// - Throws: when the temporary directory cannot be created.
    public init() throws {
        root = NSTemporaryDirectory() + "footprint-fixture-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try makeDirectory("/sys/class/powercap")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Options reading this fixture only: NVML and AMD SMI pointed at libraries that do not
    /// exist, the agent at a socket that does not exist, and
    /// powercap counters that count during the meters' probe, as a real machine's do.
    public var options: MeterOptions {
        var options = MeterOptions()
        options.systemRoot = root
        options.nvmlLibraryName = "libnvidia-ml-footprint-fixture-absent.so.1"
        options.amdsmiLibraryName = "libamd_smi-footprint-fixture-absent.so"
        // A real path (sockets are not read through the fixture root): absent, so a node
        // agent running on the test machine is never read.
        options.agentSocketPath = root + "/run/footprint/agent.sock"
        options.probeWork = { [root, probeOffsets] seconds in
            Self.countDuringProbe(root: root, offsets: probeOffsets) { Thread.sleep(forTimeInterval: seconds) }
        }
        // The probe's bump and a writer thread both write a counter: one slice of work per
        // look would let the writer's next value fall under the bump on a loaded machine, so
        // fixtures probe in one piece, as before (ProbeCostTests turn slicing back on).
        options.probeEndsEarly = false
        return options
    }

    /// Options reading this fixture on a fake clock: the probe moves `clock` by its length
    /// instead of sleeping, and counts on every counter that nothing else moved meanwhile.
    ///
    /// - Parameter clock: The clock the meters, the probe and the sampler read.
    public func options(clock: FakeClock) -> MeterOptions {
        var options = options
        options.clock = { clock.now() }
        options.probeWork = { [root, probeOffsets] seconds in
            Self.countDuringProbe(root: root, offsets: probeOffsets) { clock.advance(seconds: seconds) }
        }
        return options
    }

    /// Options whose counters never count: the probe's work leaves every file as it is, as a
    /// virtual machine's frozen counters do.
    public var frozenOptions: MeterOptions {
        var options = options
        options.probeWork = { seconds in Thread.sleep(forTimeInterval: seconds) }
        return options
    }

    /// The probe's work on a fixture: `wait`s out the probe (a writer thread or a fake clock may
    /// drive the counters meanwhile), then advances by 1 mJ every `energy_uj` that did not move.
    static func countDuringProbe(root: String, offsets: ProbeOffsets, wait: () -> Void) {
        let base = "/sys/devices/virtual/powercap"
        let files = (FileManager.default.enumerator(atPath: root + base)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix("/energy_uj") }.map { root + base + "/" + $0 }
        func read(_ path: String) -> UInt64? {
            (try? String(contentsOfFile: path, encoding: .utf8)).flatMap { UInt64($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        }
        let before = files.map(read)
        wait()
        for (path, old) in zip(files, before) {
            guard let old, let now = read(path), now == old else { continue }
            try? Data("\(now + 1000)\n".utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            offsets.add(1000, to: String(path.dropFirst(root.count)))
        }
    }

    // MARK: Files

    /// Writes `text` at a system path, atomically (a reader sees the old or the new content, as
    /// with sysfs attributes, never half a number).
    public func write(_ systemPath: String, _ text: String) throws {
        let path = root + systemPath
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    public func makeDirectory(_ systemPath: String) throws {
        try FileManager.default.createDirectory(atPath: root + systemPath, withIntermediateDirectories: true)
    }

    /// Removes a file or directory, as when a device disappears.
    public func remove(_ systemPath: String) throws {
        try FileManager.default.removeItem(atPath: root + systemPath)
    }

    // MARK: Powercap

    /// The sysfs directory of a zone id ("intel-rapl:0:1" → …/intel-rapl/intel-rapl:0/intel-rapl:0:1).
    public func zoneDirectory(_ id: String) -> String {
        let parts = id.split(separator: ":").map(String.init)
        var path = "/sys/devices/virtual/powercap/\(parts[0])/\(parts[0]):\(parts[1])"
        if parts.count > 2 { path += "/\(id)" }
        return path
    }

    /// Adds a RAPL zone with the files a real one has (name, energy_uj, max_energy_range_uj,
    /// enabled, constraint files, power/), and its /sys/class/powercap symlink.
    public func addZone(_ id: String, name: String, microjoules: UInt64 = 0, maxRangeMicrojoules: UInt64? = 262_143_328_850) throws {
        let directory = zoneDirectory(id)
        let control = String(id.split(separator: ":")[0])
        try write("/sys/devices/virtual/powercap/\(control)/enabled", "1\n")
        try write(directory + "/name", name + "\n")
        try write(directory + "/energy_uj", "\(microjoules)\n")
        if let maxRangeMicrojoules { try write(directory + "/max_energy_range_uj", "\(maxRangeMicrojoules)\n") }
        try write(directory + "/enabled", "1\n")
        try write(directory + "/constraint_0_name", "long_term\n")
        try write(directory + "/constraint_0_power_limit_uw", "125000000\n")
        try makeDirectory(directory + "/power")
        try link("/sys/class/powercap/\(id)", to: directory)
        try link("/sys/class/powercap/\(control)", to: "/sys/devices/virtual/powercap/\(control)")
    }

    private func link(_ systemPath: String, to target: String) throws {
        let path = root + systemPath
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: path)) != nil { return }
        try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: root + target)
    }

    /// Sets a zone's counter.
    public func setEnergy(_ id: String, microjoules: UInt64) throws {
        let path = zoneDirectory(id) + "/energy_uj"
        var value = microjoules + probeOffsets.offset(of: path)
        // The offset must wrap with the counter, or a wrap would look like a reset.
        if let text = try? String(contentsOfFile: root + zoneDirectory(id) + "/max_energy_range_uj", encoding: .utf8),
            let range = UInt64(text.trimmingCharacters(in: .whitespacesAndNewlines)), range > 0
        {
            value %= range
        }
        try write(path, "\(value)\n")
    }

    /// System path of a zone's counter (for permission injection).
    public func energyPath(_ id: String) -> String { "/sys/class/powercap/\(id)/energy_uj" }

    /// Removes a zone and its symlink, as when a device is unplugged or the driver unloaded.
    public func removeZone(_ id: String) throws {
        try remove("/sys/class/powercap/\(id)")
        try remove(zoneDirectory(id))
    }
}

/// Microjoules a fixture's probe added to its counters, by system path; lock-guarded because
/// the probe runs wherever the meters are opened.
final class ProbeOffsets: @unchecked Sendable {
    // @unchecked: `offsets` is only touched under `lock`.
    private let lock = NSLock()
    private var offsets: [String: UInt64] = [:]

    func add(_ microjoules: UInt64, to path: String) {
        lock.withLock { offsets[path, default: 0] += microjoules }
    }

    func offset(of path: String) -> UInt64 {
        lock.withLock { offsets[path] ?? 0 }
    }
}
