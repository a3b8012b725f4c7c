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

    @Test func headedSectionsFollowTheLinksAndEmptyOnesAreLeftOut() throws {
        let index = ReportIndex(
            provenance: "Estimated.",
            entries: [ReportIndex.Entry(title: "Polynomials", relativePath: "poly.md", summary: "d = 4 fits.")],
            sections: [
                ReportIndex.Section(
                    title: "Work chosen on this machine", markdown: "A calibration chose it.\n\n- Polynomials: 170,000 fits.\n"),
                ReportIndex.Section(title: "Nothing", markdown: ""),
            ])
        let markdown = index.markdown()
        #expect(
            markdown == """
                # Footprint reports

                Estimated.

                - [Polynomials](poly.md): d = 4 fits.

                ## Work chosen on this machine

                A calibration chose it.

                - Polynomials: 170,000 fits.

                """)
        // The section's list is its own, not a continuation of the links.
        let html = try GFMRenderer.html(markdown)
        #expect(html.components(separatedBy: "<ul>").count == 3)
        #expect(html.contains("<h2>Work chosen on this machine</h2>"))
    }

    @Test func saysSoWhenThereAreNoReports() {
        #expect(ReportIndex(provenance: "", entries: []).markdown() == "# Footprint reports\n\nNo reports yet.\n")
    }
}
