import Foundation
import Vocabulary

/// The per-country grid-intensity table shipped in code (no resource bundle, so a copied
/// binary keeps working).
///
/// Data: Ember's 2024 yearly averages for the countries in `shared/REFERENCE.md` §4 and for
/// the world (473 gCO2e/kWh); every other country from Our World in Data's energy dataset
/// (electricity data from Ember and the Energy Institute, CC BY 4.0) as packaged by CodeCarbon
/// 3.3.2 (MIT licence). Regenerate with `scripts/generate-intensity-table.py`; see
/// `Sources/Carbon/Carbon.docc/DATA-SOURCES.md` for the credits and licence terms.
///
/// All values are AVERAGE intensities; marginal ones run far higher.
public enum GridIntensityTable {
    /// The world average (WLD, Ember 2024), used when no country is given.
    public static var world: GridIntensity { worldEntry }

    /// Every country in the table, sorted by ISO 3166 alpha-3 code (the world entry excluded).
    public static var countries: [GridIntensity] { countryEntries }

    private static let byCode: [String: GridIntensity] = {
        var index = [worldEntry.countryCode: worldEntry]
        for entry in countryEntries { index[entry.countryCode] = entry }
        return index
    }()

    /// Looks a country up by ISO 3166 alpha-3 code or by name, ignoring case and accents.
    ///
    /// - Parameter codeOrName: "FRA", "fra", "France" or "World"/"WLD" for the world average.
    /// - Returns: The table entry.
    /// - Throws: `CarbonError.unknownCountry` with close matches when nothing matches, or
    ///   `CarbonError.noIntensityData` for a country listed upstream without a usable value.
    public static func intensity(for codeOrName: String) throws -> GridIntensity {
        let query = normalised(codeOrName)
        if let entry = byCode[query.uppercased()] { return entry }
        if let reason = excludedEntries[query.uppercased()] {
            throw CarbonError.noIntensityData(code: query.uppercased(), reason: reason)
        }
        let all = [worldEntry] + countryEntries
        if let entry = all.first(where: { normalised($0.countryName) == query }) { return entry }
        throw CarbonError.unknownCountry(codeOrName, suggestions: suggestions(for: codeOrName))
    }

    /// Close matches for a code or name nobody recognised, best first.
    ///
    /// A candidate qualifies when its code or name starts with the query, when its code is
    /// within one edit of a query of up to four letters, or when its name (or the start of it)
    /// is within two edits of a query of five letters or more.
    ///
    /// - Parameters:
    ///   - codeOrName: What the user typed.
    ///   - limit: The most suggestions to return.
    /// - Returns: Up to `limit` entries, closest first.
    public static func suggestions(for codeOrName: String, limit: Int = 3) -> [GridIntensity] {
        let query = normalised(codeOrName)
        guard !query.isEmpty else { return [] }
        let upper = query.uppercased()
        var scored: [(score: Int, entry: GridIntensity)] = []
        for entry in [worldEntry] + countryEntries {
            let name = normalised(entry.countryName)
            let codeDistance = NameSuggestion.editDistance(upper, entry.countryCode)
            var score = Int.max
            if entry.countryCode.hasPrefix(upper) || name.hasPrefix(query) { score = 0 }
            if query.count <= 4, codeDistance <= 1 { score = min(score, codeDistance + 1) }
            if query.count >= 5 {
                // A typo in the whole name ("germny") or in its start ("untied sta").
                let nameDistance = min(
                    NameSuggestion.editDistance(query, name), NameSuggestion.editDistance(query, String(name.prefix(query.count))))
                if nameDistance <= 2 { score = min(score, 2 + nameDistance) }
            }
            if score != Int.max { scored.append((score, entry)) }
        }
        return
            scored
            .sorted { $0.score != $1.score ? $0.score < $1.score : $0.entry.countryCode < $1.entry.countryCode }
            .prefix(limit)
            .map(\.entry)
    }

    /// Lower case, no accents, no surrounding spaces: "Côte d'Ivoire " → "cote d'ivoire".
    private static func normalised(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines)
            .folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .lowercased()
    }
}
