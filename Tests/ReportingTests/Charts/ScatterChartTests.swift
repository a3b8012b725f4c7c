import Foundation
import Testing

@testable import Reporting

@Suite struct ScatterChartTests {
    private let runs = [
        ScatterPoint(x: 0.012, y: 0.41, label: "H = 10", isHighlighted: true),
        ScatterPoint(x: 0.08, y: 0.093, label: "H = 100", isHighlighted: true),
        ScatterPoint(x: 0.95, y: 0.089, label: "H = 1000", isHighlighted: true),
        ScatterPoint(x: 0.05, y: 0.30, label: "degree 3"),
        ScatterPoint(x: 0.5, y: 0.12, label: "H = 300"),
    ]

    private func chart(_ points: [ScatterPoint], x: AxisScale = .linear, y: AxisScale = .linear, fit: FittedLine? = nil) -> ScatterChart {
        ScatterChart(
            title: "Quality versus CO2e", xAxis: ChartAxis("CO2e", unit: "g", scale: x),
            yAxis: ChartAxis("Validation MSE", scale: y), points: points, fit: fit)
    }

    @Test func drawsEveryPointAndTheHighlightedSubsetSeparately() throws {
        let elements = try parseSVG(chart(runs).svg())
        #expect(elements.withClass("point").count == 5)
        #expect(elements.withClass("point", "highlighted").count == 3)
        let groups = elements.withClass("series")
        #expect(groups.map { $0.attributes["data-series"] } == ["runs", "Pareto front"])
        #expect(groups.map { $0.attributes["data-points"] } == ["2", "3"])
        #expect(elements.withClass("legend-label").map(\.text) == ["runs", "Pareto front"])
    }

    @Test func frontIsAStepLineThroughTheHighlightedPointsInXOrder() throws {
        let elements = try parseSVG(chart(runs.reversed()).svg())
        let path = try #require(elements.withClass("front").first?.attributes["d"])
        let commands = path.split(separator: " ").map(String.init).filter { $0.count == 1 && $0.first?.isLetter == true }
        #expect(commands == ["M", "H", "V", "H", "V"])
        // The step goes right at the first point's height, then down to the next point.
        let circles = elements.withClass("point", "highlighted").sorted {
            Double($0.attributes["cx"] ?? "") ?? 0 < Double($1.attributes["cx"] ?? "") ?? 0
        }
        let tokens = path.split(separator: " ").map(String.init)
        #expect(tokens[1] == circles[0].attributes["cx"] && tokens[2] == circles[0].attributes["cy"])
        #expect(tokens[4] == circles[1].attributes["cx"] && tokens[6] == circles[1].attributes["cy"])
    }

    @Test func labelsArePlacedBesideTheirPoints() throws {
        let elements = try parseSVG(chart(runs).svg())
        #expect(Set(elements.withClass("point-label").map(\.text)) == Set(runs.compactMap(\.label)))
        #expect(elements.withClass("note").isEmpty)
    }

    @Test func labelOfAPointInThePlotCornerIsPlacedDiagonally() throws {
        let points = [ScatterPoint(x: 1, y: 1, label: "corner"), ScatterPoint(x: 100, y: 100, label: "top")]
        let elements = try parseSVG(chart(points, x: .log10, y: .log10).svg())
        #expect(Set(elements.withClass("point-label").map(\.text)) == ["corner", "top"])
    }

    @Test func overlappingLabelsAreLeftOutAndCounted() throws {
        let crowd = (0..<6).map { ScatterPoint(x: 1, y: 1 + Double($0) * 1e-6, label: "run number \($0)") }
        let elements = try parseSVG(chart(crowd + [ScatterPoint(x: 10, y: 10)]).svg())
        let drawn = elements.withClass("point-label").count
        #expect(drawn >= 1 && drawn < 6)
        #expect(elements.withClass("note").first?.text == "Note: \(6 - drawn) point labels left out to avoid overlap.")
    }

    @Test func powerFitIsAStraightLineOnLogLogAxes() throws {
        let points = [(10.0, 52.0), (100, 600), (1000, 5_500), (10_000, 61_000)].map { ScatterPoint(x: $0.0, y: $0.1) }
        let fit = FittedLine.power(coefficient: 5.2, exponent: 1.04, label: "fit: E ∝ P^1.04, R² = 0.99")
        let elements = try parseSVG(chart(points, x: .log10, y: .log10, fit: fit).svg())
        let line = try #require(elements.withClass("fit").first)
        #expect(line.attributes["data-label"] == fit.label)
        let coordinates = try #require(line.attributes["points"]).split(separator: " ").map { pair in
            pair.split(separator: ",").compactMap { Double($0) }
        }
        #expect(coordinates.count == 64)
        let first = coordinates[0], last = coordinates[coordinates.count - 1], middle = coordinates[32]
        let slope = (last[1] - first[1]) / (last[0] - first[0])
        #expect(abs(first[1] + slope * (middle[0] - first[0]) - middle[1]) < 0.05)
        #expect(elements.withClass("legend-label").map(\.text).contains(fit.label))
    }

    @Test func linearFitEvaluatesItsFormula() {
        #expect(FittedLine.linear(slope: 2, intercept: 1, label: "").value(at: 3) == 7)
        #expect(FittedLine.power(coefficient: 3, exponent: 2, label: "").value(at: 4) == 48)
    }

    @Test func logAxesDropNonPositivePointsWithANote() throws {
        let points = [ScatterPoint(x: 0, y: 10), ScatterPoint(x: 10, y: -1), ScatterPoint(x: 100, y: 1000), ScatterPoint(x: 1000, y: 10)]
        let elements = try parseSVG(chart(points, x: .log10, y: .log10).svg())
        #expect(elements.withClass("point").count == 2)
        #expect(
            elements.withClass("note").first?.text
                == "Note: 2 points not drawn (CO2e ≤ 0 on a log scale; Validation MSE ≤ 0 on a log scale).")
        let xTicks = elements.inGroup(class: "x-axis", "data-scale", "log10").withClass("tick-label").map(\.text)
        #expect(xTicks == ["100", "200", "500", "1k"])
    }

    @Test func noPointsSaysNoData() throws {
        let elements = try parseSVG(chart([]).svg())
        #expect(elements.withClass("no-data").count == 1)
    }
}
