/// Whether an energy figure was read from a meter, computed from a model, or both: the one
/// definition every module (meters, store, carbon, reports) uses. Stored and printed as its
/// raw value.
public enum EnergyProvenance: String, Sendable, Codable, Hashable, CaseIterable {
    /// Read from hardware counters (RAPL, perf_event, NVML); the meters and zones are named.
    case measured
    /// Computed from a power model; the model and its constants are named.
    case estimated
    /// Measured until a counter stopped being trusted, estimated after; a note says when.
    case mixed
}
