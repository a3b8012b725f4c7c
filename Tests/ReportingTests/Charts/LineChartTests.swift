import Foundation
import Testing

@testable import Reporting

@Suite struct LineChartTests {
    private func lossChart(_ series: [LineSeries], yScale: AxisScale = .linear) -> LineChart {
        LineChart(title: "Loss over epochs", xAxis: ChartAxis("Epoch"), yAxis: ChartAxis("MSE", scale: yScale), series: series)
    }

    @Test func writesAStandaloneSVGRootWithViewBoxSizeAndFont() throws {
        let svg = lossChart([LineSeries(name: "train", pairs: [(1, 0.5), (2, 0.3)])]).svg()
        let elements = try parseSVG(svg)
        let root = try #require(elements.first)
        #expect(root.name == "svg")
        #expect(root.attributes["xmlns"] == "http://www.w3.org/2000/svg")
        #expect(root.attributes["version"] == "1.1")
        #expect(root.attributes["viewBox"] == "0 0 720 420")
        #expect(root.attributes["width"] == "720")
        #expect(root.attributes["font-family"] == "sans-serif")
        #expect(elements.withClass("chart-title").first?.text == "Loss over epochs")
        #expect(elements.withClass("axis-title").map(\.text).contains("MSE"))
    }

    @Test func drawsOneGroupPerSeriesWithItsPointCount() throws {
        let train = LineSeries(name: "train", pairs: (1...12).map { (Double($0), 1 / Double($0)) })
        let validation = LineSeries(name: "validation", pairs: (1...12).map { (Double($0), 1.2 / Double($0)) })
        let elements = try parseSVG(lossChart([train, validation]).svg())
        let groups = elements.withClass("series")
        #expect(groups.map { $0.attributes["data-series"] } == ["train", "validation"])
        #expect(groups.map { $0.attributes["data-points"] } == ["12", "12"])
        let trainLines = elements.inGroup(class: "series", "data-series", "train").withClass("line")
        #expect(trainLines.count == 1)
        #expect(trainLines.first?.attributes["points"]?.split(separator: " ").count == 12)
        #expect(elements.inGroup(class: "series", "data-series", "validation").withClass("point").count == 12)
        #expect(elements.withClass("legend-label").map(\.text) == ["train", "validation"])
    }

    @Test func seriesGetDistinctOkabeItoColoursAndDashes() throws {
        let series = (0..<3).map { index in LineSeries(name: "s\(index)", pairs: [(0, Double(index)), (1, 2)]) }
        let elements = try parseSVG(lossChart(series).svg())
        let strokes = elements.withClass("line").compactMap { $0.attributes["stroke"] }
        #expect(strokes == Array(ChartPalette.okabeIto.prefix(3)))
        #expect(elements.withClass("line")[1].attributes["stroke-dasharray"] == "7 3")
        #expect(Set(ChartPalette.okabeIto).count == 8)
    }

    @Test func longSeriesDrawNoMarkers() throws {
        let long = LineSeries(name: "package-0", pairs: (0..<500).map { (Double($0), 30 + Double($0 % 7)) })
        let elements = try parseSVG(lossChart([long]).svg())
        #expect(elements.withClass("point").isEmpty)
        #expect(elements.withClass("line").first?.attributes["points"]?.split(separator: " ").count == 500)
    }

    @Test func nonPositiveValuesOnALogAxisAreDroppedWithANoteAndBreakTheLine() throws {
        let series = LineSeries(name: "train", pairs: [(1, 1), (2, 0.5), (3, 0), (4, 0.2), (5, 0.1), (6, -1)])
        let elements = try parseSVG(lossChart([series], yScale: .log10).svg())
        let group = try #require(elements.withClass("series").first)
        #expect(group.attributes["data-points"] == "4")
        let lines = elements.withClass("line")
        #expect(lines.map { $0.attributes["points"]?.split(separator: " ").count } == [2, 2])
        let note = try #require(elements.withClass("note").first).text
        #expect(note.contains("2 points not drawn"))
        #expect(note == "Note: 2 points not drawn (MSE ≤ 0 on a log scale).")
    }

    @Test func emptyChartSaysNoData() throws {
        for series in [[], [LineSeries(name: "train", points: [])]] {
            let elements = try parseSVG(lossChart(series).svg())
            #expect(elements.withClass("no-data").first?.text == "No data")
            #expect(elements.withClass("series").isEmpty)
            #expect(elements.withClass("chart-title").first?.text == "Loss over epochs")
        }
    }

    @Test func allPointsDroppedSaysNoDataAndWhy() throws {
        let elements = try parseSVG(lossChart([LineSeries(name: "train", pairs: [(1, 0), (2, -3)])], yScale: .log10).svg())
        #expect(elements.withClass("no-data").count == 1)
        #expect(elements.withClass("note").first?.text.contains("2 points not drawn") == true)
    }

    @Test func onePointGetsAMarkerAndAWindowAroundIt() throws {
        let elements = try parseSVG(lossChart([LineSeries(name: "train", pairs: [(3, 0.5)])]).svg())
        #expect(elements.withClass("point").count == 1)
        #expect(elements.withClass("line").isEmpty)
        let yLabels = elements.inGroup(class: "y-axis", "data-scale", "linear").withClass("tick-label")
        #expect(yLabels.count >= 3)
    }

    @Test func nonFiniteValuesAreDroppedOnLinearAxes() throws {
        let series = LineSeries(name: "train", pairs: [(1, 1), (2, .nan), (3, .infinity), (4, 2)])
        let svg = lossChart([series]).svg()
        #expect(!svg.contains("nan") && !svg.contains("inf"))
        let elements = try parseSVG(svg)
        #expect(elements.withClass("series").first?.attributes["data-points"] == "2")
        #expect(elements.withClass("note").first?.text.contains("not finite") == true)
    }

    @Test func escapesTitlesNamesAndAxisTextAndDropsControlCharacters() throws {
        let title = "Loss <H=10> & \"quoted\" 'x'\u{1}"
        let chart = LineChart(
            title: title, xAxis: ChartAxis("Epoch", unit: "<n>"), yAxis: ChartAxis("MSE & co"),
            series: [LineSeries(name: "a<b>&\"c\"", pairs: [(1, 1), (2, 2)])])
        let svg = chart.svg()
        #expect(!svg.contains("<H=10>") && !svg.contains("\u{1}"))
        let elements = try parseSVG(svg)
        #expect(elements.withClass("chart-title").first?.text == "Loss <H=10> & \"quoted\" 'x'")
        #expect(elements.first { $0.name == "title" }?.text == "Loss <H=10> & \"quoted\" 'x'")
        #expect(elements.withClass("series").first?.attributes["data-series"] == "a<b>&\"c\"")
        #expect(elements.withClass("axis-title").map(\.text).contains("Epoch (<n>)"))
        #expect(SVGWriter.escape("a&b<c>\"d\"'e'") == "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;")
    }
}
