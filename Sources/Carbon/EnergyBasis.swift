/// How the energy behind a carbon figure was obtained; it decides the width of the range.
public enum EnergyBasis: String, Sendable, Hashable, Codable, CaseIterable {
    /// Read from hardware energy counters (RAPL, NVML).
    case measured
    /// Computed from a power model (TDP, watts per thread, joules per FLOP).
    case estimated

    /// The uncertainty band of energy obtained this way (see `RelativeBand` for the reasons).
    public var band: RelativeBand {
        switch self {
        case .measured: .measuredEnergy
        case .estimated: .estimatedEnergy
        }
    }
}
