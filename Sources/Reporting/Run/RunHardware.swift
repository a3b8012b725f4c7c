import RunStore

/// The machine a run ran on, as recorded with it (the run document carries only the host).
public struct RunHardware: Sendable, Equatable {
    /// Operating system name and version.
    public var operatingSystem: String?
    /// Kernel release.
    public var kernel: String?
    /// CPU model name.
    public var cpuModel: String?
    /// Logical CPUs available to the run.
    public var cpuCount: Int?
    /// Physical memory, bytes.
    public var memoryBytes: Int64?

    /// Creates a description of a machine.
    ///
    /// - Parameters:
    ///   - operatingSystem: OS name and version.
    ///   - kernel: Kernel release.
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

    /// The machine fields of a stored run.
    ///
    /// - Parameter record: The run's row.
    public init(record: RunRecord) {
        self.init(
            operatingSystem: record.os, kernel: record.kernel, cpuModel: record.cpuModel, cpuCount: record.cpuCount,
            memoryBytes: record.memoryBytes)
    }
}
