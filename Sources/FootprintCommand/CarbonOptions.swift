import ArgumentParser
import Carbon

/// Carbon accounting flags, with `FOOTPRINT_COUNTRY`, `FOOTPRINT_INTENSITY`, `FOOTPRINT_PUE`.
struct CarbonOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp("ISO 3166 alpha-3 country of the grid (default: $FOOTPRINT_COUNTRY, else the world average).", valueName: "ISO3")
    )
    var country: String?

    @Option(help: ArgumentHelp("Grid intensity in gCO2e/kWh; overrides the country's ($FOOTPRINT_INTENSITY).", valueName: "g"))
    var intensity: Double?

    @Option(
        help: ArgumentHelp(
            "Power usage effectiveness, a number or a preset: local (1.0, default), datacentre (1.56), gcp, aws, azure ($FOOTPRINT_PUE).",
            valueName: "P"))
    var pue: String?

    @Option(
        name: .customLong("embodied-kg"),
        help: ArgumentHelp("Embodied carbon of the hardware in kgCO2e, amortised over --lifetime-years.", valueName: "kg"))
    var embodiedKilograms: Double?

    @Option(
        name: .customLong("lifetime-years"), help: ArgumentHelp("Hardware lifetime for the embodied share (default 4).", valueName: "years")
    )
    var lifetimeYears: Double?

    /// The environment's settings with the flags' over them. Their values (a PUE below 1, an
    /// unknown country) are checked once, where they are resolved: by `Tracker(options:)` or
    /// `CarbonCalculator(settings:)`, whose `CarbonError` the caller turns into a usage error.
    ///
    /// - Throws: `ValidationError` for an unknown `--pue` preset or `--lifetime-years` alone;
    ///   `CarbonError` when a `FOOTPRINT_` variable does not parse.
    func settings() throws -> CarbonSettings {
        var settings = try CarbonSettings.fromEnvironment()
        if let country { settings.countryCode = country }
        if let intensity { settings.intensityOverrideGramsPerKilowattHour = intensity }
        if let pue {
            if let value = Double(pue) {
                settings.pue = value
            } else if let preset = PUEPreset(named: pue) {
                settings.pue = preset.value
            } else {
                throw ValidationError(
                    "Unknown --pue '\(pue)': give a number ≥ 1 or one of \(PUEPreset.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        if let embodiedKilograms {
            settings.embodiedKilogramsCO2e = embodiedKilograms
            settings.lifetimeYears = lifetimeYears ?? 4
        } else if lifetimeYears != nil {
            throw ValidationError("--lifetime-years needs --embodied-kg.")
        }
        return settings
    }

    /// The calculator for ``settings()``, its values checked and resolved once.
    ///
    /// - Throws: `ValidationError` for settings that cannot be used, the environment's included.
    func calculator() throws -> CarbonCalculator {
        do {
            return try CarbonCalculator(settings: settings())
        } catch let error as ValidationError {
            throw error
        } catch {
            throw ValidationError("\(error)")
        }
    }
}
