import Vocabulary

extension EnergyProvenance {
    /// The uncertainty band of energy obtained this way (see `RelativeBand` for the reasons): a
    /// mixed figure is as uncertain as its estimated part.
    public var band: RelativeBand {
        switch self {
        case .measured: .measuredEnergy
        case .estimated, .mixed: .estimatedEnergy
        }
    }
}
