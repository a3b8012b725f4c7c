import Foundation
import Statistics
import Testing

@testable import Reporting
import RunModel

/// Comparisons of wrapped programs: one point per command line and model facts, and the
/// training's energy — never the program's startup — behind every ratio, front and fit.
@Suite struct ComparisonWrappedRunsTests {
    private typealias Spec = DocumentFixtures.Spec
    private typealias Wrapped = DocumentFixtures.Wrapped

    /// A wrapped PyTorch-like run of width `width`: `training` joules of training after
    /// `startup` joules of imports (nil: no train_begin), measured, 8 s of wall time of which
    /// 6 s startup.
    private func wrappedRun(
        id: Int64, width: Int, parameters: Int64, training: Double, startup: Double?, accuracy: Double? = 0.9,
        command: [String]? = nil, startupSeconds: Double = 6, wallSeconds: Double = 8
    ) throws -> RunDocument {
        try DocumentFixtures.document(
            Spec(
                id: id, parameters: parameters, joules: training + (startup ?? 0), provenance: "measured", accuracy: accuracy,
                flops: parameters * 6 * 1000, wallSeconds: wallSeconds,
                wrapped: Wrapped(
                    command: command ?? ["python", "train.py", "--hidden", "\(width)"], startupJoules: startup,
                    startupSeconds: startup == nil ? nil : startupSeconds, flopsPerSample: parameters * 6),
                modelName: "mlp-\(width)"))
    }

    /// Three widths × three runs whose startup shrinks as the model grows (a warm page cache
    /// for later runs, say): 200, 60 and 20 J of startup against 10, 40 and 160 J of training.
    /// Whole runs would read 210, 100 and 180 J: the largest model "cheaper" than the smallest.
    private func widthExperiment() throws -> [RunDocument] {
        let widths: [(width: Int, parameters: Int64, training: Double, startup: Double, accuracy: Double)] = [
            (16, 1_000, 10, 200, 0.80), (64, 10_000, 40, 60, 0.90), (256, 100_000, 160, 20, 0.95),
        ]
        var runs: [RunDocument] = []
        var id: Int64 = 1
        for configuration in widths {
            for factor in [1.0, 1.03, 0.97] {
                runs.append(
                    try wrappedRun(
                        id: id, width: configuration.width, parameters: configuration.parameters,
                        training: configuration.training * factor, startup: configuration.startup * factor,
                        accuracy: configuration.accuracy + (factor - 1) / 10))
                id += 1
            }
        }
        return runs
    }

    @Test func wrappedRunsOfOneCommandLineAndModelAreOnePointAndOtherModelFactsOrCommandsAreNot() throws {
        let repeats = try (1...3).map { try wrappedRun(id: Int64($0), width: 16, parameters: 1_000, training: 10, startup: 20) }
        // The same script reporting another parameter count (a width read from the environment).
        let otherModel = try wrappedRun(
            id: 4, width: 16, parameters: 2_000, training: 10, startup: 20, command: ["python", "train.py", "--hidden", "16"])
        // The same model from another command line.
        let otherCommand = try wrappedRun(
            id: 5, width: 16, parameters: 1_000, training: 10, startup: 20, command: ["python", "train.py", "--hidden", "16", "--fast"])
        let report = ComparisonReport(documents: repeats + [otherModel, otherCommand])
        #expect(report.points.map(\.runIDs) == [[1, 2, 3], [5], [4]])
        let first = try #require(report.points.first)
        #expect(first.modelName == "mlp-16" && first.parameters == 1_000 && first.flops == 6_000_000)
        #expect(Set(report.points.map(\.label)).count == 3)
        let markdown = report.render(chartPrefix: "x").markdown
        #expect(markdown.contains("5 runs in 3 configurations compared"))
        #expect(markdown.contains("for a wrapped program the same command line and model"))
    }

    @Test func ratiosFrontAndScalingUseTrainingEnergyWithTheStartupLeftOut() throws {
        let report = ComparisonReport(documents: try widthExperiment())
        #expect(report.points.map(\.label) == ["mlp-16", "mlp-64", "mlp-256"])
        let smallest = try #require(report.points.first)
        #expect(abs(try #require(smallest.joules).median - 10) < 0.1)
        #expect(abs(try #require(smallest.startupJoules).median - 200) < 2)
        // 160 J against 10 J of training: 16×. The whole runs (180 J against 210 J) would read 0.86×.
        let ratio = try #require(report.ratios.first { $0.of == "mlp-256" && $0.to == "mlp-16" })
        #expect(abs(ratio.interval.median - 16) < 0.2)
        #expect(ratio.interval.isDistinguishablyAboveOne)
        // Each step up in quality costs distinguishably more training energy: all three are on
        // the front. Counting startup, mlp-64 (100 J, 90%) would dominate mlp-16 (210 J, 80%).
        #expect(report.paretoFront == ["mlp-16", "mlp-64", "mlp-256"])
        // 10 → 40 → 160 J over 10× steps in parameters: α = log10(4) ≈ 0.60.
        let scaling = try #require(report.scaling)
        #expect(abs(scaling.exponent - log10(4)) < 0.02)
        // The conclusion sets the largest against the best smaller one: 160 J against 40 J (whole runs: 180 J against 100 J).
        #expect(report.conclusion.hasPrefix("mlp-256 used 4.0× ("))
        #expect(report.conclusion.contains("the training energy of mlp-64 for 5.0 percentage points higher validation accuracy."))
        #expect(
            report.conclusion.contains(
                "Energy: training only, startup excluded (the startup before each program's train_begin used 19.4 J to 206 J per run, "))
    }

    @Test func theStartupColumnAndTheTrainingWordingAppearOnlyWhenARunHasAStartup() throws {
        let wrappedMarkdown = ComparisonReport(documents: try widthExperiment()).render(chartPrefix: "x").markdown
        let headerLine = try #require(wrappedMarkdown.split(separator: "\n").first { $0.hasPrefix("| Configuration |") })
        let headers = headerLine.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(headers.firstIndex(of: "Startup").map { headers[$0 - 1] == "Energy" && headers[$0 + 1] == "CO2e" } == true)
        #expect(wrappedMarkdown.contains("Energy: training only, startup excluded ("))
        #expect(wrappedMarkdown.contains("configurations' median training energies (startup excluded)"))
        #expect(wrappedMarkdown.contains("shown under Startup; Time is the whole run's."))
        let html = try GFMRenderer.html(wrappedMarkdown)
        #expect(GFMRenderer.tableRowCounts(html).first == 4)

        // Footprint's own runs, and wrapped programs that sent no train_begin: no column, no wording.
        let trained = ComparisonReport(documents: try DocumentFixtures.terrainMLPs())
        let noStartup = ComparisonReport(documents: [
            try wrappedRun(id: 1, width: 16, parameters: 1_000, training: 30, startup: nil),
            try wrappedRun(id: 2, width: 64, parameters: 10_000, training: 60, startup: nil),
        ])
        for report in [trained, noStartup] {
            let markdown = report.render(chartPrefix: "x").markdown
            #expect(!report.hasStartup)
            #expect(!markdown.contains("Startup") && !markdown.contains("startup") && !markdown.contains("training energy"))
            #expect(!report.conclusion.contains("startup"))
        }
        #expect(noStartup.conclusion.contains("used 2.0× the energy of mlp-16"))
    }

    @Test func aWrappedRunWithoutTrainBeginIsNamedAsStillCarryingItsStartup() throws {
        let runs = [
            try wrappedRun(id: 1, width: 16, parameters: 1_000, training: 10, startup: 200),
            try wrappedRun(id: 2, width: 64, parameters: 10_000, training: 40, startup: nil),
        ]
        let report = ComparisonReport(documents: runs)
        #expect(report.conclusion.contains("(the startup before each program's train_begin used 200 J, 95.2% of that run's whole energy, "))
        #expect(report.conclusion.contains("Run 2 sent no train_begin, so its energy includes the program's startup."))
        // The configurations table: the rows with as many cells as its header.
        let rows = report.render(chartPrefix: "x").markdown.split(separator: "\n").map { line in
            line.split(separator: "|", omittingEmptySubsequences: false).dropFirst().dropLast().map {
                $0.trimmingCharacters(in: .whitespaces)
            }
        }
        let headers = try #require(rows.first { $0.first == "Configuration" })
        let startupColumn = try #require(headers.firstIndex(of: "Startup"))
        let table = rows.filter { $0.count == headers.count }
        let withoutStartup = try #require(table.first { $0.first == "mlp-64" })
        #expect(withoutStartup[startupColumn] == "—")
        #expect(withoutStartup[startupColumn - 1].hasPrefix("40.0 J (36.0 J – 48.0 J)"))
        let withStartup = try #require(table.first { $0.first == "mlp-16" })
        // One run's meter band (×0.9–×1.2) scaled to each part, not the whole run's 189–252 J.
        #expect(withStartup[startupColumn].hasPrefix("200 J (180 J – 240 J)"))
        #expect(withStartup[startupColumn - 1].hasPrefix("10.0 J (9.00 J – 12.0 J)"))
    }

    @Test func aTrainingBelowResolutionAfterALongStartupIsNotCompared() throws {
        // 8 s of wall time, 7.995 s of it startup: 5 ms of training is under ten 1 ms periods.
        let short = try wrappedRun(id: 1, width: 16, parameters: 1_000, training: 1, startup: 50, startupSeconds: 7.995)
        let long = try wrappedRun(id: 2, width: 64, parameters: 10_000, training: 40, startup: 50)
        #expect(short.energy?.resolved == true)
        let report = ComparisonReport(documents: [short, long])
        #expect(report.points.first { $0.runIDs == [1] }?.resolved == false)
        #expect(report.ratios.isEmpty)
    }

    @Test func wrappedRunsQualityComesFromTheirFinalMetrics() throws {
        let report = ComparisonReport(documents: try widthExperiment())
        #expect(report.metric?.kind == .accuracy)
        #expect(report.qualityGap == nil)
        #expect(!report.render(chartPrefix: "x").markdown.contains("no quality metric was recorded"))
        let qualities = report.points.compactMap(\.quality)
        #expect(qualities.count == 3 && abs(qualities[0] - 0.80) < 1e-9)
    }

    @Test func jsonFillsModelFactsAndAddsStartupJoulesOnlyWhereKnown() throws {
        let runs = try widthExperiment() + [try wrappedRun(id: 10, width: 1024, parameters: 1_000_000, training: 640, startup: nil)]
        let text = try ComparisonReport(documents: runs).summary.jsonText()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.map { $0["model"] as? String } == ["mlp-16", "mlp-64", "mlp-256", "mlp-1024"])
        #expect(points.map { $0["parameters"] as? Int } == [1_000, 10_000, 100_000, 1_000_000])
        #expect(points.map { $0["flops"] as? Int } == [6_000_000, 60_000_000, 600_000_000, 6_000_000_000])
        for point in points.prefix(3) {
            #expect(Set(point.keys) == ["label", "model", "runs", "parameters", "flops", "joules", "resolved", "quality", "startupJoules"])
            #expect(Set(try #require(point["startupJoules"] as? [String: Any]).keys) == ["median", "low", "high"])
        }
        #expect(Set(points[3].keys) == ["label", "model", "runs", "parameters", "flops", "joules", "resolved", "quality"])
        let smallest = try #require(points[0]["joules"] as? [String: Any])
        #expect(abs(try #require(smallest["median"] as? Double) - 10) < 0.1)
        let startup = try #require(points[0]["startupJoules"] as? [String: Any])
        #expect(abs(try #require(startup["median"] as? Double) - 200) < 2)
    }
}
