import Vocabulary

/// The carbon cost of one run, with its range and everything needed to recompute it.
///
/// `gramsCO2e` = `operationalGramsCO2e` + `embodiedGramsCO2e`. The range covers the
/// operational part only (energy band × intensity band, see `RelativeBand`); the embodied
/// share is added to both bounds as stated by the user. JSON keys follow the `carbon` object
/// of `footprint --json`: `gramsCO2e`, `low`, `high`, `intensity`, `country`, `pue`,
/// `embodiedGrams`, `operationalGrams`, …
public struct CarbonEstimate: Sendable, Hashable, Codable {
    /// Best estimate, operational plus embodied, gCO2e.
    public var gramsCO2e: Double
    /// Low bound of `gramsCO2e`.
    public var lowGramsCO2e: Double
    /// High bound of `gramsCO2e`.
    public var highGramsCO2e: Double
    /// Electricity × PUE × intensity, gCO2e.
    public var operationalGramsCO2e: Double
    /// Amortised manufacturing share, gCO2e (0 when no embodied carbon was given).
    public var embodiedGramsCO2e: Double
    /// Grid intensity used, gCO2e/kWh (an average, not a marginal, intensity).
    public var intensityGramsPerKilowattHour: Double
    /// ISO 3166 alpha-3 code of the grid ("WLD" for the world average); nil for a user value
    /// given without a country.
    public var country: String?
    /// Where the intensity comes from.
    public var intensitySource: String
    /// Year of the intensity; nil for a user value.
    public var intensityYear: Int?
    /// True when no country was given and the world average was used.
    public var isWorldDefault: Bool
    /// Power usage effectiveness applied.
    public var pue: Double
    /// IT energy of the run, kWh (before PUE).
    public var kilowattHours: Double
    /// Measured or estimated energy.
    public var energyBasis: EnergyProvenance
    /// Band applied to the energy.
    public var energyBand: RelativeBand
    /// Band applied to the intensity.
    public var intensityBand: RelativeBand
    /// Embodied carbon of the hardware, kgCO2e, if given.
    public var embodiedKilogramsCO2e: Double?
    /// Amortisation period of the embodied carbon, years, if given.
    public var lifetimeYears: Double?
    /// Run time the embodied share was amortised over, seconds.
    public var runSeconds: Double

    enum CodingKeys: String, CodingKey {
        case gramsCO2e
        case lowGramsCO2e = "low"
        case highGramsCO2e = "high"
        case operationalGramsCO2e = "operationalGrams"
        case embodiedGramsCO2e = "embodiedGrams"
        case intensityGramsPerKilowattHour = "intensity"
        case country, intensitySource, intensityYear, isWorldDefault, pue, kilowattHours
        case energyBasis, energyBand, intensityBand, embodiedKilogramsCO2e, lifetimeYears
        case runSeconds
    }
}
