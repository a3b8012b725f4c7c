import Foundation
import Footprint
import Testing

@testable import Reporting

@Suite struct ComparisonReportTests {
    private typealias Spec = DocumentFixtures.Spec

    @Test func sortsRunsByParametersThenIdWithUnknownSizesLast() throws {
        let documents = try [
            DocumentFixtures.document(Spec(id: 4, parameters: 300, joules: 10, mse: 0.1)),
            DocumentFixtures.document(Spec(id: 2, parameters: nil, joules: 10, mse: 0.1)),
            DocumentFixtures.document(Spec(id: 9, parameters: 30, joules: 10, mse: 0.1)),
            DocumentFixtures.document(Spec(id: 3, parameters: 300, joules: 10, mse: 0.1)),
            DocumentFixtures.document(Spec(id: 1, parameters: 3000, joules: 10, mse: 0.1)),
        ]
        let report = ComparisonReport(documents: documents)
        #expect(report.runs.map(\.id) == [9, 3, 4, 1, 2])
        let html = try GFMRenderer.html(report.render(chartPrefix: "compare").markdown)
        let firstCells = html.components(separatedBy: "<tbody>")[1].components(separatedBy: "<tr>").dropFirst()
            .map { $0.components(separatedBy: "</td>")[0].components(separatedBy: ">").last ?? "" }
        #expect(firstCells == ["9", "3", "4", "1", "2"])
    }

    @Test func marksTheParetoFrontForALowerIsBetterError() throws {
        // 10: cheapest; 11: better and dearer; 12: dominated by 11; 13: best, dearest; 14 ties 11.
        let documents = try [
            DocumentFixtures.document(Spec(id: 10, parameters: 10, joules: 1, mse: 0.9)),
            DocumentFixtures.document(Spec(id: 11, parameters: 20, joules: 5, mse: 0.3)),
            DocumentFixtures.document(Spec(id: 12, parameters: 30, joules: 6, mse: 0.4)),
            DocumentFixtures.document(Spec(id: 13, parameters: 40, joules: 50, mse: 0.1)),
            DocumentFixtures.document(Spec(id: 14, parameters: 50, joules: 5, mse: 0.3)),
        ]
        let report = ComparisonReport(documents: documents)
        #expect(report.metric?.name == "validation MSE")
        #expect(report.metric?.higherIsBetter == false)
        #expect(report.paretoFront == [10, 11, 13, 14])
        let markdown = report.render(chartPrefix: "compare").markdown
        #expect(markdown.contains("Quality is the validation MSE (lower is better)"))
        let starred = markdown.split(separator: "\n").filter { $0.hasSuffix("| ★      |") }.map { $0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces) }
        #expect(starred == ["10", "11", "13", "14"])
    }

    @Test func prefersAccuracyHigherIsBetterWhenEveryRunHasIt() throws {
        let documents = try [
            DocumentFixtures.document(Spec(id: 1, parameters: 10, joules: 2, mse: 0.5, accuracy: 0.80)),
            DocumentFixtures.document(Spec(id: 2, parameters: 20, joules: 3, mse: 0.1, accuracy: 0.70)),
            DocumentFixtures.document(Spec(id: 3, parameters: 30, joules: 9, mse: 0.9, accuracy: 0.95)),
        ]
        let report = ComparisonReport(documents: documents)
        #expect(report.metric?.kind == .accuracy)
        #expect(report.paretoFront == [1, 3])
    }

    @Test func namesTheSplitOnlyWhenEveryRunWasEvaluatedOnIt() throws {
        let mixed = try [
            DocumentFixtures.document(Spec(id: 1, parameters: 10, joules: 2, mse: 0.5, evaluatedOn: "validation")),
            DocumentFixtures.document(Spec(id: 2, parameters: 20, joules: 3, mse: 0.1, evaluatedOn: "training")),
        ]
        #expect(QualityMetric.shared(by: mixed)?.name == "MSE")
        let none = try [
            DocumentFixtures.document(Spec(id: 1, parameters: 10, joules: 2, mse: 0.5)),
            DocumentFixtures.document(Spec(id: 2, parameters: 20, joules: 3, accuracy: 0.9)),
        ]
        #expect(QualityMetric.shared(by: none) == nil)
        let report = ComparisonReport(documents: none)
        #expect(report.paretoFront.isEmpty)
        #expect(report.conclusion.hasPrefix("Quality is not compared: no quality metric was recorded by all of the runs;"))
        #expect(report.conclusion.contains("On energy alone, run-2 used 1.5× the energy of run-1."))
    }

    @Test func refusesToCompareQualityAcrossDatasets() throws {
        let documents = try [
            DocumentFixtures.document(Spec(id: 1, hidden: 10, parameters: 31, joules: 2, mse: 0.5, dataset: "terrain")),
            DocumentFixtures.document(Spec(id: 2, hidden: 100, parameters: 301, joules: 30, mse: 1e-30, dataset: "seed-regression")),
        ]
        let report = ComparisonReport(documents: documents)
        #expect(report.metric == nil)
        #expect(report.paretoFront.isEmpty)
        #expect(report.conclusion.hasPrefix("Quality is not compared: the runs use different datasets (seed-regression, terrain)"))
        #expect(report.conclusion.contains("On energy alone, H = 100 (`mlp:1-100-1`) used 15× the energy of H = 10 (`mlp:1-10-1`)."))
        let bundle = report.render(chartPrefix: "x")
        #expect(bundle.charts.map(\.fileName) == ["x-energy.svg"])
        #expect(bundle.markdown.contains("No Pareto front: the runs use different datasets"))
    }

    @Test func writesHugeQualityChangesAsRatios() throws {
        let report = ComparisonReport(documents: try DocumentFixtures.terrainMLPs())
        let metric = QualityMetric(kind: .mse, split: "validation")
        #expect(report.qualityChange(from: 1e-30, to: 0.5, metric: metric) == "a 5e+29× higher validation MSE (worse)")
        #expect(report.qualityChange(from: 0.2, to: 0.25, metric: metric) == "a 25% higher validation MSE (worse)")
        #expect(report.qualityChange(from: 0.8, to: 0.95, metric: QualityMetric(kind: .accuracy, split: nil)) == "15 percentage points higher accuracy")
    }

    @Test func concludesOnTheLargestModelAgainstTheBestSmallerOneAndSaysEnergyIsEstimated() throws {
        let report = ComparisonReport(documents: try DocumentFixtures.terrainMLPs())
        #expect(report.conclusion.hasPrefix(
            "H = 1000 (`mlp:1-1000-1`) used 38× the energy of H = 100 (`mlp:1-100-1`) for a 4.0% lower validation MSE."))
        #expect(report.conclusion.contains("H = 100 has the best validation MSE of the smaller models."))
        #expect(report.conclusion.contains("Both energies are estimated, not measured"))
        #expect(report.render(chartPrefix: "x").markdown.contains("## Conclusion\n\n" + report.conclusion))
    }

    @Test func conclusionSaysWhenEnergiesAreMeasuredOrMixed() throws {
        let measured = try [
            DocumentFixtures.document(Spec(id: 1, hidden: 10, parameters: 31, joules: 10, provenance: "measured", mse: 0.2)),
            DocumentFixtures.document(Spec(id: 2, hidden: 100, parameters: 301, joules: 25, provenance: "measured", mse: 0.25)),
        ]
        let conclusion = ComparisonReport(documents: measured).conclusion
        #expect(conclusion.hasPrefix("H = 100 (`mlp:1-100-1`) used 2.5× the energy of H = 10 (`mlp:1-10-1`) for a 25% higher validation MSE (worse)."))
        #expect(conclusion.hasSuffix("Both energies were measured (rapl: package-0)."))
        var mixed = measured
        mixed[1] = try DocumentFixtures.document(Spec(id: 2, hidden: 100, parameters: 301, joules: 25, provenance: "estimated", mse: 0.25))
        #expect(ComparisonReport(documents: mixed).conclusion.contains("mixes methods"))
    }

    @Test func saysNotEnoughRunsWithoutTwoDistinctParameterCounts() throws {
        let documents = try [
            DocumentFixtures.document(Spec(id: 1, parameters: 301, joules: 10, mse: 0.2)),
            DocumentFixtures.document(Spec(id: 2, parameters: 301, joules: 12, mse: 0.1)),
        ]
        let report = ComparisonReport(documents: documents)
        #expect(report.scaling == nil)
        #expect(report.render(chartPrefix: "x").markdown.contains("Scaling exponent: not enough runs"))
        #expect(report.conclusion.hasPrefix("All runs with energy have the same number of parameters (301)"))
    }

    @Test func fitsTheScalingExponentOfTheRunsEnergy() throws {
        let documents = try [31.0, 301, 3001].enumerated().map { index, parameters in
            try DocumentFixtures.document(Spec(id: Int64(index + 1), parameters: Int64(parameters), joules: 3 * pow(parameters, 1.5), mse: 0.1))
        }
        let scaling = try #require(ComparisonReport(documents: documents).scaling)
        #expect(abs(scaling.exponent - 1.5) < 1e-9)
        #expect(scaling.pointCount == 3)
    }

    @Test func chartsAreWellFormedWithTheFrontFitAndEveryRun() throws {
        let report = ComparisonReport(documents: try DocumentFixtures.terrainMLPs() + [
            DocumentFixtures.document(Spec(id: 8, hidden: 300, parameters: 901, joules: 900, mse: 0.07)),
        ])
        let bundle = report.render(chartPrefix: "terrain")
        #expect(bundle.charts.map(\.fileName) == ["terrain-energy.svg", "terrain-quality.svg"])
        #expect(bundle.markdown.contains("![Energy against parameters](terrain-energy.svg)"))
        #expect(bundle.markdown.contains("![validation MSE against CO2e](terrain-quality.svg)"))
        let energy = try parseSVG(bundle.charts[0].svg)
        #expect(energy.withClass("point").count == 4)
        #expect(energy.withClass("fit").first?.attributes["data-label"]?.hasPrefix("fit: E ∝ P^") == true)
        #expect(energy.withClass("x-axis").first?.attributes["data-scale"] == "log10")
        #expect(energy.withClass("y-axis").first?.attributes["data-scale"] == "log10")
        #expect(energy.withClass("chart-title").first?.text == "Energy against parameters (estimated energy)")
        let quality = try parseSVG(bundle.charts[1].svg)
        // H = 300 (901 parameters, 900 J, MSE 0.07) is beaten by H = 100: off the front.
        #expect(quality.withClass("point", "highlighted").count == 3)
        #expect(quality.inGroup(class: "series", "data-series", "runs").withClass("point").count == 1)
        #expect(quality.withClass("front").count == 1)
    }

    @Test func runsTableParsesWithOneRowPerRun() throws {
        let report = ComparisonReport(documents: try DocumentFixtures.terrainMLPs())
        let html = try GFMRenderer.html(report.render(chartPrefix: "compare").markdown)
        #expect(GFMRenderer.tableRowCounts(html) == [4])
        #expect(html.contains("<th align=\"right\">validation MSE</th>"))
    }

    @Test func keepsARunGivenTwiceOnce() throws {
        let documents = try DocumentFixtures.terrainMLPs()
        #expect(ComparisonReport(documents: documents + documents).runs.count == 3)
    }
}
