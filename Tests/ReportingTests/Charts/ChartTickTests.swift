import Testing

@testable import Reporting

@Suite struct ChartTickTests {
    @Test(arguments: [(0.3, 0.5), (1.0, 1.0), (1.5, 2.0), (3.1, 5.0), (7.0, 10.0), (0.0002, 0.0002), (45, 50), (120, 200)])
    func niceStepIsOneTwoOrFiveTimesAPowerOfTen(raw: Double, expected: Double) {
        #expect(abs(AxisLayout.niceStep(raw) - expected) < expected * 1e-12)
    }

    @Test func linearTicksCoverTheDataWithNiceSteps() {
        let layout = AxisLayout.linear(min: 0, max: 9.3, targetCount: 6)
        #expect(layout.majorTicks == [0, 2, 4, 6, 8, 10])
        #expect(layout.lower == 0 && layout.upper == 10)
        #expect(layout.labels.map(\.text) == ["0", "2", "4", "6", "8", "10"])
    }

    @Test func linearTicksAreFreeOfFloatingPointNoise() {
        let layout = AxisLayout.linear(min: 0.12, max: 0.87, targetCount: 5)
        #expect(layout.majorTicks == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(layout.labels.map(\.text) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        let tenths = AxisLayout.linear(min: 0.1, max: 0.7, targetCount: 7)
        #expect(tenths.majorTicks.contains(0.3))
    }

    @Test func negativeRangesGetMinusSigns() {
        let layout = AxisLayout.linear(min: -3, max: 7, targetCount: 6)
        #expect(layout.majorTicks.first == -4 && layout.majorTicks.last == 8)
        #expect(layout.labels.first?.text == "−4")
    }

    @Test func allEqualValuesOpenAWindowAroundTheValue() {
        let layout = AxisLayout.linear(min: 5, max: 5, targetCount: 5)
        #expect(layout.lower < 5 && layout.upper > 5)
        #expect(layout.majorTicks.count >= 3)
        let zero = AxisLayout.linear(min: 0, max: 0, targetCount: 5)
        #expect(zero.lower == -1 && zero.upper == 1)
    }

    @Test func includesZeroExtendsALinearAxis() {
        let layout = AxisLayout.make(for: [30, 45], axis: ChartAxis("Power", unit: "W", includesZero: true), maximumLabels: 6)
        #expect(layout.lower == 0)
    }

    @Test func logTicksSitAtDecadesWithMinorTicksBetween() {
        let layout = AxisLayout.logarithmic(min: 3, max: 4500, maximumLabels: 10)
        #expect(layout.majorTicks == [1, 10, 100, 1000, 10_000])
        #expect(layout.labels.map(\.text) == ["1", "10", "100", "1k", "10k"])
        #expect(layout.minorTicks.count == 4 * 8)
        #expect(layout.minorTicks.prefix(3) == [2, 3, 4])
    }

    @Test func logTicksBelowOneUseScientificNotation() {
        let layout = AxisLayout.logarithmic(min: 0.0004, max: 0.5, maximumLabels: 10)
        #expect(layout.labels.map(\.text) == ["1e-4", "1e-3", "0.01", "0.1", "1"])
    }

    @Test func manyDecadesLabelEveryOtherDecadeAndSkipMinorTicks() {
        let layout = AxisLayout.logarithmic(min: 1, max: 1e10, maximumLabels: 6)
        #expect(layout.majorTicks.count == 11)
        #expect(layout.labels.map(\.text) == ["1", "100", "10k", "1M", "100M", "10G"])
        #expect(layout.minorTicks.isEmpty)
    }

    @Test func singleDecadeAlsoLabelsTwoAndFive() {
        let layout = AxisLayout.logarithmic(min: 2.5, max: 8, maximumLabels: 10)
        #expect(layout.labels.map(\.text) == ["1", "2", "5", "10"])
    }

    @Test func exactPowerOfTenAloneShowsTheDecadesAround() {
        let layout = AxisLayout.logarithmic(min: 100, max: 100, maximumLabels: 10)
        #expect(layout.majorTicks == [10, 100, 1000])
    }

    @Test(
        arguments: [
            (0.0, nil, "0"), (1000, nil, "1k"), (2500, 500, "2.5k"), (2_500_000, nil, "2.5M"), (1e9, nil, "1G"),
            (0.001, nil, "1e-3"), (0.00025, nil, "2.5e-4"), (0.25, 0.05, "0.25"), (-1500, 500, "−1.5k"),
            (0.30000000000000004, 0.1, "0.3"), (500, 500, "500"), (12.5, nil, "12.5"), (3e15, nil, "3e15"),
        ] as [(Double, Double?, String)])
    func tickLabelsAreCompact(value: Double, step: Double?, expected: String) {
        #expect(TickLabelFormatter.label(value, step: step) == expected)
    }

    @Test func svgNumbersHaveAtMostTwoDecimals() {
        #expect(SVGWriter.number(12.345) == "12.35")
        #expect(SVGWriter.number(3) == "3")
        #expect(SVGWriter.number(-0.5) == "-0.5")
        #expect(SVGWriter.number(.nan) == "0")
    }
}
