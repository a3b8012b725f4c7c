/// GitHub-flavoured Markdown pieces: escaped inline text and pipe tables.
///
/// Every table a report writes goes through ``MarkdownTable`` so cells never break the table
/// (a `|` in a run name, a newline in an error message).
public enum Markdown {
    /// Escapes text for inline use: characters GFM would read as emphasis, links, code, HTML or
    /// table pipes are backslash-escaped, and line breaks become spaces.
    ///
    /// - Parameter text: Plain text.
    /// - Returns: Text that renders as itself.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "<", ">", "|", "#":
                result.append("\\")
                result.append(character)
            case "\n", "\r", "\r\n", "\t":
                result.append(" ")
            default:
                result.append(character)
            }
        }
        return result
    }

    /// Inline code, with a fence longer than any run of backticks in `text`.
    ///
    /// - Parameter text: The code.
    /// - Returns: `` `text` `` (pipes escaped, so it can sit in a table cell).
    public static func code(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        var longest = 0
        var current = 0
        for character in flat {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padding = flat.hasPrefix("`") || flat.hasSuffix("`") ? " " : ""
        // GFM reads a pipe as a cell boundary even inside a code span in a table.
        return fence + padding + flat.replacingOccurrences(of: "|", with: "\\|") + padding + fence
    }

    /// A bulleted list, one item per line.
    ///
    /// - Parameter items: Items, already Markdown.
    /// - Returns: The list, without a trailing newline.
    public static func bullets(_ items: [String]) -> String {
        items.map { "- " + $0 }.joined(separator: "\n")
    }
}

/// A GitHub-flavoured pipe table.
public struct MarkdownTable: Sendable, Equatable {
    /// How a column's cells align.
    public enum Alignment: Sendable, Equatable {
        case left, right, center
    }

    /// Header cells, already Markdown.
    public var headers: [String]
    /// Rows of cells, already Markdown; short rows are padded with empty cells.
    public var rows: [[String]]
    /// Alignment per column; missing entries align left.
    public var alignments: [Alignment]

    /// Creates a table.
    ///
    /// - Parameters:
    ///   - headers: Header cells (Markdown).
    ///   - rows: Body rows (Markdown).
    ///   - alignments: Alignment per column (default: all left).
    public init(headers: [String], rows: [[String]], alignments: [Alignment] = []) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
    }

    /// Creates a table whose columns listed in `rightAligned` align right (numbers).
    ///
    /// - Parameters:
    ///   - headers: Header cells (Markdown).
    ///   - rows: Body rows (Markdown).
    ///   - rightAligned: Indices of right-aligned columns.
    public init(headers: [String], rows: [[String]], rightAligned: Set<Int>) {
        self.init(headers: headers, rows: rows, alignments: headers.indices.map { rightAligned.contains($0) ? .right : .left })
    }

    /// The table as GFM text, without a trailing newline. Cells are padded to a common width
    /// so the source reads as a table too.
    public func rendered() -> String {
        let columns = headers.count
        let cells = ([headers] + rows).map { row in
            (0..<columns).map { index in Self.clean(index < row.count ? row[index] : "") }
        }
        let widths = (0..<columns).map { column in max(3, cells.map { $0[column].count }.max() ?? 0) }
        func alignment(_ column: Int) -> Alignment { column < alignments.count ? alignments[column] : .left }
        func line(_ row: [String]) -> String {
            let padded = row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return alignment(column) == .right ? padding + cell : cell + padding
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let rule = (0..<columns).map { column -> String in
            let dashes = String(repeating: "-", count: widths[column] - 1)
            switch alignment(column) {
            case .left: return dashes + "-"
            case .right: return dashes + ":"
            case .center: return ":" + String(dashes.dropFirst()) + ":"
            }
        }
        var lines = [line(cells[0]), "| " + rule.joined(separator: " | ") + " |"]
        lines += cells.dropFirst().map(line)
        return lines.joined(separator: "\n")
    }

    /// A cell on one line with its unescaped pipes escaped (an escaped `\|` is kept as is).
    private static func clean(_ cell: String) -> String {
        var result = ""
        var previous: Character?
        for character in cell {
            switch character {
            case "\n", "\r", "\r\n": result.append(" ")
            case "|" where previous != "\\": result.append("\\|")
            default: result.append(character)
            }
            previous = character
        }
        return result
    }
}

extension Markdown {
    /// Inline Markdown as a terminal shows it: backslash escapes and code backticks removed.
    ///
    /// - Parameter markdown: Inline Markdown such as a conclusion.
    /// - Returns: Plain text.
    public static func plainText(_ markdown: String) -> String {
        var result = ""
        var escaped = false
        for character in markdown {
            if escaped {
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character != "`" {
                result.append(character)
            }
        }
        return result.replacingOccurrences(of: "**", with: "")
    }
}
