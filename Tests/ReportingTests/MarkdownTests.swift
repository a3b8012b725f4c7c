import Foundation
import Testing

@testable import Reporting
import RunModel

@Suite struct MarkdownTests {
    @Test func tableEscapesPipesAndFlattensNewlinesSoRowsStayRows() throws {
        let table = Table(headers: ["Name", "Value"], rows: [["a|b", "1\n2"], ["already \\| escaped"]], rightAligned: [1])
        let text = table.markdown()
        #expect(
            text == """
                | Name               | Value |
                | ------------------ | ----: |
                | a\\|b               |   1 2 |
                | already \\| escaped |       |
                """)
        let html = try GFMRenderer.html(text)
        #expect(GFMRenderer.tableRowCounts(html) == [3])
        #expect(html.contains("<td>a|b</td>"))
    }

    @Test func escapeKeepsTextLiteral() throws {
        let escaped = Markdown.escape("mlp_1 *bold* [link](x) <b> # | `c`")
        let html = try GFMRenderer.html(escaped)
        #expect(html == "<p>mlp_1 *bold* [link](x) &lt;b&gt; # | `c`</p>\n")
        #expect(Markdown.plainText(escaped) == "mlp_1 *bold* [link](x) <b> # | `c`")
        #expect(Markdown.plainText("H = 10 (`mlp:1-10-1`) **used**") == "H = 10 (mlp:1-10-1) used")
    }

    @Test func codeSpansOutgrowBackticksInside() {
        #expect(Markdown.code("a`b") == "``a`b``")
        #expect(Markdown.code("plain") == "`plain`")
    }

    @Test func chartPrefixIsTheMarkdownFileNameWithoutExtension() {
        #expect(ReportBundle.chartPrefix(forMarkdownPath: "Reports/run-12.md") == "run-12")
        #expect(ReportBundle.chartPrefix(forMarkdownPath: "/tmp/x/terrain mlp.md") == "terrain mlp")
    }

    @Test func writeFailsWithThePathWhenTheDirectoryCannotBeMade() throws {
        let directory = try SyntheticRun.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let blocker = directory.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let bundle = ReportBundle(markdown: "# x\n", charts: [])
        #expect {
            try bundle.write(toFile: blocker.appendingPathComponent("report.md").path)
        } throws: { error in
            guard case .cannotWrite(let path, _) = error as? ReportingError else { return false }
            return path.hasSuffix("/file")
        }
    }
}
