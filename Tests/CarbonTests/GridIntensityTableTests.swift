import Testing

@testable import Carbon

@Suite struct GridIntensityTableTests {
    @Test func looksUpFranceByCodeWithTheEmber2024Value() throws {
        let france = try GridIntensityTable.intensity(for: "FRA")
        #expect(france.countryName == "France")
        #expect(france.gramsCO2ePerKilowattHour == 44)
        #expect(france.year == 2024)
        #expect(france.source == "Ember 2024")
    }

    @Test(arguments: ["fra", "Fra", " FRA ", "france", "FRANCE"])
    func lookupIgnoresCaseAndSpacesAndAcceptsNames(query: String) throws {
        #expect(try GridIntensityTable.intensity(for: query).countryCode == "FRA")
    }

    @Test func acceptsAccentedAndUnaccentedNames() throws {
        #expect(try GridIntensityTable.intensity(for: "Côte d'Ivoire").countryCode == "CIV")
        #expect(try GridIntensityTable.intensity(for: "cote d'ivoire").countryCode == "CIV")
    }

    @Test func countriesOutsideTheEmberListKeepTheOurWorldInDataValue() throws {
        // Upstream global_energy_mix.json: AUT 2023, rounded to 0.1 g.
        let austria = try GridIntensityTable.intensity(for: "AUT")
        #expect(austria.source.hasPrefix("Our World in Data"))
        #expect(austria.year >= 2021)
        #expect(austria.gramsCO2ePerKilowattHour > 0)
    }

    @Test func ember2024OverridesAllFourteenCountriesAndTheWorld() throws {
        let expected: [String: Double] = [
            "FRA": 44, "DEU": 342, "USA": 384, "CHN": 558, "IND": 709, "GBR": 216, "SWE": 36,
            "NOR": 31, "POL": 615, "CAN": 185, "JPN": 484, "AUS": 554, "BRA": 106, "ZAF": 714, "WLD": 473,
        ]
        for (code, grams) in expected {
            let entry = try GridIntensityTable.intensity(for: code)
            #expect(entry.gramsCO2ePerKilowattHour == grams, "\(code)")
            #expect(entry.source == "Ember 2024", "\(code)")
        }
    }

    @Test func tableHasOneRowPerCodeAllPositiveAndSorted() {
        let codes = GridIntensityTable.countries.map(\.countryCode)
        #expect(codes.count == 212)
        #expect(Set(codes).count == codes.count)
        #expect(codes == codes.sorted())
        #expect(codes.allSatisfy { $0.count == 3 && $0 == $0.uppercased() })
        #expect(GridIntensityTable.countries.allSatisfy { $0.gramsCO2ePerKilowattHour > 0 })
    }

    @Test func unknownCodeSuggestsCloseMatches() throws {
        let error = #expect(throws: CarbonError.self) { try GridIntensityTable.intensity(for: "FRX") }
        guard case .unknownCountry(let given, let suggestions)? = error else {
            Issue.record("expected unknownCountry, got \(String(describing: error))")
            return
        }
        #expect(given == "FRX")
        #expect(suggestions.map(\.countryCode).contains("FRA"))
        let message = try #require(error).description
        #expect(message.contains("Did you mean"))
        #expect(message.contains("FRA (France)"))
        #expect(message.contains("--intensity"))
    }

    @Test func misspelledNameSuggestsTheCountry() {
        #expect(GridIntensityTable.suggestions(for: "Germny").first?.countryCode == "DEU")
        #expect(GridIntensityTable.suggestions(for: "Swedn").map(\.countryCode).contains("SWE"))
    }

    @Test func namePrefixAndTwoLetterCodesSuggestCountries() {
        #expect(GridIntensityTable.suggestions(for: "Fran").map(\.countryCode).contains("FRA"))
        #expect(GridIntensityTable.suggestions(for: "FR").map(\.countryCode).contains("FRA"))
    }

    @Test func nonsenseGetsNoSuggestionsButStillAHelpfulMessage() throws {
        let error = #expect(throws: CarbonError.self) { try GridIntensityTable.intensity(for: "zzzzzzzzzz") }
        #expect(GridIntensityTable.suggestions(for: "zzzzzzzzzz").isEmpty)
        #expect(try #require(error).description.contains("ISO 3166 alpha-3"))
    }

    @Test func countryWithZeroUpstreamIntensityIsRefusedNotShippedAsZero() {
        let error = #expect(throws: CarbonError.self) { try GridIntensityTable.intensity(for: "CAF") }
        guard case .noIntensityData(let code, _)? = error else {
            Issue.record("expected noIntensityData, got \(String(describing: error))")
            return
        }
        #expect(code == "CAF")
    }
}
