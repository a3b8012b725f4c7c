import Testing

@testable import Carbon

@Suite struct CarbonSettingsTests {
    @Test func emptyEnvironmentGivesWorldAverageAndPUEOne() throws {
        let settings = try CarbonSettings.fromEnvironment([:])
        #expect(settings.countryCode == nil)
        #expect(settings.intensityOverrideGramsPerKilowattHour == nil)
        #expect(settings.pue == 1.0)
    }

    @Test func readsCountryIntensityAndNumericPUE() throws {
        let settings = try CarbonSettings.fromEnvironment([
            "FOOTPRINT_COUNTRY": "deu", "FOOTPRINT_INTENSITY": " 650 ", "FOOTPRINT_PUE": "1.3",
        ])
        #expect(settings.countryCode == "deu")
        #expect(settings.intensityOverrideGramsPerKilowattHour == 650)
        #expect(settings.pue == 1.3)
    }

    @Test(arguments: [("aws", 1.2), ("GCP", 1.12), ("azure", 1.12), ("datacentre", 1.56), ("datacentre-2023", 1.58), ("local", 1.0)])
    func pueAcceptsPresetNames(name: String, value: Double) throws {
        #expect(try CarbonSettings.fromEnvironment(["FOOTPRINT_PUE": name]).pue == value)
    }

    @Test func emptyVariablesAreIgnored() throws {
        let settings = try CarbonSettings.fromEnvironment(["FOOTPRINT_COUNTRY": "", "FOOTPRINT_PUE": "  "])
        #expect(settings.countryCode == nil)
        #expect(settings.pue == 1.0)
    }

    @Test func unparsableIntensityNamesTheVariable() {
        let error = #expect(throws: CarbonError.self) {
            try CarbonSettings.fromEnvironment(["FOOTPRINT_INTENSITY": "lots"])
        }
        #expect(error?.description.contains("FOOTPRINT_INTENSITY") == true)
        #expect(error?.description.contains("lots") == true)
    }

    @Test func pueBelowOneOrUnknownPresetIsRejected() {
        #expect(throws: CarbonError.self) { try CarbonSettings.fromEnvironment(["FOOTPRINT_PUE": "0.8"]) }
        let error = #expect(throws: CarbonError.self) { try CarbonSettings.fromEnvironment(["FOOTPRINT_PUE": "cloud"]) }
        #expect(error?.description.contains("aws") == true)
    }

    @Test func negativeIntensityIsRejected() {
        #expect(throws: CarbonError.self) { try CarbonSettings.fromEnvironment(["FOOTPRINT_INTENSITY": "-3"]) }
    }

    @Test func embodiedCarbonNeedsALifetimeAndViceVersa() {
        #expect(throws: CarbonError.self) { try CarbonSettings(embodiedKilogramsCO2e: 150).validate() }
        #expect(throws: CarbonError.self) { try CarbonSettings(lifetimeYears: 4).validate() }
        #expect(throws: CarbonError.self) { try CarbonSettings(embodiedKilogramsCO2e: 150, lifetimeYears: 0).validate() }
        #expect(throws: Never.self) { try CarbonSettings(embodiedKilogramsCO2e: 150, lifetimeYears: 4).validate() }
    }

    @Test func unknownCountryInSettingsFailsWhenTheCalculatorIsMade() {
        #expect(throws: CarbonError.self) { try CarbonCalculator(settings: CarbonSettings(countryCode: "XYZ")) }
    }
}
