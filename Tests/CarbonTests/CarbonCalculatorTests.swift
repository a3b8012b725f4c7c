import Foundation
import Testing

@testable import Carbon

/// One kilowatt-hour in joules, so hand computations below stay readable.
private let oneKilowattHourInJoules = 3_600_000.0

@Suite struct CarbonCalculatorTests {
    @Test func operationalCO2eIsKilowattHoursTimesPUETimesIntensity() throws {
        let calculator = try CarbonCalculator(settings: CarbonSettings(countryCode: "DEU", pue: 1.56))
        // 0.5 kWh × 1.56 × 342 g/kWh = 266.76 g
        let estimate = try calculator.estimate(joules: 0.5 * oneKilowattHourInJoules, basis: .measured, runSeconds: 60)
        #expect(abs(estimate.operationalGramsCO2e - 266.76) < 1e-9)
        #expect(estimate.gramsCO2e == estimate.operationalGramsCO2e)
        #expect(estimate.embodiedGramsCO2e == 0)
        #expect(estimate.kilowattHours == 0.5)
        #expect(estimate.pue == 1.56)
        #expect(estimate.intensityGramsPerKilowattHour == 342)
        #expect(estimate.country == "DEU")
        #expect(estimate.intensitySource == "Ember 2024")
        #expect(estimate.intensityYear == 2024)
    }

    @Test func measuredEnergyRangeIsMinusTenPlusTwentyTimesIntensityBand() throws {
        let calculator = try CarbonCalculator(settings: CarbonSettings(countryCode: "FRA"))
        let estimate = try calculator.estimate(joules: oneKilowattHourInJoules, basis: .measured, runSeconds: 1)
        // 44 g; low 44 × 0.9 × 0.8 = 31.68; high 44 × 1.2 × 1.2 = 63.36
        #expect(abs(estimate.gramsCO2e - 44) < 1e-9)
        #expect(abs(estimate.lowGramsCO2e - 31.68) < 1e-9)
        #expect(abs(estimate.highGramsCO2e - 63.36) < 1e-9)
    }

    @Test func estimatedEnergyCarriesAWiderRangeThanMeasured() throws {
        let calculator = try CarbonCalculator(settings: CarbonSettings(countryCode: "FRA"))
        let measured = try calculator.estimate(kilowattHours: 1, basis: .measured, runSeconds: 1)
        let estimated = try calculator.estimate(kilowattHours: 1, basis: .estimated, runSeconds: 1)
        // 44 × 0.5 × 0.8 = 17.6 and 44 × 2 × 1.2 = 105.6
        #expect(abs(estimated.lowGramsCO2e - 17.6) < 1e-9)
        #expect(abs(estimated.highGramsCO2e - 105.6) < 1e-9)
        #expect(estimated.gramsCO2e == measured.gramsCO2e)
        #expect(estimated.lowGramsCO2e < measured.lowGramsCO2e)
        #expect(estimated.highGramsCO2e > measured.highGramsCO2e)
        #expect(estimated.energyBand == .estimatedEnergy)
    }

    @Test func bandsCombineByMultiplyingBounds() {
        let combined = RelativeBand.measuredEnergy.combined(with: .averageIntensity)
        #expect(abs(combined.lowFactor - 0.72) < 1e-12)
        #expect(abs(combined.highFactor - 1.44) < 1e-12)
    }

    @Test func customIntensityBandIsUsedForTheRange() throws {
        let calculator = try CarbonCalculator(
            settings: CarbonSettings(intensityOverrideGramsPerKilowattHour: 100), intensityBand: .exact)
        let estimate = try calculator.estimate(kilowattHours: 2, basis: .measured, runSeconds: 1)
        #expect(abs(estimate.lowGramsCO2e - 180) < 1e-9)
        #expect(abs(estimate.highGramsCO2e - 240) < 1e-9)
    }

    @Test func embodiedShareMatchesSCIExampleOf1000KilogramsOver4YearsForOneHour() {
        // 1,000 kg × 1000 g × 3,600 s / (4 × 365.25 × 86,400 s) = 28.519 g
        let grams = CarbonCalculator.embodiedGramsCO2e(kilograms: 1000, lifetimeYears: 4, runSeconds: 3600)
        #expect(abs(grams - 28.519_3) < 1e-3)
    }

    @Test func embodiedShareIsAddedToTotalAndBothBoundsButStatedSeparately() throws {
        let settings = CarbonSettings(
            countryCode: "SWE", pue: 1, embodiedKilogramsCO2e: 2500, lifetimeYears: 5)
        let calculator = try CarbonCalculator(settings: settings)
        let estimate = try calculator.estimate(kilowattHours: 10, basis: .measured, runSeconds: 86_400)
        // Embodied: 2,500 kg / (5 × 365.25 days) per day = 1,368.925 g; operational 10 × 36 = 360 g
        #expect(abs(estimate.embodiedGramsCO2e - 1368.925) < 1e-3)
        #expect(abs(estimate.operationalGramsCO2e - 360) < 1e-9)
        #expect(abs(estimate.gramsCO2e - 1728.925) < 1e-3)
        #expect(abs(estimate.lowGramsCO2e - (360 * 0.72 + 1368.925)) < 1e-3)
        #expect(abs(estimate.highGramsCO2e - (360 * 1.44 + 1368.925)) < 1e-3)
        #expect(estimate.embodiedKilogramsCO2e == 2500)
        #expect(estimate.lifetimeYears == 5)
    }

    @Test func noCountryMeansWorldAverageAndSaysSo() throws {
        let calculator = try CarbonCalculator()
        let estimate = try calculator.estimate(kilowattHours: 1, basis: .measured, runSeconds: 1)
        #expect(estimate.gramsCO2e == 473)
        #expect(estimate.country == "WLD")
        #expect(estimate.isWorldDefault)
        #expect(calculator.intensity.summary.contains("no country given"))
    }

    @Test func intensityOverrideWinsOverTheTableAndKeepsTheCountryLabel() throws {
        let calculator = try CarbonCalculator(
            settings: CarbonSettings(countryCode: "fra", intensityOverrideGramsPerKilowattHour: 158))
        let estimate = try calculator.estimate(kilowattHours: 1, basis: .measured, runSeconds: 1)
        #expect(estimate.gramsCO2e == 158)
        #expect(estimate.country == "FRA")
        #expect(estimate.intensityYear == nil)
        #expect(estimate.intensitySource.hasPrefix("user"))
        #expect(!estimate.isWorldDefault)
    }

    @Test func negativeOrNonFiniteEnergyIsRejected() throws {
        let calculator = try CarbonCalculator()
        #expect(throws: CarbonError.self) { try calculator.estimate(joules: -1, basis: .measured, runSeconds: 1) }
        #expect(throws: CarbonError.self) { try calculator.estimate(joules: .nan, basis: .measured, runSeconds: 1) }
        #expect(throws: CarbonError.self) { try calculator.estimate(joules: 1, basis: .measured, runSeconds: -5) }
    }

    @Test func encodesTheJSONKeysOfTheCarbonObject() throws {
        let calculator = try CarbonCalculator(settings: CarbonSettings(countryCode: "GBR"))
        let estimate = try calculator.estimate(kilowattHours: 1, basis: .estimated, runSeconds: 1)
        let data = try JSONEncoder().encode(estimate)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        for key in [
            "gramsCO2e", "low", "high", "intensity", "country", "pue", "embodiedGrams", "operationalGrams",
            "intensitySource", "intensityYear",
        ] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        #expect(object["intensity"] as? Double == 216)
        let decoded = try JSONDecoder().decode(CarbonEstimate.self, from: data)
        #expect(decoded == estimate)
    }
}
