import Foundation
import Testing

@testable import Reporting

@Suite struct ParetoFrontTests {
    @Test func keepsOnlyPointsNoOtherBeatsOnCostAndQuality() {
        // Accuracy, higher is better.
        let costs = [1.0, 2, 3, 4, 5]
        let accuracy = [0.50, 0.70, 0.65, 0.90, 0.90]
        #expect(ParetoFront.indices(costs: costs, qualities: accuracy, higherIsBetter: true) == [0, 1, 3])
        // The same numbers read as an error, lower is better: only the cheapest is best on both.
        #expect(ParetoFront.indices(costs: costs, qualities: accuracy, higherIsBetter: false) == [0])
    }

    @Test func keepsIdenticalPointsAndDropsNonFiniteOnes() {
        let front = ParetoFront.indices(costs: [2, 2, .nan, 1], qualities: [0.1, 0.1, 0.01, 0.5], higherIsBetter: false)
        #expect(front == [0, 1, 3])
    }

    @Test func equalCostWithWorseQualityIsDominated() {
        #expect(ParetoFront.indices(costs: [3, 3], qualities: [0.2, 0.4], higherIsBetter: false) == [0])
    }
}

@Suite struct PowerLawFitTests {
    @Test func recoversAKnownExponentAndCoefficientExactly() throws {
        let parameters = [10.0, 100, 1_000, 10_000, 31]
        let fit = try #require(PowerLawFit.fit(x: parameters, y: parameters.map { 3 * pow($0, 1.5) }))
        #expect(abs(fit.exponent - 1.5) < 1e-12)
        #expect(abs(fit.coefficient - 3) < 1e-9)
        #expect(abs(fit.rSquared - 1) < 1e-12)
        #expect(fit.pointCount == 5)
        #expect(fit.summary == "energy ∝ parameters^1.50 (R² = 1.000, 5 runs)")
    }

    @Test func reportsAnRSquaredBelowOneForScatteredPoints() throws {
        // ln y = ln x ± 0.1 alternating: slope 1 is not exact, R² high but not 1.
        let x = [1.0, 10, 100, 1000]
        let y = zip(x, [1.1, 0.9, 1.1, 0.9]).map { $0 * $1 }
        let fit = try #require(PowerLawFit.fit(x: x, y: y))
        #expect(fit.rSquared < 1)
        #expect(fit.rSquared > 0.99)
        #expect(abs(fit.exponent - 1) < 0.05)
    }

    @Test func needsTwoDistinctPositiveInputs() {
        #expect(PowerLawFit.fit(x: [100, 100, 100], y: [1, 2, 3]) == nil)
        #expect(PowerLawFit.fit(x: [100, 0, -5], y: [1, 2, 3]) == nil)
        #expect(PowerLawFit.fit(x: [100, 1000], y: [1, 0]) == nil)
        #expect(abs((PowerLawFit.fit(x: [100, 1000], y: [2, 20])?.exponent ?? 0) - 1) < 1e-12)
    }
}
