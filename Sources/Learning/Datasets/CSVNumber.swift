/// What a CSV cell holds when read as a number.
enum CSVNumber: Equatable {
    /// A finite value that fits in `Float`: the `Double` read and its `Float` rounding.
    case number(Double, Float)
    /// NaN or an infinity, written as such or overflowing `Double`.
    case notFinite
    /// A finite `Double` beyond `Float`'s range.
    case outOfRange
    /// Empty or not a number.
    case notANumber

    /// Reads `text` (already trimmed) as a decimal or hexadecimal floating-point number.
    static func parse(_ text: String) -> CSVNumber {
        guard !text.isEmpty, let value = Double(text) else { return .notANumber }
        guard value.isFinite else { return .notFinite }
        let float = Float(value)
        guard float.isFinite else { return .outOfRange }
        return .number(value, float)
    }

    /// Reads a cell's bytes: plain integers of up to 15 digits (exact in `Double`) directly,
    /// anything else through `parse(_: String)`.
    static func parse(_ bytes: ArraySlice<UInt8>) -> CSVNumber {
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        let digitCount = bytes.endIndex - index
        if digitCount > 0 && digitCount <= 15 {
            var value = 0
            var allDigits = true
            while index < bytes.endIndex {
                let digit = bytes[index] &- UInt8(ascii: "0")
                guard digit < 10 else {
                    allDigits = false
                    break
                }
                value = value * 10 + Int(digit)
                index += 1
            }
            if allDigits {
                let double = Double(negative ? -value : value)
                return .number(double, Float(double))
            }
        }
        return parse(String(decoding: bytes, as: UTF8.self))
    }

    /// The `Double` read, when finite.
    var value: Double? {
        if case .number(let value, _) = self { value } else { nil }
    }

    /// A sentence fragment saying what is wrong with `cell`.
    func problem(cell: String) -> String {
        let shown = CSVNumber.quoted(cell)
        switch self {
        case .number: return "\(shown) is a number"
        case .notFinite: return "\(shown) is not finite (NaN and infinity are rejected; remove the row or fill in a value)"
        case .outOfRange: return "\(shown) is beyond the Float32 range (±3.4e38); rescale the column"
        case .notANumber:
            return cell.isEmpty ? "the cell is empty; fill in a value or remove the row" : "\(shown) is not a number"
        }
    }

    /// `cell` in quotes, cut to 40 characters so a huge cell does not flood the message.
    static func quoted(_ cell: String) -> String {
        let limit = 40
        return cell.count <= limit ? "'\(cell)'" : "'\(cell.prefix(limit))…' (\(cell.utf8.count) bytes)"
    }
}
