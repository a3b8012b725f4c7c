import Foundation

/// What a carbon estimate needs besides energy: where the electricity comes from, the
/// facility overhead, and optionally the hardware's embodied carbon.
///
/// Every command that records or reports a run takes these from `--country`, `--intensity`,
/// `--pue`, `--embodied-kg`, `--lifetime-years`, or from the environment (`fromEnvironment`).
public struct CarbonSettings: Sendable, Hashable, Codable {
    /// ISO 3166 alpha-3 code or country name; nil means the world average (and reports say so).
    public var countryCode: String?
    /// A grid intensity given by the user, gCO2e/kWh; it wins over the table.
    public var intensityOverrideGramsPerKilowattHour: Double?
    /// Power usage effectiveness, ≥ 1 (see `PUEPreset`); 1.0 for a personal machine.
    public var pue: Double
    /// Embodied (manufacturing) carbon of the hardware, kgCO2e, e.g. ≈ 2,500 for a server
    /// (HPE DL345 Gen10+, used by the BLOOM study) or ≥ 150 for a GPU.
    public var embodiedKilogramsCO2e: Double?
    /// Years over which the embodied carbon is amortised (4 to 6 is usual).
    public var lifetimeYears: Double?

    /// Creates settings; call `validate()` (done by `CarbonCalculator`) before use.
    ///
    /// - Parameters:
    ///   - countryCode: ISO 3166 alpha-3 code or name; nil for the world average.
    ///   - intensityOverrideGramsPerKilowattHour: Intensity that replaces the table's, gCO2e/kWh.
    ///   - pue: Power usage effectiveness, default 1.0.
    ///   - embodiedKilogramsCO2e: Embodied carbon of the hardware, kgCO2e.
    ///   - lifetimeYears: Amortisation period of the embodied carbon, years.
    public init(
        countryCode: String? = nil, intensityOverrideGramsPerKilowattHour: Double? = nil,
        pue: Double = PUEPreset.local.value, embodiedKilogramsCO2e: Double? = nil,
        lifetimeYears: Double? = nil
    ) {
        self.countryCode = countryCode
        self.intensityOverrideGramsPerKilowattHour = intensityOverrideGramsPerKilowattHour
        self.pue = pue
        self.embodiedKilogramsCO2e = embodiedKilogramsCO2e
        self.lifetimeYears = lifetimeYears
    }

    /// Reads `FOOTPRINT_COUNTRY`, `FOOTPRINT_INTENSITY` and `FOOTPRINT_PUE`.
    ///
    /// `FOOTPRINT_PUE` takes a number or a preset name (`local`, `datacentre`, `gcp`, `aws`,
    /// `azure`, …). Unset or empty variables keep the defaults.
    ///
    /// - Parameter environment: The variables to read; the process environment by default.
    /// - Returns: Validated settings.
    /// - Throws: `CarbonError.invalidSetting` naming the variable when a value does not parse
    ///   or is out of range.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> CarbonSettings {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty
            else { return nil }
            return raw
        }
        var settings = CarbonSettings()
        settings.countryCode = value("FOOTPRINT_COUNTRY")
        if let raw = value("FOOTPRINT_INTENSITY") {
            guard let grams = Double(raw) else {
                throw CarbonError.invalidSetting(
                    name: "FOOTPRINT_INTENSITY", value: raw, expected: "a number of gCO2e/kWh, e.g. 56")
            }
            settings.intensityOverrideGramsPerKilowattHour = grams
        }
        if let raw = value("FOOTPRINT_PUE") {
            if let preset = PUEPreset(named: raw) {
                settings.pue = preset.value
            } else if let number = Double(raw) {
                settings.pue = number
            } else {
                let names = PUEPreset.allCases.map(\.rawValue).joined(separator: ", ")
                throw CarbonError.invalidSetting(
                    name: "FOOTPRINT_PUE", value: raw, expected: "a number ≥ 1 or one of \(names)")
            }
        }
        try settings.validate(pueName: "FOOTPRINT_PUE", intensityName: "FOOTPRINT_INTENSITY")
        return settings
    }

    /// Checks ranges: PUE ≥ 1, intensity ≥ 0, embodied ≥ 0 with a positive lifetime.
    ///
    /// - Throws: `CarbonError.invalidSetting` naming the setting at fault.
    public func validate() throws {
        try validate(pueName: "--pue", intensityName: "--intensity")
    }

    private func validate(pueName: String, intensityName: String) throws {
        guard pue.isFinite, pue >= 1 else {
            throw CarbonError.invalidSetting(
                name: pueName, value: "\(pue)", expected: "a PUE ≥ 1 (1.0 for a personal machine)")
        }
        if let grams = intensityOverrideGramsPerKilowattHour, !(grams.isFinite && grams >= 0) {
            throw CarbonError.invalidSetting(
                name: intensityName, value: "\(grams)", expected: "an intensity ≥ 0 gCO2e/kWh")
        }
        switch (embodiedKilogramsCO2e, lifetimeYears) {
        case (nil, nil):
            break
        case (let kilograms?, let years?):
            guard kilograms.isFinite, kilograms >= 0 else {
                throw CarbonError.invalidSetting(
                    name: "--embodied-kg", value: "\(kilograms)", expected: "kgCO2e ≥ 0")
            }
            guard years.isFinite, years > 0 else {
                throw CarbonError.invalidSetting(
                    name: "--lifetime-years", value: "\(years)", expected: "a number of years > 0")
            }
        case (let kilograms?, nil):
            throw CarbonError.invalidSetting(
                name: "--lifetime-years", value: "(missing)",
                expected: "a lifetime in years to amortise --embodied-kg \(kilograms) over")
        case (nil, let years?):
            throw CarbonError.invalidSetting(
                name: "--embodied-kg", value: "(missing)",
                expected: "the hardware's embodied kgCO2e to amortise over \(years) years")
        }
    }
}
