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

    /// Creates an empty fixture tree.
    ///
    /// - Throws: when the temporary directory cannot be created.
    public init() throws {
        root = NSTemporaryDirectory() + "footprint-fixture-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try makeDirectory("/sys/class/powercap")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// Options reading this fixture only: NVML pointed at a library that does not exist.
    public var options: MeterOptions {
        var options = MeterOptions()
        options.systemRoot = root
        options.nvmlLibraryName = "libnvidia-ml-footprint-fixture-absent.so.1"
        return options
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
        try write(zoneDirectory(id) + "/energy_uj", "\(microjoules)\n")
    }

    /// System path of a zone's counter (for permission injection).
    public func energyPath(_ id: String) -> String { "/sys/class/powercap/\(id)/energy_uj" }

    /// Removes a zone and its symlink, as when a device is unplugged or the driver unloaded.
    public func removeZone(_ id: String) throws {
        try remove("/sys/class/powercap/\(id)")
        try remove(zoneDirectory(id))
    }
}
