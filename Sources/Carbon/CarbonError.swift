/// Everything that can go wrong in the Carbon module.
public enum CarbonError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A country code or name is not in the shipped table; `suggestions` lists close matches.
    case unknownCountry(String, suggestions: [GridIntensity])
    /// The country is listed upstream but has no usable intensity.
    case noIntensityData(code: String, reason: String)
    /// A setting (flag or environment variable) holds a value that cannot be used.
    case invalidSetting(name: String, value: String, expected: String)
    /// An input to the calculation (energy, run time) is negative or not finite.
    case invalidInput(name: String, value: Double, expected: String)

    public var description: String {
        switch self {
        case .unknownCountry(let given, let suggestions):
            let hint =
                suggestions.isEmpty
                ? " Use an ISO 3166 alpha-3 code such as FRA, DEU or USA,"
                : " Did you mean "
                    + suggestions.map { "\($0.countryCode) (\($0.countryName))" }
                    .joined(separator: ", ") + "?"
            return "Unknown country '\(given)' in the grid-intensity table.\(hint)"
                + " Or give the intensity directly with --intensity G (gCO2e/kWh)."
        case .noIntensityData(let code, let reason):
            return "No grid intensity for \(code) — \(reason)."
                + " Give one with --intensity G (gCO2e/kWh) or FOOTPRINT_INTENSITY."
        case .invalidSetting(let name, let value, let expected):
            return "Invalid value '\(value)' for \(name): expected \(expected)."
        case .invalidInput(let name, let value, let expected):
            return "Cannot compute CO2e from \(name) = \(value): expected \(expected)."
                + " This is a bug in the caller; please report it with the run's id."
        }
    }
}
