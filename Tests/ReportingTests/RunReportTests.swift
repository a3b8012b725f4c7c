import Foundation
import RunStore
import Testing
import Vocabulary

@testable import Reporting

@Suite struct RunReportTests {
    /// A report of the synthetic run, read back from a temporary store.
    private func makeReport(provenance: EnergyProvenance = .measured, withSamples: Bool = true, resolutionStepJoules: Double? = nil) throws
        -> (RunReport, URL)
    {
        let directory = try SyntheticRun.temporaryDirectory()
        let database = try RunDatabase.open(path: directory.appendingPathComponent("runs.sqlite").path)
        let id = try SyntheticRun.record(
            in: database, provenance: provenance, withSamples: withSamples, resolutionStepJoules: resolutionStepJoules)
        let report = try RunReport.load(id: id, from: database)
        try database.close()
        return (report, directory)
    }

    @Test func rendersTheGoldenMarkdownForAFixedRun() throws {
        let (report, directory) = try makeReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let markdown = report.render(chartPrefix: "run-1").markdown
        if markdown != RunReportGolden.markdown {
            let actual = FileManager.default.temporaryDirectory.appendingPathComponent("run-report-actual.md")
            try markdown.write(to: actual, atomically: true, encoding: .utf8)
            let expectedLines = RunReportGolden.markdown.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
            let first = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }
            Issue.record(
                """
                Report differs from the golden file (actual written to \(actual.path)); \
                first difference at line \((first?.offset ?? min(expectedLines.count, actualLines.count)) + 1): \
                expected \(first.map { String($0.element.0) } ?? "\(expectedLines.count) lines") \
                got \(first.map { String($0.element.1) } ?? "\(actualLines.count) lines")
                """)
        }
    }

    @Test func rendersTheSameBytesTwice() throws {
        let (report, directory) = try makeReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(report.render(chartPrefix: "run-1") == report.render(chartPrefix: "run-1"))
    }

    @Test func statesMeasuredProvenanceWithMetersAndZones() throws {
        let (report, directory) = try makeReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let markdown = report.render(chartPrefix: "run-1").markdown
        #expect(markdown.contains("| Energy    | 150 J (range 135 J – 180 J), measured (rapl: dram-0, package-0)"))
        #expect(markdown.contains("| rapl  | core-0    | 95.0 J | no (counted in another zone) |     — |"))
    }

    @Test func labelsEstimatedEnergyInTheSummaryAndThePowerChart() throws {
        let (report, directory) = try makeReport(provenance: .estimated)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = report.render(chartPrefix: "run-1")
        #expect(bundle.markdown.contains("150 J (range 75.0 J – 300 J), estimated (model in [Hardware and meters](#hardware-and-meters))"))
        #expect(bundle.markdown.contains("**Energy is estimated, not measured:** 4 W per thread"))
        #expect(!bundle.markdown.contains("measured (rapl"))
        let power = try #require(bundle.charts.first { $0.fileName == "run-1-power.svg" })
        let title = try parseSVG(power.svg).withClass("chart-title").first?.text
        #expect(title == "Power over time, run 1 (estimated)")
    }

    @Test func handlesMixedProvenanceWhereverEstimatedEnergyIsNamed() throws {
        let (report, directory) = try makeReport(provenance: .mixed)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = report.render(chartPrefix: "run-1")
        #expect(
            bundle.markdown.contains(
                "150 J (range 75.0 J – 300 J), mixed: partly measured (rapl: dram-0, package-0), partly estimated (model in [Hardware and meters](#hardware-and-meters))"
            ))
        #expect(bundle.markdown.contains("**Energy is partly estimated:** a meter was distrusted during the run"))
        #expect(bundle.markdown.contains("16 samples over 2 meter zones. Some are the estimate's power figures"))
        #expect(bundle.markdown.contains("Epoch energy is partly measured and partly estimated, like the run's total"))
        let power = try #require(bundle.charts.first { $0.fileName == "run-1-power.svg" })
        #expect(try parseSVG(power.svg).withClass("chart-title").first?.text == "Power over time, run 1 (mixed)")
    }

    @Test func saysBelowResolutionForUnresolvedRunAndEpochEnergies() throws {
        // A meter with 100 J steps needs 1 kJ: the run's 150 J and its epochs' 32–45 J are noise.
        let (report, directory) = try makeReport(resolutionStepJoules: 100)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(report.document.energy?.resolved == false)
        let markdown = report.render(chartPrefix: "run-1").markdown
        #expect(
            markdown.contains(
                "| Energy    | below resolution: 150 J is under ten steps or update periods of its meters (test meter: 100 J steps), so it is noise, not a result; measured"
            ))
        #expect(markdown.contains("from an energy below resolution, so noise as well"))
        #expect(!markdown.contains("is about:"))
        let epochRows = markdown.split(separator: "\n").filter { $0.hasPrefix("|     ") && $0.contains(" ms |") }
        #expect(epochRows.count == 4)
        #expect(epochRows.allSatisfy { $0.hasSuffix("| below resolution |") })
        #expect(markdown.contains("Epochs below resolution took under ten steps or update periods of the meters"))
        #expect(!markdown.contains("GFLOP per joule"))
        #expect(markdown.contains("No per-joule figures: the run's energy is below resolution"))
    }

    @Test func labelsLayerFLOPsAsRunTotalsEvenWhenTheLossIsLarge() throws {
        // One layer doing 50 forward FLOPs per sample over 1,000 samples; the loss adds 30,000
        // to the run's forward FLOPs, so the layers miss it by far more than 1%.
        let (base, directory) = try makeReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        var report = base
        var layer = try #require(report.document.layers.first)
        layer.forwardFlops = 50_000
        layer.backwardFlops = 100_000
        report.document.layers = [layer]
        report.document.flops?.forward = 80_000
        for index in report.document.history.indices { report.document.history[index].samples = 250 }
        let markdown = report.render(chartPrefix: "run-1").markdown
        #expect(markdown.contains("| Forward FLOPs (run) | Backward FLOPs (run) | Forward FLOPs/sample |"))
        let row = try #require(markdown.split(separator: "\n").first { $0.contains("| dense1 ") })
        #expect(row.contains("|              50,000 |"))
        #expect(row.contains("|                   50 |"))
        #expect(!markdown.contains("FLOPs per training sample;"))
        #expect(markdown.contains("Per sample divides by the 1,000 training samples the epochs processed."))
    }

    @Test func linksChartsRelativelyAndDrawsEveryZoneAndBothLosses() throws {
        let (report, directory) = try makeReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = report.render(chartPrefix: "run-1")
        #expect(bundle.charts.map(\.fileName) == ["run-1-power.svg", "run-1-loss.svg"])
        #expect(bundle.markdown.contains("![Power over time](run-1-power.svg)"))
        #expect(bundle.markdown.contains("![Loss over epochs](run-1-loss.svg)"))
        let power = try parseSVG(bundle.charts[0].svg)
        #expect(power.withClass("series").map { $0.attributes["data-series"] } == ["rapl dram-0", "rapl package-0"])
        #expect(power.withClass("series").map { $0.attributes["data-points"] } == ["8", "8"])
        let loss = try parseSVG(bundle.charts[1].svg)
        #expect(loss.withClass("series").map { $0.attributes["data-series"] } == ["training", "validation"])
        #expect(loss.withClass("series").map { $0.attributes["data-points"] } == ["4", "4"])
        // Losses fall from 0.8 to 0.05: more than a decade, so the axis is logarithmic.
        #expect(loss.withClass("y-axis").first?.attributes["data-scale"] == "log10")
    }

    @Test func saysSoWhenNoPowerWasSampled() throws {
        let (report, directory) = try makeReport(withSamples: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = report.render(chartPrefix: "run-1")
        #expect(bundle.charts.map(\.fileName) == ["run-1-loss.svg"])
        #expect(bundle.markdown.contains("No power samples were recorded for this run."))
        #expect(!bundle.markdown.contains("run-1-power.svg"))
    }

    @Test func writesMarkdownAndChartsIntoANewDirectory() throws {
        let (report, directory) = try makeReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Reports/nested/run-1.md").path
        let written = try report.write(toFile: path)
        let folder = directory.appendingPathComponent("Reports/nested")
        #expect(written.map { URL(fileURLWithPath: $0).lastPathComponent } == ["run-1.md", "run-1-power.svg", "run-1-loss.svg"])
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
        #expect(names == ["run-1-loss.svg", "run-1-power.svg", "run-1.md"])
        let text = try String(contentsOf: folder.appendingPathComponent("run-1.md"), encoding: .utf8)
        #expect(text == report.render(chartPrefix: "run-1").markdown)
    }

    @Test func tablesParseAsGFMTablesWithOneRowPerItem() throws {
        let (report, directory) = try makeReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let html = try GFMRenderer.html(report.render(chartPrefix: "run-1").markdown)
        // Summary (header + 7), hardware (header + 5), meters (header + 3), epochs (header + 4),
        // layers (header + 3 + total), efficiency (header + 5), prediction (header + 3).
        #expect(GFMRenderer.tableRowCounts(html) == [8, 6, 4, 5, 5, 6, 4])
        #expect(html.contains("<img src=\"run-1-power.svg\" alt=\"Power over time\""))
        #expect(!html.contains("| ---"))
    }

    @Test func thinsALongEpochTableButChartsEveryEpoch() throws {
        let (base, directory) = try makeReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        var report = base
        let template = try #require(report.document.history.first)
        report.document.history = (1...100).map { index in
            var epoch = template
            epoch.epoch = index
            epoch.trainLoss = 1 / Double(index)
            return epoch
        }
        let bundle = report.render(chartPrefix: "run-1")
        let html = try GFMRenderer.html(bundle.markdown)
        // 100 epochs, one in 3 listed (1, 4, …, 100): 34 rows plus the header.
        #expect(GFMRenderer.tableRowCounts(html)[3] == 35)
        #expect(bundle.markdown.contains("One epoch in 3 and the last are listed (34 of 100); the chart shows all."))
        let loss = try parseSVG(try #require(bundle.charts.last).svg)
        #expect(loss.withClass("series").first?.attributes["data-points"] == "100")
    }
}
