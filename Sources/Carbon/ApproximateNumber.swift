import Foundation

/// Formats a quantity for a sentence with at most a few significant digits, no trailing
/// zeros, and thousands separators: 0.0123 → "0.012", 8.04 → "8", 1234.5 → "1,200", 2_500_000 → "2,500,000".
/// Locale-independent on purpose: reports must read the same on every machine.
func approximateNumber(_ value: Double, significantDigits: Int = 2) -> String {
    guard value.isFinite else { return "\(value)" }
    guard value != 0 else { return "0" }
    func decimals(for x: Double) -> Int {
        max(0, significantDigits - 1 - Int(floor(log10(abs(x)))))
    }
    let power = pow(10.0, Double(significantDigits - 1 - Int(floor(log10(abs(value))))))
    let rounded = (value * power).rounded() / power
    let text = String(format: "%.\(decimals(for: rounded))f", rounded)
    let parts = text.split(separator: ".", maxSplits: 1)
    var integer = String(parts[0])
    let sign = integer.hasPrefix("-") ? "-" : ""
    if !sign.isEmpty { integer.removeFirst() }
    var grouped = ""
    for (index, digit) in integer.reversed().enumerated() {
        if index > 0, index % 3 == 0 { grouped.append(",") }
        grouped.append(digit)
    }
    // Significant digits are a ceiling, not a promise: "8.0" reads better as "8".
    let digits = parts.count > 1 ? String(parts[1].reversed().drop { $0 == "0" }.reversed()) : ""
    let fraction = digits.isEmpty ? "" : "." + digits
    return sign + String(grouped.reversed()) + fraction
}
