import Foundation

/// A table of cells that renders as aligned text for a terminal or as a GitHub-flavoured
/// Markdown table for reports: one type, so a column and its header always travel together.
///
/// The column count is the larger of the header count and the longest row: a row with more
/// cells than headers gets empty headers rather than losing its cells.
///
/// Cells may hold text from outside (a run's name, a node, a phase): `text()` shows their control
/// characters escaped and cuts each cell to its column's width, and `markdown()` removes them
/// (see ``DisplayText``).
public struct Table: Sendable, Equatable {
    /// How a column's cells align.
    public enum Alignment: Sendable, Equatable {
        case left, right, center
    }

    /// Header cells (already Markdown when rendered as Markdown).
    public var headers: [String]
    /// Rows of cells; short rows are padded with empty cells.
    public var rows: [[String]]
    /// Alignment per column; missing entries align left.
    public var alignments: [Alignment]
    /// Most characters a column's cells show in `text()`, by column index; other columns show
    /// up to ``DisplayText/cellWidth``.
    public var maximumWidths: [Int: Int] = [:]

    /// Creates a table.
    ///
    /// - Parameters:
    ///   - headers: Header cells.
    ///   - rows: Body rows.
    ///   - alignments: Alignment per column (default: all left).
    public init(headers: [String], rows: [[String]], alignments: [Alignment] = []) {
        self.headers = headers
        self.rows = rows
        self.alignments = alignments
    }

    /// Creates a table whose columns listed in `rightAligned` align right (numbers).
    ///
    /// - Parameters:
    ///   - headers: Header cells.
    ///   - rows: Body rows.
    ///   - rightAligned: Indices of right-aligned columns.
    public init(headers: [String], rows: [[String]], rightAligned: Set<Int>) {
        let columns = max(headers.count, rows.map(\.count).max() ?? 0)
        self.init(headers: headers, rows: rows, alignments: (0..<columns).map { rightAligned.contains($0) ? .right : .left })
    }

    /// Columns: the larger of the header count and the longest row.
    public var columnCount: Int { max(headers.count, rows.map(\.count).max() ?? 0) }

    private func alignment(_ column: Int) -> Alignment { column < alignments.count ? alignments[column] : .left }

    /// The same table with `columns` cut to `width` characters in `text()`: columns of names.
    ///
    /// - Parameters:
    ///   - columns: Column indices.
    ///   - width: Most characters per cell (default ``DisplayText/nameWidth``).
    /// - Returns: The table.
    public func limitingWidth(ofColumns columns: Set<Int>, to width: Int = DisplayText.nameWidth) -> Table {
        var table = self
        for column in columns { table.maximumWidths[column] = width }
        return table
    }

    private static func padded(_ row: [String], to columns: Int) -> [String] {
        (0..<columns).map { $0 < row.count ? row[$0] : "" }
    }

    /// The table as text for a terminal: columns two spaces apart, a `─` rule under the headers,
    /// no trailing spaces. Control characters in cells are shown escaped (`\e`, `\n`) and a
    /// cell longer than its column's width is cut with `…`.
    public func text() -> String {
        let columns = columnCount
        let cells = ([headers] + rows).map { row in
            Self.padded(row, to: columns).enumerated().map { column, cell in
                DisplayText.terminal(cell, width: maximumWidths[column] ?? DisplayText.cellWidth)
            }
        }
        let widths = (0..<columns).map { column in cells.map { $0[column].count }.max() ?? 0 }
        func line(_ row: [String]) -> String {
            let text = row.enumerated().map { column, cell in
                let padding = String(repeating: " ", count: widths[column] - cell.count)
                return alignment(column) == .right ? padding + cell : cell + padding
            }.joined(separator: "  ")
            // Trailing blanks off, without a regular expression (compiled per line, it cost a
            // short `wrap` 3 ms of its end).
            return text.lastIndex { !$0.isWhitespace }.map { String(text[...$0]) } ?? ""
        }
        let rule = widths.map { String(repeating: "─", count: $0) }.joined(separator: "  ")
        return ([line(cells[0]), rule] + cells.dropFirst().map(line)).joined(separator: "\n")
    }

    /// The table as GFM text, without a trailing newline. Cells are padded to a common width
    /// so the source reads as a table too; pipes and newlines inside cells are escaped.
    public func markdown() -> String {
        let columns = columnCount
        let cells = ([headers] + rows).map { Self.padded($0, to: columns).map(Self.clean) }
        let widths = (0..<columns).map { column in max(3, cells.map { $0[column].count }.max() ?? 0) }
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

    /// A cell on one line with its unescaped pipes escaped (an escaped `\|` is kept as is) and
    /// no control character.
    private static func clean(_ cell: String) -> String {
        var result = ""
        var previous: Character?
        for character in DisplayText.strippedOfControls(cell) {
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
