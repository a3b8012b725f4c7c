import Foundation
import Learning
import Testing

@testable import Reporting

/// Axis layouts and whole charts fed random and extreme values: no crash, no endless loop,
/// few ticks, and only finite numbers in the SVG.
@Suite(.timeLimit(.minutes(1))) struct ChartFuzzTests {

    static let extremes: [Double] = [
        0, -0.0, 1, -1, 1e308, -1e308, 9e307, -9e307, .greatestFiniteMagnitude, -.greatestFiniteMagnitude,
        .leastNonzeroMagnitude, -.leastNonzeroMagnitude, .leastNormalMagnitude, 1e-300, 2e-300, -1e-300, 1e300, 1e15, 1e-15,
        1 + 1e-15, .nan, .infinity, -.infinity,
    ]

    /// A value from the extremes, or random bits as a Double (any exponent), or an everyday one.
    static func value(_ generator: inout SeededGenerator) -> Double {
        switch generator.next() % 3 {
        case 0: extremes[Int(generator.next() % UInt64(extremes.count))]
        case 1: Double(bitPattern: generator.next())
        default: Double.random(in: -1000...1000, using: &generator)
        }
    }

    /// Every pair of extremes plus random pairs.
    static func pairs() -> [(Double, Double)] {
        var generator = SeededGenerator(seed: 16)
        var result = extremes.flatMap { a in extremes.map { b in (a, b) } }
        for _ in 0..<400 { result.append((value(&generator), value(&generator))) }
        return result
    }

    @Test func linearLayoutOfAnyTwoValuesHasFewFiniteTicksThatCoverThem() {
        for (a, b) in Self.pairs() {
            for target in [2, 3, 6, 11, 10_000] {
                let layout = AxisLayout.linear(min: min(a, b), max: max(a, b), targetCount: target)
                let bound = 2 * min(max(2, target), AxisLayout.labelLimit)
                // At ±greatestFiniteMagnitude a tick may fall past the largest Double and is left out.
                #expect(layout.majorTicks.count >= 1 && layout.majorTicks.count <= bound, "\(a) … \(b), target \(target)")
                #expect(layout.lower.isFinite && layout.upper.isFinite && layout.lower < layout.upper, "\(a) … \(b)")
                let finiteTicks = layout.majorTicks.allSatisfy { $0.isFinite }
                #expect(finiteTicks, "\(a) … \(b)")
                #expect(layout.labels.allSatisfy { !$0.text.isEmpty && $0.text.count <= 12 }, "\(layout.labels.map(\.text))")
                // A non-finite bound is read as 0 or 1: coverage is checked when both are finite.
                for value in [a, b] where a.isFinite && b.isFinite {
                    let fraction = layout.fraction(value)
                    #expect(fraction.isFinite && fraction >= -1e-6 && fraction <= 1 + 1e-6, "\(value) on \(a) … \(b): \(fraction)")
                }
            }
        }
    }

    @Test func logarithmicLayoutOfAnyTwoValuesHasFewFiniteTicks() {
        for (a, b) in Self.pairs() {
            for labels in [2, 6, 12] {
                let layout = AxisLayout.logarithmic(min: min(a, b), max: max(a, b), maximumLabels: labels)
                #expect(layout.majorTicks.count >= 1 && layout.majorTicks.count <= 2 * labels + 1, "\(a) … \(b)")
                #expect(layout.labels.count <= labels + 3, "\(a) … \(b): \(layout.labels.map(\.text))")
                #expect(layout.minorTicks.count <= 6 * 8)
                #expect(layout.lower > 0 && layout.upper.isFinite && layout.lower < layout.upper, "\(a) … \(b)")
                #expect((layout.majorTicks + layout.minorTicks).allSatisfy { $0.isFinite && $0 > 0 })
                for value in [a, b] where value.isFinite && value > 0 {
                    #expect(layout.fraction(value).isFinite, "\(value) on \(a) … \(b)")
                }
            }
        }
    }

    @Test func lossesSpanningNinePowersOfTenToThe307LayOutInAFewTicks() {
        // The report that looped for minutes: ticks stepped by 1 from -9e307.
        let layout = AxisLayout.linear(min: -9e307, max: 9e307, targetCount: 9)
        #expect(layout.majorTicks.count <= 18)
        #expect(layout.majorTicks.contains(0))
        #expect(layout.labels.map(\.text).contains("1e308") || layout.labels.map(\.text).contains("5e307"))
    }

    @Test func axesDropValuesTheyCannotShow() {
        let linear = AxisLayout.make(for: [.nan, 2, .infinity, 4, -.infinity], axis: ChartAxis("Loss"), maximumLabels: 6)
        #expect(linear.lower <= 2 && linear.upper >= 4 && linear.upper <= 10)
        let log = AxisLayout.make(for: [.nan, 0, -5, 10, 1000, .infinity], axis: ChartAxis("Energy", scale: .log10), maximumLabels: 6)
        #expect(log.lower == 10 && log.upper == 1000)
    }

    @Test func tickLabelsOfTheLargestAndSmallestDoublesAreShortScientificText() {
        #expect(TickLabelFormatter.label(.greatestFiniteMagnitude) == "1.8e308")
        #expect(TickLabelFormatter.label(-1e308, step: 1e308) == "−1e308")
        #expect(TickLabelFormatter.label(.leastNonzeroMagnitude) == "4.94e-324")
        #expect(TickLabelFormatter.label(9.999e-5) == "1e-4")
    }

    @Test func svgTextKeepsNoControlCharacterFromASeriesName() {
        #expect(SVGWriter.escape("a\u{1B}]0;x\u{07}b\u{202E}c\u{85}d\u{7F}<") == "a]0;xbcd&lt;")
    }

    @Test func svgNumbersStayShortAndFiniteForAnyValue() {
        for value in Self.extremes {
            let text = SVGWriter.number(value)
            #expect(Double(text)?.isFinite == true && text.count <= 10, "\(value) → \(text)")
        }
    }

    @Test func lineAndScatterChartsOfExtremeValuesWriteOnlyFiniteNumbers() throws {
        var generator = SeededGenerator(seed: 307)
        for round in 0..<60 {
            let count = Int(generator.next() % 12)
            let pairs = (0..<count).map { _ in (Self.value(&generator), Self.value(&generator)) }
            let scale: AxisScale = round % 3 == 0 ? .log10 : .linear
            let line = LineChart(
                title: "Loss", xAxis: ChartAxis("Epoch"), yAxis: ChartAxis("Loss", scale: scale, includesZero: round % 2 == 0),
                series: [LineSeries(name: "train", pairs: pairs), LineSeries(name: "validation", pairs: pairs.reversed())])
            try expectFiniteNumbers(line.svg(), "line chart \(round): \(pairs)")
            let points = pairs.map { ScatterPoint(x: $0.0, y: $0.1, label: "p", isHighlighted: $0.0 > 0, yLow: $0.1 / 2, yHigh: $0.1 * 2) }
            let fit: FittedLine =
                round % 2 == 0
                ? .power(coefficient: Self.value(&generator), exponent: Self.value(&generator), label: "fit")
                : .linear(slope: Self.value(&generator), intercept: Self.value(&generator), label: "fit")
            let scatter = ScatterChart(
                title: "Energy", xAxis: ChartAxis("Parameters", scale: scale), yAxis: ChartAxis("Energy", scale: scale),
                points: points, fit: fit)
            try expectFiniteNumbers(scatter.svg(), "scatter chart \(round): \(pairs)")
        }
    }

    /// Every attribute of every element holds no "nan" or "inf", and its numbers parse as finite.
    private func expectFiniteNumbers(_ svg: String, _ context: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let elements = try parseSVG(svg, sourceLocation: sourceLocation)
        #expect(!elements.isEmpty, sourceLocation: sourceLocation)
        for element in elements {
            for (key, value) in element.attributes where key != "data-series" && key != "data-label" && key != "class" {
                let lowered = value.lowercased()
                #expect(
                    !lowered.contains("nan") && !lowered.contains("inf"), "\(key)=\"\(value)\" in \(context)",
                    sourceLocation: sourceLocation)
                for token in value.split(whereSeparator: { " ,()".contains($0) }) {
                    if let number = Double(token) { #expect(number.isFinite, "\(key)=\"\(value)\"", sourceLocation: sourceLocation) }
                }
            }
        }
    }
}
