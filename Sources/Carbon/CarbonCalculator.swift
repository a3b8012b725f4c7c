import Vocabulary

/// Turns a run's energy into CO2e:
///
///     operational (g) = kWh × PUE × intensity (gCO2e/kWh)
///     embodied (g)    = embodied kg × 1000 × run seconds / (lifetime years × 365.25 × 86,400)
///
/// with a low/high range from the energy's provenance and the intensity's averaging.
public struct CarbonCalculator: Sendable {
    /// Seconds in a Julian year (365.25 days), the year used to amortise embodied carbon.
    public static let secondsPerYear = 365.25 * 86_400
    /// Joules in one kilowatt-hour.
    public static let joulesPerKilowattHour = EnergyUnits.joulesPerKilowattHour

    /// The settings in force (validated).
    public let settings: CarbonSettings
    /// The intensity the settings resolved to.
    public let intensity: AppliedIntensity
    /// Band applied to the grid intensity (±20% for a yearly average by default).
    public var intensityBand: RelativeBand

    /// Validates the settings and resolves the grid intensity once.
    ///
    /// - Parameters:
    ///   - settings: Country, intensity override, PUE, embodied carbon.
    ///   - intensityBand: Uncertainty of the intensity; `.averageIntensity` by default.
    /// - Throws: `CarbonError` for settings out of range or an unknown country.
    public init(settings: CarbonSettings = CarbonSettings(), intensityBand: RelativeBand = .averageIntensity) throws {
        try settings.validate()
        self.settings = settings
        self.intensity = try AppliedIntensity.resolve(settings)
        self.intensityBand = intensityBand
    }

    /// Estimates the CO2e of a run from its energy in joules.
    ///
    /// - Parameters:
    ///   - joules: IT energy of the run (before PUE), J.
    ///   - basis: Whether the energy was measured or estimated; sets the energy band.
    ///   - runSeconds: Wall time of the run, used to amortise embodied carbon.
    /// - Returns: The estimate with its range and the parameters used.
    /// - Throws: `CarbonError.invalidInput` for a negative or non-finite energy or time.
    public func estimate(joules: Double, basis: EnergyProvenance, runSeconds: Double) throws -> CarbonEstimate {
        guard joules.isFinite, joules >= 0 else {
            throw CarbonError.invalidInput(name: "joules", value: joules, expected: "a finite energy ≥ 0")
        }
        return try estimate(kilowattHours: joules / Self.joulesPerKilowattHour, basis: basis, runSeconds: runSeconds)
    }

    /// Estimates the CO2e of a run from its energy in kilowatt-hours.
    ///
    /// - Parameters:
    ///   - kilowattHours: IT energy of the run (before PUE), kWh.
    ///   - basis: Whether the energy was measured or estimated; sets the energy band.
    ///   - runSeconds: Wall time of the run, used to amortise embodied carbon.
    /// - Returns: The estimate with its range and the parameters used.
    /// - Throws: `CarbonError.invalidInput` for a negative or non-finite energy or time.
    public func estimate(kilowattHours: Double, basis: EnergyProvenance, runSeconds: Double) throws -> CarbonEstimate {
        guard kilowattHours.isFinite, kilowattHours >= 0 else {
            throw CarbonError.invalidInput(
                name: "kilowattHours", value: kilowattHours, expected: "a finite energy ≥ 0")
        }
        guard runSeconds.isFinite, runSeconds >= 0 else {
            throw CarbonError.invalidInput(name: "runSeconds", value: runSeconds, expected: "a finite time ≥ 0")
        }
        let operational = kilowattHours * settings.pue * intensity.gramsCO2ePerKilowattHour
        let embodied = Self.embodiedGramsCO2e(
            kilograms: settings.embodiedKilogramsCO2e ?? 0, lifetimeYears: settings.lifetimeYears ?? 1,
            runSeconds: runSeconds)
        let band = basis.band.combined(with: intensityBand)
        return CarbonEstimate(
            gramsCO2e: operational + embodied,
            lowGramsCO2e: operational * band.lowFactor + embodied,
            highGramsCO2e: operational * band.highFactor + embodied,
            operationalGramsCO2e: operational, embodiedGramsCO2e: embodied,
            intensityGramsPerKilowattHour: intensity.gramsCO2ePerKilowattHour,
            country: intensity.countryCode, intensitySource: intensity.source,
            intensityYear: intensity.year, isWorldDefault: intensity.isWorldDefault,
            pue: settings.pue, kilowattHours: kilowattHours, energyBasis: basis,
            energyBand: basis.band, intensityBand: intensityBand,
            embodiedKilogramsCO2e: settings.embodiedKilogramsCO2e, lifetimeYears: settings.lifetimeYears,
            runSeconds: runSeconds)
    }

    /// The share of a device's manufacturing carbon that a run of `runSeconds` uses up,
    /// amortised linearly over its lifetime.
    ///
    /// - Parameters:
    ///   - kilograms: Embodied carbon of the device, kgCO2e.
    ///   - lifetimeYears: Lifetime over which it is amortised, years (> 0; `CarbonSettings.validate()` checks).
    ///   - runSeconds: Duration of the run, s.
    /// - Returns: gCO2e. Example (Green Software Foundation SCI): 1,000 kg over 4 years,
    ///   1 hour of use ≈ 28.5 g.
    public static func embodiedGramsCO2e(kilograms: Double, lifetimeYears: Double, runSeconds: Double) -> Double {
        kilograms * 1000 * runSeconds / (lifetimeYears * secondsPerYear)
    }
}
