import Foundation

/// Compact tick labels: 1k, 2.5M, 0.25, 1e-3.
///
/// Values of 1,000 and above take an SI suffix (k, M, G, T); magnitudes below 0.01 are
/// written in scientific notation; the number of decimals follows the tick step, so
/// neighbouring labels never collapse to the same text.
public enum TickLabelFormatter {
    private static let suffixes: [(Double, String)] = [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")]

    /// Formats one tick value.
    ///
    /// - Parameters:
    ///   - value: The tick value.
    ///   - step: Distance to the neighbouring tick, if regular; it sets the decimals.
    /// - Returns: A short label such as "2.5k".
    public static func label(_ value: Double, step: Double? = nil) -> String {
        guard value.isFinite else { return "" }
        let magnitude = abs(value)
        if let step, magnitude < step * 1e-9 { return "0" }
        if magnitude == 0 { return "0" }
        let sign = value < 0 ? "−" : ""
        if magnitude >= 1e15 || magnitude < 0.01 { return sign + scientific(magnitude) }
        for (unit, suffix) in suffixes where magnitude >= unit {
            return sign + fixed(magnitude / unit, step: step.map { $0 / unit }) + suffix
        }
        return sign + fixed(magnitude, step: step)
    }

    /// "1e-3", "2.5e-4", "1e15", "1.8e308", "4.94e-324": printf's rounding and exponent, so
    /// subnormals and the largest Doubles need no power of ten that a Double cannot hold.
    private static func scientific(_ magnitude: Double) -> String {
        let parts = String(format: "%.2e", magnitude).split(separator: "e")
        guard parts.count == 2, let exponent = Int(parts[1]) else { return String(format: "%.2g", magnitude) }
        return trimmed(String(parts[0])) + "e\(exponent)"
    }

    private static func fixed(_ value: Double, step: Double?) -> String {
        // Enough decimals to tell ticks `step` apart, or three significant digits without a step.
        let decimals: Int
        if let step, step > 0 {
            decimals = max(0, Int(-floor(log10(step) + 1e-9)))
        } else {
            decimals = max(0, 2 - Int(floor(log10(value))))
        }
        return trimmed(String(format: "%.\(min(decimals, 6))f", value))
    }

    private static func trimmed(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var result = text
        while result.hasSuffix("0") { result.removeLast() }
        if result.hasSuffix(".") { result.removeLast() }
        return result
    }
}
