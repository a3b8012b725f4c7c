import Vocabulary

extension RunRecord {
    /// The machine columns (`os`, `kernel`, `cpu_model`, `cpu_count`, `memory_bytes`) as one
    /// value: the one place a ``MachineDescription`` meets the row.
    public var machine: MachineDescription {
        get {
            MachineDescription(operatingSystem: os, kernel: kernel, cpuModel: cpuModel, cpuCount: cpuCount, memoryBytes: memoryBytes)
        }
        set {
            os = newValue.operatingSystem
            kernel = newValue.kernel
            cpuModel = newValue.cpuModel
            cpuCount = newValue.cpuCount
            memoryBytes = newValue.memoryBytes
        }
    }
}
