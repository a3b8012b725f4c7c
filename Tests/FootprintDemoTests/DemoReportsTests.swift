import Energy
import Foundation
import Footprint
import FootprintDemo
import Learning
import RunStore
import Testing
@testable import Reporting
import RunModel

/// `DemoReports` on what `DemoRunner` records for a tiny injected plan: a run report per
/// configuration, a comparison per experiment of several configurations, and the index.
@Suite struct DemoReportsTests {
    static func tinyExperiment(slug: String, widths: [Int]) -> DemoExperiment {
        DemoExperiment(
            slug: slug, title: "Tiny classifiers \(slug)", question: "Do the reports follow?", dataset: "seed-classification",
            runs: widths.map { width in
                DemoRun(
                    name: "\(slug) H=\(width)",
                    configuration: TrainingConfiguration(
                        model: .mlp(hiddenLayers: 1, hiddenWidth: width), epochs: 3, batchSize: 5, learningRate: 0.02))
            },
            repeats: 2)
    }

    @Test func writesOneRunReportPerConfigurationAComparisonPerExperimentAndTheIndex() throws {
        let directory = try DemoTestTracker.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let tracker = try DemoTestTracker.make(in: directory)
        let plan = [Self.tinyExperiment(slug: "pair", widths: [2, 4]), Self.tinyExperiment(slug: "single", widths: [3])]
        let results = try DemoRunner(tracker: tracker, experiments: plan).run()

        let reports = directory.appendingPathComponent("Reports").path
        let experiments = results.experiments.map {
            DemoReports.Experiment(
                slug: $0.experiment.slug, title: $0.experiment.title, configurationRunIDs: $0.configurations.map(\.runIDs),
                documents: $0.documents)
        }
        let work = "Calibration chose 3 epochs.\n\n- Tiny classifiers pair: `pair H=2`, the cheapest, took 1 ms an epoch."
        let written = try DemoReports(directory: reports).write(
            experiments, seconds: results.seconds, work: work, from: tracker.database)

        let pair = results.experiments[0].configurations
        let single = try #require(results.experiments[1].configurations.first)
        let firstTrials = (pair + [single]).map { $0.runIDs[0] }
        #expect(written.runReportPaths == firstTrials.map { "\(reports)/runs/run-\($0).md" })
        for path in written.runReportPaths { #expect(FileManager.default.fileExists(atPath: path), "\(path)") }
        for second in (pair + [single]).map({ $0.runIDs[1] }) {
            #expect(!FileManager.default.fileExists(atPath: "\(reports)/runs/run-\(second).md"))
        }
        #expect(FileManager.default.fileExists(atPath: "\(reports)/pair.md"))
        #expect(!FileManager.default.fileExists(atPath: "\(reports)/single.md"))

        #expect(written.indexPath == "\(reports)/index.md")
        #expect(written.entries.map(\.relativePath) == ["pair.md", "runs/run-\(single.runIDs[0]).md"])
        #expect(written.configurationCount == 3 && written.runCount == 6)
        #expect(
            written.summary(seconds: 2) == "Wrote \(reports)/index.md (2 comparisons, 3 run reports, 6 runs) in \(UnitFormat.seconds(2)).")

        let index = try String(contentsOfFile: written.indexPath, encoding: .utf8)
        #expect(index.hasPrefix("# Footprint demo: the lecture's models and what they cost\n"))
        #expect(index.contains("6 runs in"))
        #expect(index.contains("Energy is **estimated**"))
        #expect(index.contains("[Tiny classifiers pair](pair.md): "))
        // The single configuration's entry is its first trial's figures and the interval of both.
        let singleDocument = try #require(results.experiments[1].documents.first)
        #expect(index.contains("[Tiny classifiers single](runs/run-\(single.runIDs[0]).md): \(singleDocument.oneLineSummary)."))
        #expect(index.contains("Over 2 runs: "))
        // The work each comparison got, and why, closes the index.
        #expect(index.hasSuffix("\n## Work chosen on this machine\n\n\(work)\n"))
    }
}
