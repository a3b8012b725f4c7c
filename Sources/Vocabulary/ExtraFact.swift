/// One fact a wrapped program sent that Footprint has no column for (`{"event":"epoch",…,
/// "lr":0.001}`): a number, a string or a boolean, kept as sent and shown by `show --json`.
public enum ExtraFact: Codable, Sendable, Equatable, CustomStringConvertible {
    case number(Double)
    case text(String)
    case flag(Bool)

    /// The most facts a run keeps; later keys are counted in one note.
    public static let maximumCount = 64
    /// The longest key kept, in characters.
    public static let maximumKeyLength = 100
    /// The longest string value kept, in characters.
    public static let maximumTextLength = 1_000

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool first: a JSON `true` must not read as the number 1.
        if let flag = try? container.decode(Bool.self) {
            self = .flag(flag)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .number(let number): try container.encode(number)
        case .text(let text): try container.encode(text)
        case .flag(let flag): try container.encode(flag)
        }
    }

    /// The value as a person reads it: `0.001`, `19210`, `adamw`, `true`.
    public var description: String {
        switch self {
        case .number(let number):
            if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
            return String(number)
        case .text(let text): return text
        case .flag(let flag): return flag ? "true" : "false"
        }
    }
}
