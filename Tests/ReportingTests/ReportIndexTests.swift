import Testing

@testable import Reporting

/// The index page that links every report.
@Suite struct ReportIndexTests {
    @Test func linksEachReportWithItsSummaryAfterTheProvenance() throws {
        let index = ReportIndex(
            provenance: "Energy on this machine is **estimated** (no RAPL in this VM).",
            entries: [
                ReportIndex.Entry(title: "MLPs on terrain", relativePath: "terrain mlp.md", summary: "H = 1000 used 38×\nthe energy."),
                ReportIndex.Entry(title: "Polynomials", relativePath: "poly.md", summary: ""),
            ])
        let markdown = index.markdown()
        #expect(
            markdown == """
                # Footprint reports

                Energy on this machine is **estimated** (no RAPL in this VM).

                - [MLPs on terrain](terrain%20mlp.md): H = 1000 used 38× the energy.
                - [Polynomials](poly.md)

                """)
        let html = try GFMRenderer.html(markdown)
        #expect(html.contains("<a href=\"terrain%20mlp.md\">MLPs on terrain</a>"))
    }

    @Test func saysSoWhenThereAreNoReports() {
        #expect(ReportIndex(provenance: "", entries: []).markdown() == "# Footprint reports\n\nNo reports yet.\n")
    }
}
