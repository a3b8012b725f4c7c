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
