import RunModel
import Testing

/// What a terminal and a Markdown report may receive of text from outside, and how a table
/// cuts a long cell.
@Suite struct DisplayTextTests {
    @Test func terminalTextShowsEveryControlCharacterEscaped() {
        #expect(DisplayText.escapedForTerminal("a\u{1B}]0;pwned\u{07}b") == "a\\e]0;pwned\\x07b")
        #expect(DisplayText.escapedForTerminal("a\nb\r\tc") == "a\\nb\\r\\tc")
        #expect(DisplayText.escapedForTerminal("\u{0}\u{7F}\u{9B}") == "\\x00\\x7f\\x9b")
        #expect(DisplayText.escapedForTerminal("abc\u{202E}fed\u{2066}") == "abc\\u{202E}fed\\u{2066}")
        #expect(DisplayText.escapedForTerminal("mlp:1-100-1 (ünïcode, 東京, 🙂)") == "mlp:1-100-1 (ünïcode, 東京, 🙂)")
    }

    @Test func markdownTextKeepsNoControlCharacter() {
        #expect(DisplayText.strippedOfControls("a\u{1B}[2Jb\u{07}\u{202E}c") == "a[2Jbc")
        #expect(DisplayText.strippedOfControls("a\nb\r\nc\td") == "a b  c d")
        #expect(DisplayText.strippedOfControls("# T\r\n\nx\u{1B}", keepingNewlines: true) == "# T\n\nx")
    }

    @Test func longTextIsCutToItsWidthWithAnEllipsis() {
        let long = String(repeating: "n", count: 10_000)
        let cut = DisplayText.truncated(long, toWidth: 60)
        #expect(cut.count == 60 && cut.hasSuffix("…") && cut.hasPrefix("nnn"))
        #expect(DisplayText.truncated("short", toWidth: 60) == "short")
        #expect(DisplayText.truncated(String(repeating: "x", count: 60), toWidth: 60).count == 60)
        #expect(DisplayText.truncated("東京東京東京", toWidth: 4) == "東京東…")
        // One character of 1,000 combining marks is cut by scalars too.
        let zalgo = "a" + String(repeating: "\u{0301}", count: 1000) + "b"
        #expect(DisplayText.truncated(zalgo, toWidth: 10).unicodeScalars.count <= 41)
    }

    @Test func tableTextEscapesCellsAndCutsNameColumns() {
        let name = "evil\u{1B}]0;pwned\u{07}\n" + String(repeating: "x", count: 10_000)
        let table = Table(headers: ["ID", "Name", "Note"], rows: [["1", name, "a\nb"]]).limitingWidth(ofColumns: [1])
        let text = table.text()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3, "a newline in a cell broke the row: \(lines.count) lines")
        #expect(!text.unicodeScalars.contains { DisplayText.isControl($0) && $0 != "\n" })
        #expect(lines[2].contains("evil\\e]0;pwned\\x07\\nxx"))
        #expect(lines[2].contains("…") && lines[2].count < 80, "row of \(lines[2].count) characters")
        #expect(lines[2].hasSuffix("a\\nb"))
    }

    @Test func otherCellsAreCutAtTheWiderCellWidth() {
        let table = Table(headers: ["Value"], rows: [[String(repeating: "v", count: 500)]])
        let row = table.text().split(separator: "\n")[2]
        #expect(row.count == DisplayText.cellWidth && row.hasSuffix("…"))
    }

    @Test func tableMarkdownKeepsTheWholeCellWithoutControlCharacters() {
        let name = "evil\u{1B}]0;pwned\u{07}|" + String(repeating: "x", count: 300)
        let markdown = Table(headers: ["Name"], rows: [[name]]).markdown()
        #expect(!markdown.unicodeScalars.contains { DisplayText.isControl($0) && $0 != "\n" })
        #expect(markdown.contains("evil]0;pwned\\|" + String(repeating: "x", count: 300)))
    }

    @Test(arguments: [
        (1e300, 4, "1e+300"), (-9e307, 2, "-9e+307"), (0.97123, 4, "0.9712"), (999_999.5, 1, "999999.5"), (.nan, 3, "NaN"),
    ])
    func fixedDecimalsTurnScientificForHugeValues(value: Double, decimals: Int, expected: String) {
        #expect(UnitFormat.fixed(value, decimals: decimals) == expected)
    }

    @Test func percentSecondsAndNumbersOfHugeValuesStayShort() {
        #expect(UnitFormat.percent(1e300) == "1e+302%")
        #expect(UnitFormat.percent(0.972) == "97.2%")
        #expect(UnitFormat.seconds(1e300) == "2.78e+296 h")
        #expect(UnitFormat.seconds(3725) == "1 h 02 min")
        #expect(UnitFormat.number(9e307) == "9e+307")
        #expect(UnitFormat.joules(1e300).count < 20)
    }
}
