import RunModel
import Statistics

/// A figure with its range, as every energy and CO2e cell writes it: `150 J (135 J – 180 J)`.
enum RangeText {
    /// Marks a 95% interval over a configuration's runs.
    static let repeatMark = "¹"
    /// Marks one run's stated uncertainty band (meter or estimate), which is not a repeat interval.
    static let bandMark = "²"

    /// `150 J (135 J – 180 J)`, or the value alone without both ends.
    ///
    /// - Parameters:
    ///   - value: The central figure.
    ///   - low: Lower end, if known.
    ///   - high: Upper end, if known.
    ///   - format: How one figure is written (`UnitFormat.joules`).
    ///   - prefix: Words before the range (`range `).
    /// - Returns: The text.
    static func text(_ value: Double, low: Double?, high: Double?, format: (Double) -> String, prefix: String = "") -> String {
        guard let low, let high else { return format(value) }
        return "\(format(value)) (\(prefix)\(format(low)) – \(format(high)))"
    }

    /// A configuration's figure: its repeat interval marked ``repeatMark`` with two runs or
    /// more, else the single run's stated band marked ``bandMark``.
    ///
    /// - Parameters:
    ///   - interval: The figure over the runs.
    ///   - band: The single run's stated band, used only when `interval` has none.
    ///   - format: How one figure is written.
    /// - Returns: The text.
    static func text(_ interval: CentralInterval, band: (low: Double?, high: Double?), format: (Double) -> String) -> String {
        if let low = interval.low, let high = interval.high {
            return text(interval.median, low: low, high: high, format: format) + repeatMark
        }
        guard band.low != nil, band.high != nil else { return format(interval.median) }
        return text(interval.median, low: band.low, high: band.high, format: format) + bandMark
    }

    /// The footnotes for the marks used in `cells`.
    ///
    /// - Parameter cells: Every cell of a table.
    /// - Returns: One line per mark found, empty when none is.
    static func footnotes(for cells: [String]) -> [String] {
        var lines: [String] = []
        if cells.contains(where: { $0.contains(repeatMark) }) {
            lines.append("\(repeatMark) Median and 95% interval over the configuration's runs (t on the logarithms of their values).")
        }
        if cells.contains(where: { $0.contains(bandMark) }) {
            lines.append("\(bandMark) A single run: the stated uncertainty band of its meter or estimate, not an interval over repeats.")
        }
        return lines
    }

    /// `31–46×` for a ratio's interval; `0.997–1.003×` when the usual digits would write both
    /// ends alike.
    static func times(low: Double, high: Double) -> String {
        let lowText = String(ComparisonReport.times(low).dropLast())
        let highText = ComparisonReport.times(high)
        guard lowText + "×" == highText, low != high else { return lowText + "–" + highText }
        for digits in 3...6 {
            let a = String(format: "%.\(digits)g", low)
            let b = String(format: "%.\(digits)g", high)
            if a != b { return a + "–" + b + "×" }
        }
        return lowText + "–" + highText
    }
}
