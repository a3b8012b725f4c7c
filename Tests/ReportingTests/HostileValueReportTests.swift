import Foundation
import RunModel
import RunStore
import Testing

@testable import Reporting

/// Reports of runs whose program sent extreme numbers and control characters: they finish,
/// print no 300-digit number, write finite SVG and keep no control character in the Markdown.
@Suite(.timeLimit(.minutes(1))) struct HostileValueReportTests {
    /// The synthetic run with its epochs' losses at ±9e307, R² and accuracy at 1e300, and a name
    /// and an error that would retitle a terminal and break lines.
    private func hostileReport() throws -> (RunReport, URL) {
        let directory = try SyntheticRun.temporaryDirectory()
        let database = try RunDatabase.open(path: directory.appendingPathComponent("runs.sqlite").path)
        let id = try SyntheticRun.record(in: database)
        var report = try RunReport.load(id: id, from: database)
        try database.close()
        report.document.name = "evil\u{1B}]0;pwned\u{07}a\nb\u{202E}cba"
        report.document.error = "Traceback\r\n\u{1B}[2Jcleared\u{7F}"
        report.document.metrics.r2 = 1e300
        report.document.metrics.accuracy = 1e300
        for index in report.document.history.indices {
            report.document.history[index].trainLoss = index % 2 == 0 ? -9e307 : 9e307
            report.document.history[index].validationLoss = index % 2 == 0 ? 9e307 : -9e307
            report.document.history[index].r2 = 1e300
            report.document.history[index].accuracy = 1e300
        }
        return (report, directory)
    }

    @Test func aReportOfLossesSpanningPlusMinusNineTimesTenToThe307Finishes() throws {
        let (report, directory) = try hostileReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = report.render(chartPrefix: "run-1")
        #expect(bundle.charts.count >= 2)
        for chart in bundle.charts {
            for element in try parseSVG(chart.svg) {
                for (key, value) in element.attributes where !["class", "data-series", "data-label"].contains(key) {
                    #expect(
                        !value.lowercased().contains("nan") && !value.lowercased().contains("inf"), "\(chart.fileName): \(key)=\(value)")
                }
            }
            let ticks = try parseSVG(chart.svg).withClass("tick", "major")
            #expect(ticks.count <= 60, "\(chart.fileName): \(ticks.count) major ticks")
        }
    }

    @Test func aReportNeverPrintsAHundredDigitNumber() throws {
        let (report, directory) = try hostileReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let bundle = report.render(chartPrefix: "run-1")
        let longestDigits = bundle.markdown.split(whereSeparator: { !$0.isNumber }).map(\.count).max() ?? 0
        #expect(longestDigits < 20, "a number of \(longestDigits) digits in the Markdown")
        #expect(bundle.markdown.contains("1e+300"))
        for chart in bundle.charts {
            let digits = chart.svg.split(whereSeparator: { !$0.isNumber }).map(\.count).max() ?? 0
            #expect(digits < 20, "\(chart.fileName): a number of \(digits) digits")
        }
    }

    @Test func theMarkdownHoldsNoControlCharacterAndTheNameStaysOnTheTitleLine() throws {
        let (report, directory) = try hostileReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let markdown = report.render(chartPrefix: "run-1").markdown
        let controls = markdown.unicodeScalars.filter { $0 != "\n" && DisplayText.isControl($0) }
        #expect(controls.isEmpty, "control characters in the Markdown: \(controls.map { String($0.value, radix: 16) })")
        let title = try #require(markdown.split(separator: "\n").first)
        #expect(title.contains("evil\\]0;pwneda bcba"))
        #expect(markdown.contains("Traceback  \\[2Jcleared"))
    }

    @Test func theReportFileOnDiskHasNoEscapeByte() throws {
        let (report, directory) = try hostileReport()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("Reports/run-1.md").path
        let written = try report.write(toFile: path)
        for file in written {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07), "\(file) holds a control byte")
        }
    }
}
