/// The yearly average carbon intensity of one country's electricity grid.
///
/// Values are AVERAGE (attributional) intensities: total emissions of the electricity generated
/// over a year divided by that electricity. Marginal intensities — the emissions of the plant
/// that answers one more kilowatt-hour — run far higher (France ≈ 158 rather than 44, Germany
/// ≈ 650 rather than 342 gCO2e/kWh). Footprint uses averages, as CodeCarbon, carbontracker and
/// Green Algorithms do, and says so wherever it prints a figure.
public struct GridIntensity: Sendable, Hashable, Codable {
    /// ISO 3166-1 alpha-3 code, upper case ("FRA"); "WLD" for the world average.
    public var countryCode: String
    /// English short name of the country ("France").
    public var countryName: String
    /// Average grid intensity in grams of CO2 equivalent per kilowatt-hour.
    public var gramsCO2ePerKilowattHour: Double
    /// The year the average describes.
    public var year: Int
    /// Where the value comes from ("Ember 2024", "Our World in Data / Ember, via CodeCarbon 3.3.2").
    public var source: String

    /// Creates an intensity record.
    ///
    /// - Parameters:
    ///   - countryCode: ISO 3166-1 alpha-3 code.
    ///   - countryName: Country name.
    ///   - gramsCO2ePerKilowattHour: Average intensity, gCO2e/kWh.
    ///   - year: Year the average describes.
    ///   - source: Where the value comes from.
    public init(
        countryCode: String, countryName: String, gramsCO2ePerKilowattHour: Double,
        year: Int, source: String
    ) {
        self.countryCode = countryCode
        self.countryName = countryName
        self.gramsCO2ePerKilowattHour = gramsCO2ePerKilowattHour
        self.year = year
        self.source = source
    }

    /// Positional initializer that keeps the generated table one line per country.
    init(_ code: String, _ name: String, _ grams: Double, _ year: Int, _ source: String) {
        self.init(
            countryCode: code, countryName: name, gramsCO2ePerKilowattHour: grams,
            year: year, source: source)
    }
}
