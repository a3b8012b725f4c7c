/// Whether an energy figure was read from a meter or computed from a model, stored in
/// `runs.energy_provenance`. Every energy figure carries one.
public enum EnergyProvenance: String, Codable, Sendable, CaseIterable {
    /// Read from hardware counters (RAPL, perf_event, NVML); `meter_energy` names them.
    case measured
    /// Computed from a power model; `runs.estimate_model` names it and its constants.
    case estimated
    /// Part measured, part estimated: a meter stopped being trusted during the run (v4); the
    /// run's energy notes say when and why.
    case mixed
}
