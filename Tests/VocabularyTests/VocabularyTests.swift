import Testing
import Vocabulary

@Suite struct VocabularyTests {
    @Test func metricNamesRoundTripThroughTheirStoredText() {
        for name in [MetricName.trainLoss, .validationLoss, .accuracy, .mse, .r2, .coefficient(0), .coefficient(12)] {
            #expect(MetricName(rawValue: name.rawValue) == name)
        }
        #expect(MetricName(rawValue: "coefficient_x") == nil)
        #expect(MetricName(rawValue: "coefficient_-1") == nil)
        #expect(MetricName(rawValue: "loss") == nil)
    }

    @Test func suggestionsFindTyposWithinAThirdOfTheName() {
        #expect(NameSuggestion.closest(to: "terain", among: ["terrain", "digits"]) == "terrain")
        #expect(NameSuggestion.closest(to: "zzzzzz", among: ["terrain", "digits"]) == nil)
        #expect(NameSuggestion.editDistance("kitten", "sitting") == 3)
        #expect(NameSuggestion.editDistance("", "abc") == 3)
        #expect(NameSuggestion.editDistance("FRA", "FRA") == 0)
        #expect(NameSuggestion.editDistance("FRA", "FRO") == 1)
    }

    @Test func provenanceIsStoredAsItsName() {
        #expect(EnergyProvenance.allCases.map(\.rawValue) == ["measured", "estimated", "mixed"])
        #expect(EnergyUnits.joulesPerKilowattHour == 3_600_000)
    }
}
