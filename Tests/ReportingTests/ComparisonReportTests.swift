import Foundation
import Statistics
import Testing

@testable import Reporting
import RunModel

@Suite struct ComparisonReportTests {
    private typealias Spec = DocumentFixtures.Spec

    @Test func sortsPointsByParametersThenFLOPsWithUnknownSizesLast() throws {
        let documents = try [
            DocumentFixtures.document(Spec(id: 4, parameters: 300, joules: 10, mse: 0.1, extraHyperparameters: ["lr": "0.1"])),
            DocumentFixtures.document(Spec(id: 2, parameters: nil, joules: 10, mse: 0.1)),
            DocumentFixtures.document(Spec(id: 9, parameters: 30, joules: 10, mse: 0.1)),
            DocumentFixtures.document(Spec(id: 3, parameters: 300, joules: 10, mse: 0.1, extraHyperparameters: ["lr": "0.01"])),
            DocumentFixtures.document(Spec(id: 1, parameters: 3000, joules: 10, mse: 0.1)),
        ]
        let report = ComparisonReport(documents: documents)
        #expect(report.runs.map(\.id) == [9, 3, 4, 1, 2])
        #expect(report.points.map(\.runIDs) == [[9], [3], [4], [1], [2]])
        let html = try GFMRenderer.html(report.render(chartPrefix: "compare").markdown)
        let body = try #require(html.components(separatedBy: "<tbody>").dropFirst().first?.components(separatedBy: "</tbody>").first)
        let runsCells = body.components(separatedBy: "<tr>").dropFirst()
            .map { $0.components(separatedBy: "</td>").dropFirst().first?.components(separatedBy: ">").last ?? "" }
        #expect(runsCells == ["9", "3", "4", "1", "2"])
    }

    @Test func repeatsOfOneConfigurationAreOnePointWhateverTheirTags() throws {
        var tagged = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 100, parameters: 301, mse: 0.05), firstID: 1, joules: 100, factors: [1, 1.05, 0.97])
        tagged[0].tags = ["repeat:a"]
        tagged[1].tags = ["repeat:a"]
        let other = try DocumentFixtures.document(
            Spec(id: 7, hidden: 100, parameters: 301, joules: 120, mse: 0.04, extraHyperparameters: ["learningRate": "0.1"]))
        let report = ComparisonReport(documents: tagged + [other])
        #expect(report.points.count == 2)
        let repeated = try #require(report.points.first { $0.runIDs == [1, 2, 3] })
        #expect(repeated.label == "H = 100")
        #expect(repeated.joules == RepeatStatistics.logNormalInterval(tagged.compactMap { $0.energy?.joules }))
        #expect(try #require(repeated.joules).hasInterval)
        // The single run with another learning rate is its own point, named by what differs.
        #expect(report.points.first { $0.runIDs == [7] }?.label == "H = 100, learningRate 0.1")
        #expect(report.labels[2] == "H = 100")
        #expect(report.render(chartPrefix: "x").markdown.contains("4 runs in 2 configurations compared (ids 1, 2, 3, 7)."))
    }

    @Test func identicalConfigurationsAreCalledIndistinguishableInEnergy() throws {
        let small = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 10, parameters: 31, mse: 0.09), firstID: 1, joules: 40, factors: [1, 1.001, 0.999])
        let large = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 100, parameters: 301, mse: 0.05), firstID: 4, joules: 40, factors: [1.0005, 0.9995, 1])
        let report = ComparisonReport(documents: small + large)
        let ratio = try #require(report.ratios.first)
        #expect(report.ratios.count == 1)
        #expect(ratio.of == "H = 100" && ratio.to == "H = 10")
        #expect(!ratio.interval.distinguishable)
        #expect(try #require(ratio.interval.low) < 1 && (try #require(ratio.interval.high)) > 1)
        #expect(report.conclusion.hasPrefix("H = 100 (`mlp:1-100-1`) and H = 10 (`mlp:1-10-1`) are indistinguishable in energy: 1.0× ("))
        #expect(report.conclusion.contains(", 95%, 3 runs each), an interval that contains 1; H = 100 has a 44% lower validation MSE."))
        // As cheap within noise and better: H = 100 dominates H = 10.
        #expect(report.paretoFront == ["H = 100"])
        #expect(report.render(chartPrefix: "x").markdown.contains("| indistinguishable (contains 1) |"))
    }

    @Test func aTenfoldWorkloadIsDistinguishableWithItsInterval() throws {
        let small = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 100, parameters: 301, mse: 0.05), firstID: 1, joules: 38, factors: [1.01, 0.99, 1])
        let large = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 1000, parameters: 3001, mse: 0.048), firstID: 4, joules: 380, factors: [1, 1.02, 0.98])
        let report = ComparisonReport(documents: large + small)
        let ratio = try #require(report.ratios.first).interval
        #expect(ratio.distinguishable)
        #expect(abs(ratio.median - 10) < 0.1)
        #expect(try #require(ratio.low) > 9 && (try #require(ratio.high)) < 11)
        let range = RangeText.times(low: try #require(ratio.low), high: try #require(ratio.high))
        #expect(
            report.conclusion.hasPrefix(
                "H = 1000 (`mlp:1-1000-1`) used 10× (\(range), 95%, 3 runs each) the energy of H = 100 (`mlp:1-100-1`) for a 4.0% lower validation MSE."
            ))
        // Dearer and better: both stay on the front.
        #expect(report.paretoFront == ["H = 100", "H = 1000"])
    }

    @Test func unresolvedPointsAreListedButNeverRankedDividedOrFitted() throws {
        let tiny = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 10, parameters: 31, mse: 0.01, resolved: false), firstID: 1, joules: 0.004, factors: [1, 1.1, 1 / 1.1])
        let middle = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 100, parameters: 301, mse: 0.05), firstID: 4, joules: 38, factors: [1.01, 0.99, 1])
        let large = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 1000, parameters: 3001, mse: 0.048), firstID: 7, joules: 380, factors: [1, 1.02, 0.98])
        let report = ComparisonReport(documents: tiny + middle + large)
        let point = try #require(report.points.first { $0.label == "H = 10" })
        #expect(!point.resolved)
        #expect(point.comparableJoules == nil)
        #expect(report.ratios.map { "\($0.of)/\($0.to)" } == ["H = 1000/H = 100"])
        // H = 10 has the best MSE and the least energy, yet it is not ranked: off the front.
        #expect(!report.paretoFront.contains("H = 10"))
        #expect(report.scaling == nil)
        #expect(report.conclusion.contains("H = 10 is below the meters' resolution and not compared"))
        let markdown = report.render(chartPrefix: "x").markdown
        let row = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| H = 10 ") })
        #expect(row.contains("below resolution (4.00 mJ), estimated"))
        #expect(row.hasSuffix("| —      |"))
        let energy = try parseSVG(report.energyScatter().svg())
        #expect(energy.withClass("point").count == 2)
        let summary = report.summary
        #expect(summary.points.first { $0.label == "H = 10" }?.resolved == false)
        #expect(summary.ratios.allSatisfy { $0.of != "H = 10" && $0.to != "H = 10" })
    }

    @Test func oneUnresolvedRunMakesItsPointUnresolved() throws {
        var runs = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 100, parameters: 301, mse: 0.05), firstID: 1, joules: 38, factors: [1, 1.01, 0.99])
        runs[1] = try DocumentFixtures.document(Spec(id: 2, hidden: 100, parameters: 301, joules: 38, mse: 0.05, resolved: false))
        let point = try #require(ComparisonReport(documents: runs).points.first)
        #expect(point.runIDs == [1, 2, 3])
        #expect(!point.resolved)
    }

    @Test func singleRunsClaimNoDominanceAndSaySoWithTheRepeatFlag() throws {
        // 12 (6 J, MSE 0.4) would be dominated by 11 (5 J, MSE 0.3) if single runs could show it.
        let documents = try [
            DocumentFixtures.document(Spec(id: 10, parameters: 10, joules: 1, mse: 0.9)),
            DocumentFixtures.document(Spec(id: 11, parameters: 20, joules: 5, mse: 0.3)),
            DocumentFixtures.document(Spec(id: 12, parameters: 30, joules: 6, mse: 0.4)),
            DocumentFixtures.document(Spec(id: 13, parameters: 40, joules: 50, mse: 0.1)),
        ]
        let report = ComparisonReport(documents: documents)
        #expect(report.paretoFront == ["run-10", "run-11", "run-12", "run-13"])
        #expect(report.ratios.count == 6)
        #expect(report.ratios.allSatisfy { !$0.interval.hasInterval && !$0.interval.distinguishable })
        #expect(
            report.conclusion.contains(
                "but with one run each there is no interval, so no difference can be claimed; repeat with --repeat 3."))
        let markdown = report.render(chartPrefix: "x").markdown
        #expect(markdown.contains("have a single run, which gives no interval: it can neither dominate nor be dominated"))
        #expect(markdown.contains("(`--repeat 3`)"))
    }

    @Test func marksTheParetoFrontFromMediansForALowerIsBetterError() throws {
        // Three repeats each; 12 is dominated by 11 (cheaper and better), 14 ties 11 on quality
        // with an indistinguishable energy, so neither dominates the other.
        let noise = [1.0, 1.01, 0.99]
        let documents = try [
            DocumentFixtures.repeats(Spec(id: 0, hidden: 10, parameters: 10, mse: 0.9), firstID: 100, joules: 1, factors: noise),
            DocumentFixtures.repeats(Spec(id: 0, hidden: 20, parameters: 20, mse: 0.3), firstID: 110, joules: 5, factors: noise),
            DocumentFixtures.repeats(Spec(id: 0, hidden: 30, parameters: 30, mse: 0.4), firstID: 120, joules: 6, factors: noise),
            DocumentFixtures.repeats(Spec(id: 0, hidden: 40, parameters: 40, mse: 0.1), firstID: 130, joules: 50, factors: noise),
            DocumentFixtures.repeats(Spec(id: 0, hidden: 50, parameters: 50, mse: 0.3), firstID: 140, joules: 5, factors: [1.01, 0.99, 1]),
        ].flatMap { $0 }
        let report = ComparisonReport(documents: documents)
        #expect(report.metric?.name == "validation MSE")
        #expect(report.paretoFront == ["H = 10", "H = 20", "H = 40", "H = 50"])
        let markdown = report.render(chartPrefix: "compare").markdown
        #expect(markdown.contains("Quality is the validation MSE (lower is better)"))
        let starred = markdown.split(separator: "\n").filter { $0.hasSuffix("| ★      |") }
            .map { $0.split(separator: "|")[0].trimmingCharacters(in: .whitespaces) }
        #expect(starred == ["H = 10", "H = 20", "H = 40", "H = 50"])
    }

    @Test func prefersAccuracyHigherIsBetterWhenEveryRunHasIt() throws {
        let noise = [1.0, 1.02, 0.98]
        let documents = try [
            DocumentFixtures.repeats(
                Spec(id: 0, hidden: 10, parameters: 10, mse: 0.5, accuracy: 0.80), firstID: 1, joules: 2, factors: noise),
            DocumentFixtures.repeats(
                Spec(id: 0, hidden: 20, parameters: 20, mse: 0.1, accuracy: 0.70), firstID: 4, joules: 3, factors: noise),
            DocumentFixtures.repeats(
                Spec(id: 0, hidden: 30, parameters: 30, mse: 0.9, accuracy: 0.95), firstID: 7, joules: 9, factors: noise),
        ].flatMap { $0 }
        let report = ComparisonReport(documents: documents)
        #expect(report.metric?.kind == .accuracy)
        #expect(report.paretoFront == ["H = 10", "H = 30"])
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
        #expect(
            report.conclusion.contains("On energy alone, run-2 used 1.5× the energy of run-1, but with one run each there is no interval"))
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
        #expect(
            report.conclusion.contains(
                "On energy alone, H = 100 (`mlp:1-100-1`) used 15× the energy of H = 10 (`mlp:1-10-1`), but with one run each"))
        let bundle = report.render(chartPrefix: "x")
        #expect(bundle.charts.map(\.fileName) == ["x-energy.svg"])
        #expect(bundle.markdown.contains("No Pareto front: the runs use different datasets"))
    }

    @Test func writesHugeQualityChangesAsRatios() throws {
        let report = ComparisonReport(documents: try DocumentFixtures.terrainMLPs())
        let metric = QualityMetric(kind: .mse, split: .validation)
        #expect(report.qualityChange(from: 1e-30, to: 0.5, metric: metric) == "a 5e+29× higher validation MSE (worse)")
        #expect(report.qualityChange(from: 0.2, to: 0.25, metric: metric) == "a 25% higher validation MSE (worse)")
        #expect(
            report.qualityChange(from: 0.8, to: 0.95, metric: QualityMetric(kind: .accuracy, split: nil))
                == "15 percentage points higher accuracy")
    }

    @Test func writesRatiosWithoutFalsePrecision() {
        #expect(ComparisonReport.times(9.97) == "10×")
        #expect(ComparisonReport.times(2.04) == "2.0×")
        #expect(ComparisonReport.times(0.52) == "0.52×")
        #expect(ComparisonReport.times(1500) == "1.5e+03×")
        #expect(RangeText.times(low: 0.86, high: 1.2) == "0.86–1.2×")
        // Both ends would read 1.0×: more digits show the interval's width.
        #expect(RangeText.times(low: 0.9991, high: 1.0012) == "0.999–1×")
    }

    @Test func concludesOnTheLargestModelAgainstTheBestSmallerOneAndSaysEnergyIsEstimated() throws {
        let report = ComparisonReport(documents: try DocumentFixtures.terrainMLPs())
        #expect(
            report.conclusion.hasPrefix(
                "H = 1000 (`mlp:1-1000-1`) used 38× the energy of H = 100 (`mlp:1-100-1`) for a 4.0% lower validation MSE, "
                    + "but with one run each there is no interval, so no difference can be claimed; repeat with --repeat 3."))
        #expect(report.conclusion.contains("H = 100 has the best validation MSE of the smaller models."))
        #expect(report.conclusion.contains("Both energies are estimated, not measured"))
        #expect(report.render(chartPrefix: "x").markdown.contains("## Conclusion\n\n" + report.conclusion))
    }

    @Test func conclusionSaysWhenEnergiesAreMeasuredEstimatedOrMixed() throws {
        func pair(_ provenance: String, _ otherProvenance: String) throws -> String {
            try ComparisonReport(documents: [
                DocumentFixtures.document(Spec(id: 1, hidden: 10, parameters: 31, joules: 10, provenance: provenance, mse: 0.2)),
                DocumentFixtures.document(Spec(id: 2, hidden: 100, parameters: 301, joules: 25, provenance: otherProvenance, mse: 0.25)),
            ]).conclusion
        }
        let measured = try pair("measured", "measured")
        #expect(
            measured.hasPrefix(
                "H = 100 (`mlp:1-100-1`) used 2.5× the energy of H = 10 (`mlp:1-10-1`) for a 25% higher validation MSE (worse), but with one run each"
            ))
        #expect(measured.hasSuffix("Both energies were measured (rapl: package-0)."))
        #expect(try pair("measured", "estimated").contains("One energy was measured and the other estimated, so the ratio mixes methods"))
        #expect(try pair("mixed", "measured").contains("Some runs are partly estimated (a meter was distrusted mid-run"))
    }

    @Test func saysWhyThereIsNoScalingExponentWithFewerThanThreeSizes() throws {
        let documents = try [
            DocumentFixtures.document(Spec(id: 1, parameters: 301, joules: 10, mse: 0.2, extraHyperparameters: ["lr": "0.1"])),
            DocumentFixtures.document(Spec(id: 2, parameters: 301, joules: 12, mse: 0.1, extraHyperparameters: ["lr": "0.2"])),
            DocumentFixtures.document(Spec(id: 3, parameters: 3001, joules: 120, mse: 0.1)),
        ]
        let report = ComparisonReport(documents: documents)
        #expect(report.scaling == nil)
        #expect(report.summary.scaling == nil)
        #expect(
            report.render(chartPrefix: "x").markdown.contains(
                "Scaling exponent: not enough configurations (a fit with an interval needs resolved energies at 3 or more distinct parameter counts; this comparison has 2)."
            ))
        let same = ComparisonReport(documents: Array(documents.prefix(2)))
        #expect(same.conclusion.hasPrefix("All configurations with resolved energy have the same number of parameters (301)"))
    }

    @Test func fitsTheScalingExponentWithAnIntervalFromThreeSizes() throws {
        let sizes = [31.0, 301, 3001]
        let noise = [[1.0, 1.05, 0.95], [1.02, 0.97, 1.0], [0.96, 1.03, 1.01]]
        let documents = try sizes.enumerated().flatMap { index, parameters in
            try DocumentFixtures.repeats(
                Spec(id: 0, hidden: Int(parameters), parameters: Int64(parameters), mse: 0.1), firstID: Int64(10 * index + 1),
                joules: 3 * pow(parameters, 1.5), factors: noise[index])
        }
        let report = ComparisonReport(documents: documents)
        let scaling = try #require(report.scaling)
        #expect(scaling.pointCount == 3)
        #expect(abs(scaling.exponent - 1.5) < 0.02)
        let low = try #require(scaling.exponentLow)
        let high = try #require(scaling.exponentHigh)
        #expect(low < scaling.exponent && scaling.exponent < high)
        // The fit is on the points' medians: the same as fitting the medians by hand.
        let medians = report.points.compactMap { $0.joules?.median }
        #expect(scaling == PowerLawFit.fit(x: sizes, y: medians))
        let markdown = report.render(chartPrefix: "x").markdown
        #expect(markdown.contains(String(format: "energy ∝ parameters^**%.2f** (95%% interval %.2f to %.2f)", scaling.exponent, low, high)))
        #expect(report.summary.scaling == ComparisonSummary.Scaling(exponent: scaling.exponent, low: low, high: high, points: 3))
    }

    @Test func saysWhenADifferenceIsOverheadRatherThanFLOPs() throws {
        // 100× the FLOPs for 2× the energy: per-step cost, not arithmetic.
        let small = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 10, parameters: 31, mse: 0.09, flops: 1_000_000, wallSeconds: 1), firstID: 1, joules: 10,
            factors: [1, 1.01, 0.99])
        let large = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 1000, parameters: 3001, mse: 0.05, flops: 100_000_000, wallSeconds: 2), firstID: 4, joules: 20,
            factors: [1, 1.01, 0.99])
        let report = ComparisonReport(documents: small + large)
        let ratio = try #require(report.ratios.first)
        #expect(ratio.isOverheadBound)
        #expect(abs((ratio.flopRatio ?? 0) - 100) < 1e-9)
        #expect(
            report.conclusion.contains(
                "Its FLOPs are 100× but its energy only 2.0×: the difference is overhead (per-step cost), not FLOPs (0.001 GFLOP/s for H = 10 against 0.05 for H = 1000)."
            ))
        let markdown = report.render(chartPrefix: "x").markdown
        #expect(markdown.contains("100× (overhead)"))
        #expect(markdown.contains("| GFLOP/s |"))
    }

    @Test func everyEnergyAndCarbonCellShowsItsRangeAndWhichKind() throws {
        let repeated = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 100, parameters: 301, mse: 0.05), firstID: 1, joules: 100, factors: [1, 1.1, 0.9])
        let single = try DocumentFixtures.document(Spec(id: 9, hidden: 1000, parameters: 3001, joules: 1000, mse: 0.04))
        let report = ComparisonReport(documents: repeated + [single])
        let interval = try #require(report.points[0].joules)
        #expect(
            report.energyCell(report.points[0])
                == "\(UnitFormat.joules(interval.median)) (\(UnitFormat.joules(try #require(interval.low))) – \(UnitFormat.joules(try #require(interval.high))))¹, estimated"
        )
        // One estimated run: its stated band, ×0.5–×2.
        #expect(report.energyCell(report.points[1]) == "1.00 kJ (500 J – 2.00 kJ)², estimated")
        #expect(report.carbonCell(report.points[1]).hasSuffix(")²"))
        #expect(report.carbonCell(report.points[0]).hasSuffix(")¹"))
        let markdown = report.render(chartPrefix: "x").markdown
        #expect(markdown.contains("¹ Median and 95% interval over the configuration's runs"))
        #expect(markdown.contains("² A single run: the stated uncertainty band of its meter or estimate, not an interval over repeats."))
    }

    @Test func chartsDrawOnePointPerConfigurationWithErrorBarsForRepeats() throws {
        let report = ComparisonReport(
            documents: try DocumentFixtures.terrainMLPs()
                + DocumentFixtures.repeats(
                    Spec(id: 0, hidden: 300, parameters: 901, mse: 0.07), firstID: 8, joules: 900, factors: [1, 1.1, 0.9]))
        let bundle = report.render(chartPrefix: "terrain")
        #expect(bundle.charts.map(\.fileName) == ["terrain-energy.svg", "terrain-quality.svg"])
        #expect(bundle.markdown.contains("![Energy against parameters](terrain-energy.svg)"))
        #expect(bundle.markdown.contains("![validation MSE against CO2e](terrain-quality.svg)"))
        let energy = try parseSVG(bundle.charts[0].svg)
        #expect(energy.withClass("point").count == 4)
        #expect(energy.withClass("error-bar").count == 1)
        #expect(energy.withClass("fit").first?.attributes["data-label"]?.hasPrefix("fit: E ∝ P^") == true)
        #expect(energy.withClass("x-axis").first?.attributes["data-scale"] == "log10")
        #expect(energy.withClass("y-axis").first?.attributes["data-scale"] == "log10")
        #expect(energy.withClass("chart-title").first?.text == "Energy against parameters (estimated energy)")
        let quality = try parseSVG(bundle.charts[1].svg)
        #expect(quality.withClass("point").count == 4)
        #expect(quality.withClass("front").count == 1)
    }

    @Test func tablesParseWithOneRowPerConfigurationAndPerRatio() throws {
        let report = ComparisonReport(documents: try DocumentFixtures.terrainMLPs())
        let html = try GFMRenderer.html(report.render(chartPrefix: "compare").markdown)
        #expect(GFMRenderer.tableRowCounts(html) == [4, 4])
        #expect(html.contains("<th align=\"right\">validation MSE</th>"))
    }

    @Test func keepsARunGivenTwiceOnce() throws {
        let documents = try DocumentFixtures.terrainMLPs()
        #expect(ComparisonReport(documents: documents + documents).runs.count == 3)
    }

    @Test func jsonHasExactlyTheDocumentedKeysWithNullsForMissingFigures() throws {
        let small = try DocumentFixtures.repeats(
            Spec(id: 0, hidden: 100, parameters: 301, mse: 0.05), firstID: 1, joules: 38, factors: [1.01, 0.99, 1])
        let single = try DocumentFixtures.document(Spec(id: 9, hidden: 1000, parameters: 3001, joules: 380, mse: 0.048))
        let text = try ComparisonReport(documents: small + [single]).summary.jsonText()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(Set(object.keys) == ["points", "pareto", "ratios", "scaling", "conclusion"])
        #expect(object["scaling"] is NSNull)
        let points = try #require(object["points"] as? [[String: Any]])
        #expect(points.count == 2)
        for point in points {
            #expect(Set(point.keys) == ["label", "model", "runs", "parameters", "flops", "joules", "resolved", "quality"])
            let joules = try #require(point["joules"] as? [String: Any])
            #expect(Set(joules.keys) == ["median", "low", "high"])
            let quality = try #require(point["quality"] as? [String: Any])
            #expect(Set(quality.keys) == ["metric", "median"])
            #expect(quality["metric"] as? String == "validation MSE")
        }
        #expect(points[0]["runs"] as? [Int] == [1, 2, 3])
        #expect((points[1]["joules"] as? [String: Any])?["low"] is NSNull)
        let ratios = try #require(object["ratios"] as? [[String: Any]])
        #expect(ratios.count == 1)
        #expect(Set(ratios[0].keys) == ["of", "to", "median", "low", "high", "distinguishable"])
        #expect(ratios[0]["of"] as? String == "H = 1000")
        #expect(ratios[0]["high"] is NSNull)
        #expect(ratios[0]["distinguishable"] as? Bool == false)
        #expect(object["pareto"] as? [String] == ["H = 100", "H = 1000"])
        #expect((object["conclusion"] as? String)?.contains("`") == false)
    }
}
