/// One record of a CSV file: its fields and the line on which it starts.
struct CSVRecord: Equatable {
    /// 1-based line number of the record's first byte.
    var line: Int
    /// The fields; read them with `CSVRecordReader.string(_:)` or `number(_:)`.
    var fields: [CSVField]
}

/// One field of a record. Unquoted fields stay as a range of the file's bytes, so a numeric
/// table is parsed without making a `String` per cell.
enum CSVField: Equatable {
    /// An unquoted field without its surrounding spaces: a range of the reader's bytes.
    case bytes(Range<Int>)
    /// A quoted field, its `""` pairs already turned into single quotes.
    case text(String)
}

/// Splits CSV bytes into records following RFC 4180: fields separated by one byte, records by
/// CRLF, LF or a lone CR, fields optionally enclosed in double quotes with `""` standing for one
/// quote, line breaks allowed inside quotes.
///
/// It works on bytes already checked to be UTF-8 and never looks at more than
/// `maximumRecordBytes` of one record, so a file without line breaks fails fast.
struct CSVRecordReader {
    /// A record longer than this is rejected: far beyond any real table's row (an MNIST row
    /// written as CSV is about 2 KB), small enough to fail at once on a file with no line breaks.
    static let maximumRecordBytes = 1 << 20

    private let bytes: [UInt8]
    private let path: String
    let separator: UInt8
    private var position: Int
    /// The 1-based line the reader is on.
    private(set) var line = 1
    /// The previous record's field count, to size the next one's array at once.
    private var expectedFieldCount = 1

    init(bytes: [UInt8], startingAt start: Int, separator: UInt8, path: String) {
        self.bytes = bytes
        self.position = start
        self.separator = separator
        self.path = path
    }

    /// The next non-blank record, or `nil` at the end of the file.
    ///
    /// - Throws: `LearningError.malformedFile` for an unterminated quote, text after a closing
    ///   quote or a record longer than `maximumRecordBytes`.
    mutating func next() throws(LearningError) -> CSVRecord? {
        while position < bytes.count {
            let record = try readRecord()
            // A line holding nothing at all is skipped: editors leave blank lines at the end of
            // files. A quoted empty field ("") is a real record and is kept.
            if record.fields.count == 1, case .bytes(let range) = record.fields[0], range.isEmpty { continue }
            return record
        }
        return nil
    }

    private mutating func readRecord() throws(LearningError) -> CSVRecord {
        let startLine = line
        let startPosition = position
        var fields: [CSVField] = []
        fields.reserveCapacity(expectedFieldCount)
        while true {
            fields.append(try readField(recordStart: startPosition, recordLine: startLine))
            guard position < bytes.count else { return CSVRecord(line: startLine, fields: fields) }
            let byte = bytes[position]
            if byte == separator {
                position += 1
                continue
            }
            // The field ended on a line break (readField stops only at a separator, a line
            // break or the end of the file).
            consumeLineBreak()
            expectedFieldCount = fields.count
            return CSVRecord(line: startLine, fields: fields)
        }
    }

    /// The field's text.
    func string(_ field: CSVField) -> String {
        switch field {
        case .bytes(let range): String(decoding: bytes[range], as: UTF8.self)
        case .text(let text): text
        }
    }

    /// The field read as a number; plain integers are read straight from the bytes.
    func number(_ field: CSVField) -> CSVNumber {
        switch field {
        case .bytes(let range): CSVNumber.parse(bytes[range])
        case .text(let text): CSVNumber.parse(text)
        }
    }

    private mutating func consumeLineBreak() {
        if bytes[position] == UInt8(ascii: "\r"), position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\n") {
            position += 2
        } else {
            position += 1
        }
        line += 1
    }

    private mutating func checkLength(recordStart: Int, recordLine: Int) throws(LearningError) {
        if position - recordStart > Self.maximumRecordBytes {
            throw .malformedFile(
                path: path, location: "line \(recordLine)",
                problem: "the record is longer than \(Self.maximumRecordBytes / (1 << 20)) MiB without a line break; "
                    + "a CSV file needs one record per line (is it a CSV file, or does a quote lack its closing quote?)")
        }
    }

    private mutating func readField(recordStart: Int, recordLine: Int) throws(LearningError) -> CSVField {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == separator || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
                position += 1
                if position & 0xFFF == 0 { try checkLength(recordStart: recordStart, recordLine: recordLine) }
            }
            try checkLength(recordStart: recordStart, recordLine: recordLine)
            return .bytes(Self.trimmed(start..<position, in: bytes))
        }
        let openingLine = line
        position += 1
        var value: [UInt8] = []
        while true {
            guard position < bytes.count else {
                throw .malformedFile(
                    path: path, location: "line \(openingLine)",
                    problem: "a quoted field is never closed; add the closing double quote (write a quote inside a field as \"\")")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if position + 1 < bytes.count, bytes[position + 1] == UInt8(ascii: "\"") {
                    value.append(byte)
                    position += 2
                    continue
                }
                position += 1
                break
            }
            if byte == UInt8(ascii: "\n")
                || (byte == UInt8(ascii: "\r") && !(position + 1 < bytes.count && bytes[position + 1] == UInt8(ascii: "\n")))
            {
                line += 1
            }
            value.append(byte)
            position += 1
            if position & 0xFFF == 0 { try checkLength(recordStart: recordStart, recordLine: recordLine) }
        }
        // Spaces may follow the closing quote; anything else before the separator is an error.
        while position < bytes.count, bytes[position] == UInt8(ascii: " ") { position += 1 }
        if position < bytes.count {
            let byte = bytes[position]
            if byte != separator && byte != UInt8(ascii: "\n") && byte != UInt8(ascii: "\r") {
                throw .malformedFile(
                    path: path, location: "line \(line)",
                    problem: "unexpected text after a closing double quote; a quote inside a quoted field must be doubled (\"\")")
            }
        }
        try checkLength(recordStart: recordStart, recordLine: recordLine)
        return .text(String(decoding: value, as: UTF8.self))
    }

    private static func trimmed(_ range: Range<Int>, in bytes: [UInt8]) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, bytes[lower] == UInt8(ascii: " ") || bytes[lower] == UInt8(ascii: "\t") { lower += 1 }
        while upper > lower, bytes[upper - 1] == UInt8(ascii: " ") || bytes[upper - 1] == UInt8(ascii: "\t") { upper -= 1 }
        return lower..<upper
    }
}
