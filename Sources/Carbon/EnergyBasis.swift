/// How the energy behind a carbon figure was obtained; it decides the width of the range.
public enum EnergyBasis: String, Sendable, Hashable, Codable, CaseIterable {
    /// Read from hardware energy counters (RAPL, NVML).
    case measured
    /// Computed from a power model (TDP, watts per thread, joules per FLOP).
    case estimated
    /// Part measured, part estimated (a meter distrusted mid-run): as uncertain as its weakest part.
    case mixed

    /// The uncertainty band of energy obtained this way (see `RelativeBand` for the reasons).
    public var band: RelativeBand {
        switch self {
        case .measured: .measuredEnergy
        case .estimated, .mixed: .estimatedEnergy
        }
    }
}
