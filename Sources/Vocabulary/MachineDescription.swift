/// The machine a run ran on: operating system, kernel, CPU and memory.
///
/// The tracker reads it once per run and stores it with the run; a report reads it back. Every
/// field is optional: a run stored by an older Footprint, or imported, may lack any of them.
public struct MachineDescription: Sendable, Equatable {
    /// Operating system name and version (`Ubuntu 24.04.2 LTS`).
    public var operatingSystem: String?
    /// Kernel name and release (`Linux 6.8.0-52-generic`).
    public var kernel: String?
    /// CPU model name.
    public var cpuModel: String?
    /// Logical CPUs available to the run.
    public var cpuCount: Int?
    /// Physical memory, bytes.
    public var memoryBytes: Int64?

    /// A machine's description.
    ///
    /// - Parameters:
    ///   - operatingSystem: Operating system name and version.
    ///   - kernel: Kernel name and release.
    ///   - cpuModel: CPU model name.
    ///   - cpuCount: Logical CPUs.
    ///   - memoryBytes: Physical memory, bytes.
    public init(
        operatingSystem: String? = nil, kernel: String? = nil, cpuModel: String? = nil, cpuCount: Int? = nil, memoryBytes: Int64? = nil
    ) {
        self.operatingSystem = operatingSystem
        self.kernel = kernel
        self.cpuModel = cpuModel
        self.cpuCount = cpuCount
        self.memoryBytes = memoryBytes
    }
}
