import Vocabulary

/// Loads a user's table from a CSV file: a header row naming the columns, then one sample per
/// row; one column is the label, every other column a numeric feature.
///
/// Fields are separated by commas (RFC 4180), or by semicolons or tabs when the header uses
/// those instead; quoted fields, a UTF-8 byte-order mark, CRLF line ends and blank lines are
/// accepted. Every problem is reported as `LearningError.malformedFile` with the file, the line
/// (and column) and what to change.
///
///     let loaded = try CSVLoader.load(path: "houses.csv", labelColumn: "price", task: .regression)
///     print(loaded.dataset.sampleCount, loaded.classNames)
public enum CSVLoader {
    /// Loads the CSV file at `path`.
    ///
    /// - Parameters:
    ///   - path: The file to read.
    ///   - labelColumn: The name of the label column, as written in the header; `nil` picks
    ///     the last column.
    ///   - task: Regression, classification, or `.automatic` to decide from the labels.
    /// - Returns: The dataset, named `csv:PATH`, and the class names for classification.
    /// - Throws: `LearningError.malformedFile` naming the file, the line and the problem.
    public static func load(path: String, labelColumn: String? = nil, task: TaskHint = .automatic) throws -> CSVDataset {
        let bytes = try DataFile.read(path: path)
        return try parse(bytes, path: path, labelColumn: labelColumn, task: task)
    }

    /// Parses CSV text already in memory; `path` is used in the dataset's name and in errors.
    ///
    /// - Parameters:
    ///   - bytes: The file's contents.
    ///   - path: The name to report.
    ///   - labelColumn: The label column's name; `nil` picks the last column.
    ///   - task: Regression, classification, or `.automatic`.
    /// - Returns: The dataset and, for classification, its class names.
    /// - Throws: `LearningError.malformedFile` naming the line and the problem.
    public static func parse(
        _ bytes: [UInt8], path: String, labelColumn: String? = nil, task: TaskHint = .automatic
    ) throws -> CSVDataset {
        var start = 0
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
        if let invalid = UTF8Validation.firstInvalidOffset(in: bytes, from: start) {
            let line = UTF8Validation.lineNumber(of: invalid, in: bytes)
            throw LearningError.malformedFile(
                path: path, location: "line \(line)",
                problem: "byte \(invalid) is not valid UTF-8; save the file as UTF-8 text")
        }
        let separator = detectSeparator(bytes, from: start)
        var reader = CSVRecordReader(bytes: bytes, startingAt: start, separator: separator, path: path)
        guard let header = try reader.next() else {
            throw LearningError.malformedFile(
                path: path, location: "line 1",
                problem: "the file is empty; expected a header row naming the columns (for example x,y) and one row per sample")
        }
        let names = try columnNames(header.fields.map(reader.string), line: header.line, path: path)
        let labelIndex = try labelColumnIndex(named: labelColumn, in: names, headerLine: header.line, path: path)
        let featureIndices = names.indices.filter { $0 != labelIndex }

        var features: [Float] = []
        var labels: [String] = []
        var lines: [Int] = []
        while let record = try reader.next() {
            guard record.fields.count == names.count else {
                throw LearningError.malformedFile(
                    path: path, location: "line \(record.line)",
                    problem: "expected \(names.count) fields as in the header, got \(record.fields.count); "
                        + "check for a missing or extra \(separatorName(separator)) or an unquoted \(separatorName(separator)) inside a value"
                )
            }
            for column in featureIndices {
                let number = reader.number(record.fields[column])
                guard case .number(_, let value) = number else {
                    throw LearningError.malformedFile(
                        path: path, location: "line \(record.line), column \(names[column])",
                        problem: number.problem(cell: reader.string(record.fields[column])) + "; feature columns must hold numbers")
                }
                features.append(value)
            }
            labels.append(reader.string(record.fields[labelIndex]))
            lines.append(record.line)
        }
        guard !labels.isEmpty else {
            throw LearningError.malformedFile(
                path: path, location: "line \(header.line + 1)",
                problem: "the file has a header but no data rows; add one row per sample below the header")
        }

        let encoded: CSVLabelEncoder.Encoded
        do {
            encoded = try CSVLabelEncoder.encode(labels, hint: task)
        } catch {
            throw LearningError.malformedFile(
                path: path, location: "line \(lines[error.rowIndex]), column \(names[labelIndex])", problem: error.problem)
        }
        let dataset = try Dataset(
            name: "csv:\(path)",
            features: Tensor(rows: labels.count, columns: featureIndices.count, scalars: features),
            targets: Tensor(rows: labels.count, columns: 1, scalars: encoded.targets),
            task: encoded.task,
            featureNames: featureIndices.map { names[$0] },
            targetName: names[labelIndex],
            evaluationPolicy: .holdOut(fraction: 0.2))
        return CSVDataset(dataset: dataset, classNames: encoded.classNames)
    }

    /// The header's separator: the most frequent of comma, semicolon and tab outside quotes on
    /// the first line; comma on a tie or when there is none (a one-column file).
    static func detectSeparator(_ bytes: [UInt8], from start: Int) -> UInt8 {
        var counts: [UInt8: Int] = [UInt8(ascii: ","): 0, UInt8(ascii: ";"): 0, UInt8(ascii: "\t"): 0]
        var inQuotes = false
        var index = start
        let end = min(bytes.count, start + CSVRecordReader.maximumRecordBytes)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes && (byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")) {
                break
            } else if !inQuotes, let count = counts[byte] {
                counts[byte] = count + 1
            }
            index += 1
        }
        let comma = counts[UInt8(ascii: ","), default: 0]
        let semicolon = counts[UInt8(ascii: ";"), default: 0]
        let tab = counts[UInt8(ascii: "\t"), default: 0]
        if semicolon > comma && semicolon >= tab { return UInt8(ascii: ";") }
        if tab > comma && tab > semicolon { return UInt8(ascii: "\t") }
        return UInt8(ascii: ",")
    }

    private static func separatorName(_ separator: UInt8) -> String {
        switch separator {
        case UInt8(ascii: ";"): "semicolon"
        case UInt8(ascii: "\t"): "tab"
        default: "comma"
        }
    }

    /// Header names, blank ones replaced by `column N`; duplicates are rejected because a
    /// label chosen by name must be unambiguous.
    private static func columnNames(_ fields: [String], line: Int, path: String) throws -> [String] {
        let names = fields.enumerated().map { $1.isEmpty ? "column \($0 + 1)" : $1 }
        guard names.count >= 2 else {
            throw LearningError.malformedFile(
                path: path, location: "line \(line)",
                problem: "the header has one column (\(CSVNumber.quoted(names.first ?? ""))); a dataset needs at least one feature column "
                    + "and a label column, separated by commas, semicolons or tabs")
        }
        var seen: [String: Int] = [:]
        for (index, name) in names.enumerated() {
            if let first = seen[name] {
                throw LearningError.malformedFile(
                    path: path, location: "line \(line), column \(name)",
                    problem:
                        "columns \(first + 1) and \(index + 1) are both named \(CSVNumber.quoted(name)); give every column a distinct name")
            }
            seen[name] = index
        }
        return names
    }

    private static func labelColumnIndex(named label: String?, in names: [String], headerLine: Int, path: String) throws -> Int {
        guard let label else { return names.count - 1 }
        if let index = names.firstIndex(of: label) { return index }
        let shown = names.prefix(20).joined(separator: ", ") + (names.count > 20 ? " and \(names.count - 20) more" : "")
        var problem = "no column is named \(CSVNumber.quoted(label)); the columns are: \(shown)"
        if let suggestion = NameSuggestion.closest(to: label, among: names) {
            problem += " (did you mean '\(suggestion)'?)"
        }
        throw LearningError.malformedFile(path: path, location: "line \(headerLine)", problem: problem)
    }
}
