import Foundation
import Vocabulary

/// Human-readable quantities with their units: one place so the CLI, Markdown reports,
/// charts and benchmarks agree on how a joule or a FLOP is written.
public enum UnitFormat {
    /// `1.23 GFLOP`, `840 kFLOP`.
    public static func flops(_ value: Double) -> String {
        scaled(value, unit: "FLOP", prefixes: [(1e15, "P"), (1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, "")])
    }

    /// `1.2 kJ`, `350 J`, `12 mJ`.
    public static func joules(_ value: Double) -> String {
        if value >= EnergyUnits.joulesPerKilowattHour { return number(value / EnergyUnits.joulesPerKilowattHour) + " kWh" }
        return scaled(value, unit: "J", prefixes: [(1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ")])
    }

    /// `12.5 W`.
    public static func watts(_ value: Double) -> String {
        scaled(value, unit: "W", prefixes: [(1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m")])
    }

    /// `1.5 kg`, `3.2 g`, `45 mg` of CO2e.
    public static func gramsCO2e(_ value: Double) -> String {
        if value >= 1e6 { return number(value / 1e6) + " t CO2e" }
        if value >= 1e3 { return number(value / 1e3) + " kg CO2e" }
        if value >= 1 || value == 0 { return number(value) + " g CO2e" }
        if value >= 1e-3 { return number(value * 1e3) + " mg CO2e" }
        return number(value * 1e6) + " µg CO2e"
    }

    /// `1 h 02 min`, `3 min 05 s`, `12.3 s`, `45 ms`; past a million hours, `2.78e+296 h`.
    public static func seconds(_ value: Double) -> String {
        guard value.isFinite else { return "—" }
        // Whole hours and minutes need an Int; beyond this they would not fit (and mean nothing).
        if value >= 3.6e9 { return number(value / 3600) + " h" }
        if value >= 3600 { return String(format: "%d h %02d min", Int(value) / 3600, (Int(value) % 3600) / 60) }
        if value >= 60 { return String(format: "%d min %02d s", Int(value) / 60, Int(value) % 60) }
        if value >= 1 { return number(value) + " s" }
        if value >= 1e-3 { return number(value * 1e3) + " ms" }
        return number(value * 1e6) + " µs"
    }

    /// `203,530`.
    public static func integer(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return value < 0 ? "-" + result : result
    }

    /// Three significant digits, no exponent for everyday magnitudes.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "-∞") }
        let magnitude = abs(value)
        if magnitude == 0 { return "0" }
        if magnitude >= 1e6 || magnitude < 1e-3 { return String(format: "%.3g", value) }
        if magnitude >= 100 { return String(format: "%.0f", value) }
        if magnitude >= 10 { return String(format: "%.1f", value) }
        if magnitude >= 1 { return String(format: "%.2f", value) }
        return String(format: "%.3g", value)
    }

    /// `97.2%`; a value out of any sensible range is written in scientific form (`1e+302%`).
    public static func percent(_ fraction: Double) -> String {
        fixed(fraction * 100, decimals: 1) + "%"
    }

    /// `value` with `decimals` decimals (`0.9712`), but in scientific form with three
    /// significant digits (`1e+300`) from a million on, so no value ever prints hundreds of digits.
    ///
    /// - Parameters:
    ///   - value: Any value, as a program reported it (an R² of 1e300 included).
    ///   - decimals: Decimals for everyday magnitudes (0…15).
    /// - Returns: The text; `NaN`, `∞` or `-∞` for a non-finite value.
    public static func fixed(_ value: Double, decimals: Int) -> String {
        guard value.isFinite else { return number(value) }
        if abs(value) >= 1e6 { return String(format: "%.3g", value) }
        return String(format: "%.\(min(max(decimals, 0), 15))f", value)
    }

    private static func scaled(_ value: Double, unit: String, prefixes: [(Double, String)]) -> String {
        guard value.isFinite else { return number(value) + " " + unit }
        let magnitude = abs(value)
        if magnitude == 0 { return "0 " + unit }
        for (factor, prefix) in prefixes where magnitude >= factor {
            return number(value / factor) + " " + prefix + unit
        }
        let (factor, prefix) = prefixes.last!
        return number(value / factor) + " " + prefix + unit
    }
}
