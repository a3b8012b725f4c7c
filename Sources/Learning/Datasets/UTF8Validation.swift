/// Finds the first byte that breaks UTF-8 (RFC 3629), so a loader can say on which line a
/// file stops being text instead of silently replacing characters.
enum UTF8Validation {
    /// The offset of the first byte of the first invalid sequence, or `nil` when all of
    /// `bytes` is well-formed UTF-8. Overlong forms, surrogates and code points above U+10FFFF
    /// are invalid.
    static func firstInvalidOffset(in bytes: [UInt8], from start: Int = 0) -> Int? {
        var index = start
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                index += 1
                continue
            }
            let length: Int
            var lowest: UInt8 = 0x80
            var highest: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF:
                length = 2
            case 0xE0:
                length = 3
                lowest = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF:
                length = 3
            case 0xED:
                length = 3
                highest = 0x9F
            case 0xF0:
                length = 4
                lowest = 0x90
            case 0xF1...0xF3:
                length = 4
            case 0xF4:
                length = 4
                highest = 0x8F
            default:
                return index
            }
            guard index + length <= count else { return index }
            let second = bytes[index + 1]
            guard second >= lowest && second <= highest else { return index }
            for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 {
                return index
            }
            index += length
        }
        return nil
    }

    /// The 1-based line number of `offset`: one plus the line feeds before it.
    static func lineNumber(of offset: Int, in bytes: [UInt8]) -> Int {
        var line = 1
        for byte in bytes[..<min(offset, bytes.count)] where byte == UInt8(ascii: "\n") {
            line += 1
        }
        return line
    }
}
