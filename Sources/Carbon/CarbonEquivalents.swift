/// Everyday equivalents of a mass of CO2e, each constant with its source.
public enum CarbonEquivalents {
    /// Average new passenger car registered in the EU, Iceland and Norway in 2023: 106.6 g/km
    /// (EEA provisional data, WLTP type-approval, tailpipe only; real-world driving emits more).
    public static let carGramsPerKilometre = 106.6
    /// One smartphone charge: 1.24 × 10⁻⁵ tCO2 = 12.4 g (US EPA Greenhouse Gas Equivalencies
    /// Calculator, 2024 revision, US average grid).
    public static let smartphoneChargeGrams = 12.4
    /// CO2 a tree takes up in a year, 11 kg (the figure behind Green Algorithms' "tree-months",
    /// Lannelongue, Grealey & Inouye 2021).
    public static let treeKilogramsPerYear = 11.0

    /// Kilometres an average new car drives for `gramsCO2e`.
    public static func carKilometres(gramsCO2e: Double) -> Double {
        gramsCO2e / carGramsPerKilometre
    }

    /// Number of smartphone charges emitting `gramsCO2e`.
    public static func smartphoneCharges(gramsCO2e: Double) -> Double {
        gramsCO2e / smartphoneChargeGrams
    }

    /// Days one tree needs to absorb `gramsCO2e`.
    public static func treeDays(gramsCO2e: Double) -> Double {
        gramsCO2e / (treeKilogramsPerYear * 1000 / 365.25)
    }

    /// Human sentences for a report, in sensible units, e.g.
    /// "≈ 80 cm by car (EEA 2023 average new car, 106.6 g/km)".
    ///
    /// - Parameter gramsCO2e: The footprint to describe.
    /// - Returns: Car, smartphone, tree and reference-point sentences (empty for ≤ 0 g).
    public static func sentences(gramsCO2e: Double) -> [String] {
        guard gramsCO2e > 0, gramsCO2e.isFinite else { return [] }
        return [
            carSentence(gramsCO2e: gramsCO2e), smartphoneSentence(gramsCO2e: gramsCO2e),
            treeSentence(gramsCO2e: gramsCO2e), referenceSentence(gramsCO2e: gramsCO2e),
        ]
    }

    static func carSentence(gramsCO2e: Double) -> String {
        let kilometres = carKilometres(gramsCO2e: gramsCO2e)
        let distance: String
        if kilometres >= 1 {
            distance = "\(approximateNumber(kilometres)) km"
        } else if kilometres >= 0.001 {
            distance = "\(approximateNumber(kilometres * 1000)) m"
        } else {
            distance = "\(approximateNumber(kilometres * 100_000)) cm"
        }
        return "≈ \(distance) by car (EEA 2023 average new car, \(approximateNumber(carGramsPerKilometre, significantDigits: 4)) g/km)"
    }

    static func smartphoneSentence(gramsCO2e: Double) -> String {
        let charges = smartphoneCharges(gramsCO2e: gramsCO2e)
        let source = "(US EPA, \(approximateNumber(smartphoneChargeGrams, significantDigits: 3)) g per charge)"
        if charges >= 1.5 { return "≈ \(approximateNumber(charges)) smartphone charges \(source)" }
        if charges >= 0.95 { return "≈ 1 smartphone charge \(source)" }
        return "≈ \(approximateNumber(charges * 100))% of one smartphone charge \(source)"
    }

    static func treeSentence(gramsCO2e: Double) -> String {
        let days = treeDays(gramsCO2e: gramsCO2e)
        func count(_ value: Double, _ unit: String) -> String {
            let text = approximateNumber(value)
            return text == "1" ? "1 \(unit)" : "\(text) \(unit)s"
        }
        let duration: String
        if days >= 365.25 {
            duration = count(days / 365.25, "year")
        } else if days >= 1 {
            duration = count(days, "day")
        } else if days * 24 >= 1 {
            duration = count(days * 24, "hour")
        } else {
            duration = count(days * 1440, "minute")
        }
        return "≈ \(duration) of one tree's uptake (\(approximateNumber(treeKilogramsPerYear)) kg CO2 per year, Green Algorithms)"
    }

    /// Sets the footprint beside the nearest reference point at or below it — or, when it is
    /// smaller than all of them, as a fraction of the smallest (the NY↔SF flight).
    static func referenceSentence(gramsCO2e: Double) -> String {
        let points = ReferencePoint.all
        let point = points.last { $0.gramsCO2e <= gramsCO2e } ?? points[0]
        let ratio = gramsCO2e / point.gramsCO2e
        let size = "\(approximateNumber(point.gramsCO2e / 1000)) kg"
        let reference = "\(point.name) (\(point.source): \(size))"
        if ratio >= 1.5 { return "≈ \(approximateNumber(ratio))× \(reference)" }
        if ratio >= 0.95 { return "≈ one \(reference)" }
        return "≈ 1/\(approximateNumber(1 / ratio)) of one \(reference)"
    }
}
