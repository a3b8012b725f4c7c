import Foundation

/// The grid intensity a calculation actually used, and why — stored with the run so a report
/// can be reproduced after the table changes.
public struct AppliedIntensity: Sendable, Hashable, Codable {
    /// Average intensity used, gCO2e/kWh.
    public var gramsCO2ePerKilowattHour: Double
    /// ISO 3166 alpha-3 code ("WLD" for the world); nil for a user intensity without a country.
    public var countryCode: String?
    /// Country name, or nil when `countryCode` is nil.
    public var countryName: String?
    /// Year the value describes; nil for a value the user gave.
    public var year: Int?
    /// Where the value comes from ("Ember 2024", "user (--intensity / FOOTPRINT_INTENSITY)").
    public var source: String
    /// True when no country was given and the world average stands in.
    public var isWorldDefault: Bool

    /// Decides the intensity from settings: a user value first, then the country's table
    /// entry, then the world average.
    ///
    /// - Parameter settings: The carbon settings.
    /// - Returns: What to use.
    /// - Throws: `CarbonError.unknownCountry` / `.noIntensityData` for a country not in the table.
    public static func resolve(_ settings: CarbonSettings) throws -> AppliedIntensity {
        let entry = try settings.countryCode.map { try GridIntensityTable.intensity(for: $0) }
        if let grams = settings.intensityOverrideGramsPerKilowattHour {
            return AppliedIntensity(
                gramsCO2ePerKilowattHour: grams, countryCode: entry?.countryCode,
                countryName: entry?.countryName, year: nil,
                source: "user (--intensity / FOOTPRINT_INTENSITY)", isWorldDefault: false)
        }
        let used = entry ?? GridIntensityTable.world
        return AppliedIntensity(
            gramsCO2ePerKilowattHour: used.gramsCO2ePerKilowattHour, countryCode: used.countryCode,
            countryName: used.countryName, year: used.year, source: used.source,
            isWorldDefault: entry == nil)
    }

    /// One line for reports and the CLI, e.g.
    /// "44 gCO2e/kWh, France (FRA), yearly average, Ember 2024".
    public var summary: String {
        var text = "\(formatGrams(gramsCO2ePerKilowattHour)) gCO2e/kWh"
        if let name = countryName, let code = countryCode { text += ", \(name) (\(code))" }
        text += year.map { ", yearly average \($0), \(source)" } ?? ", \(source)"
        if isWorldDefault {
            text += " — no country given, world average used; set --country or FOOTPRINT_COUNTRY"
        }
        return text
    }

    private func formatGrams(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
