import Foundation
import RunModel
import RunStore
import Testing
import Vocabulary

@testable import Reporting

/// A wrapped run that sent `train_begin`: its report states the startup on a line of its own,
/// beside the energy, and says where the first epoch starts.
@Suite struct StartupReportTests {
    /// The golden synthetic run, stored again with a startup and FLOPs per sample.
    private func load(startup: Bool) throws -> (RunReport, URL) {
        let directory = try SyntheticRun.temporaryDirectory()
        let database = try RunDatabase.open(path: directory.appendingPathComponent("runs.sqlite").path)
        defer { try? database.close() }
        let id = try SyntheticRun.record(in: database)
        if startup {
            var run = try database.run(id: id)
            run.startupSeconds = 0.75
            run.startupJoules = 30
            run.flopsPerSample = 76_800
            try database.updateRun(run)
        }
        return (try RunReport.load(id: id, from: database), directory)
    }

    @Test func theSummaryHasAStartupLineWithItsTimeEnergyAndTheTrainingsEnergy() throws {
        let (report, directory) = try load(startup: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let markdown = report.render(chartPrefix: "run").markdown
        let joules = try #require(report.document.energy?.joules)
        let training = UnitFormat.joules(joules - 30)
        let line =
            "\(UnitFormat.seconds(0.75)) before the program's `train_begin`, \(UnitFormat.joules(30)); "
            + "the training itself \(training) (no epoch is charged the startup) |"
        // A row of its own in the summary table (cells padded to the column's width).
        let row = markdown.split(separator: "\n").first { $0.hasPrefix("| Startup ") }
        #expect(row?.contains(line) == true, "\(markdown)")
        #expect(markdown.contains("76,800 training FLOPs per sample"))
        #expect(markdown.contains("The first epoch starts at the program's `train_begin`, after its \(UnitFormat.seconds(0.75)) startup."))
    }

    @Test func aRunWithoutStartupHasNoStartupLine() throws {
        let (report, directory) = try load(startup: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let markdown = report.render(chartPrefix: "run").markdown
        #expect(!markdown.contains("Startup") && !markdown.contains("train_begin"))
    }
}
