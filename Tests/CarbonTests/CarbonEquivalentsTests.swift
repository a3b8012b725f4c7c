import Testing

@testable import Carbon

@Suite struct CarbonEquivalentsTests {
    @Test func strubellPoundsAreConvertedWithTheExactPound() throws {
        let flight = try #require(ReferencePoint.strubell2019.first { $0.name.contains("flight") })
        #expect(abs(flight.gramsCO2e - 1984 * 453.59237) < 1e-6)
        let nas = try #require(ReferencePoint.strubell2019.first { $0.name.contains("architecture search") })
        #expect(abs(nas.gramsCO2e / 1e6 - 284.019) < 1e-3)  // 626,155 lb ≈ 284.0 t
        #expect(ReferencePoint.strubell2019.count == 6)
    }

    @Test func largeModelAnchorsAreInGrams() {
        #expect(ReferencePoint.gpt3Training.gramsCO2e == 552e6)
        #expect(ReferencePoint.bloomTrainingDynamic.gramsCO2e == 24.7e6)
        #expect(ReferencePoint.all.map(\.gramsCO2e) == ReferencePoint.all.map(\.gramsCO2e).sorted())
    }

    @Test func everydayConversionsUseTheirConstants() {
        #expect(abs(CarbonEquivalents.carKilometres(gramsCO2e: 106.6) - 1) < 1e-12)
        #expect(abs(CarbonEquivalents.smartphoneCharges(gramsCO2e: 124) - 10) < 1e-12)
        #expect(abs(CarbonEquivalents.treeDays(gramsCO2e: 11_000) - 365.25) < 1e-9)
    }

    @Test func carSentenceChoosesMetresForSmallAmounts() {
        // 1 g / 106.6 g/km = 9.38 m
        #expect(CarbonEquivalents.carSentence(gramsCO2e: 1).hasPrefix("≈ 9.4 m by car"))
        #expect(CarbonEquivalents.carSentence(gramsCO2e: 2132).hasPrefix("≈ 20 km by car"))
        #expect(CarbonEquivalents.carSentence(gramsCO2e: 0.05).hasPrefix("≈ 47 cm by car"))
        #expect(CarbonEquivalents.carSentence(gramsCO2e: 1).contains("106.6 g/km"))
    }

    @Test func smartphoneSentenceUsesPercentBelowOneCharge() {
        #expect(CarbonEquivalents.smartphoneSentence(gramsCO2e: 1.24).hasPrefix("≈ 10% of one smartphone charge"))
        #expect(CarbonEquivalents.smartphoneSentence(gramsCO2e: 12.4).hasPrefix("≈ 1 smartphone charge "))
        #expect(CarbonEquivalents.smartphoneSentence(gramsCO2e: 124).hasPrefix("≈ 10 smartphone charges"))
    }

    @Test func treeSentenceScalesFromMinutesToYears() {
        #expect(CarbonEquivalents.treeSentence(gramsCO2e: 11_000).hasPrefix("≈ 1 year of"))
        #expect(CarbonEquivalents.treeSentence(gramsCO2e: 30.116 * 3).hasPrefix("≈ 3 days of"))
        #expect(CarbonEquivalents.treeSentence(gramsCO2e: 30.116 / 4).hasPrefix("≈ 6 hours of"))
        #expect(CarbonEquivalents.treeSentence(gramsCO2e: 0.1).contains("minutes"))
    }

    @Test func referenceSentenceIsAFractionOfTheFlightForSmallRuns() {
        // 1 g against 899,929 g
        let sentence = CarbonEquivalents.referenceSentence(gramsCO2e: 1)
        #expect(sentence.hasPrefix("≈ 1/900,000 of one New York ↔ San Francisco flight"))
        #expect(sentence.contains("Strubell et al. 2019"))
    }

    @Test func referenceSentenceIsAMultipleOfTheLargestPointBelow() {
        // 1,000 t: above GPT-3's 552 t
        #expect(CarbonEquivalents.referenceSentence(gramsCO2e: 1e9).hasPrefix("≈ 1.8× training GPT-3"))
        #expect(CarbonEquivalents.referenceSentence(gramsCO2e: 24.7e6).hasPrefix("≈ one training BLOOM"))
    }

    @Test func sentencesAreEmptyForNothing() {
        #expect(CarbonEquivalents.sentences(gramsCO2e: 0).isEmpty)
        #expect(CarbonEquivalents.sentences(gramsCO2e: 5).count == 4)
    }

    @Test(arguments: [
        (0.0123, "0.012"), (8.04, "8"), (9.96, "10"), (1234.5, "1,200"), (2_500_000, "2,500,000"), (106.6, "110"),
    ])
    func approximateNumbersRoundToTwoSignificantDigitsWithGrouping(value: Double, expected: String) {
        #expect(approximateNumber(value) == expected)
    }
}
