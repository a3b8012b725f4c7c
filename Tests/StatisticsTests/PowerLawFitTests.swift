import Foundation
import Testing

@testable import Statistics

@Suite struct PowerLawFitTests {
    @Test func recoversAKnownExponentAndCoefficientExactly() throws {
        let parameters = [10.0, 100, 1_000, 10_000, 31]
        let fit = try #require(PowerLawFit.fit(x: parameters, y: parameters.map { 3 * pow($0, 1.5) }))
        #expect(abs(fit.exponent - 1.5) < 1e-12)
        #expect(abs(fit.coefficient - 3) < 1e-9)
        #expect(abs(fit.rSquared - 1) < 1e-12)
        #expect(fit.pointCount == 5)
        // A perfect fit leaves no residual: the interval closes on the exponent.
        #expect(abs(try #require(fit.exponentLow) - 1.5) < 1e-6)
        #expect(abs(try #require(fit.exponentHigh) - 1.5) < 1e-6)
    }

    @Test func slopeIntervalMatchesAHandComputedFit() throws {
        // ln x = u = 0, L, 2L (L = ln 10); ln y = v = 0, L + 0.1, 2L. Then ū = L, v̄ = L + 0.1/3,
        // Σ(u − ū)(v − v̄) = 2L² = Σ(u − ū)²: slope 1, intercept 0.1/3. Residuals are
        // 0.1/3 · (−1, 2, −1): RSS = 0.06/9; SE = √(RSS / (n − 2) / 2L²); the interval is
        // 1 ± t(0.975, 1) · SE with t(0.975, 1) = tan(0.475π).
        let l = log(10.0)
        let fit = try #require(PowerLawFit.fit(x: [1, 10, 100], y: [1, 10 * exp(0.1), 100]))
        let slope = 1.0
        let standardError = (0.06 / 9 / (2 * l * l)).squareRoot()
        let half = tan(0.475 * .pi) * standardError
        #expect(abs(fit.exponent - slope) < 1e-12)
        #expect(abs(fit.coefficient - exp(0.1 / 3)) < 1e-12)
        #expect(abs(try #require(fit.exponentLow) - (slope - half)) < 1e-9)
        #expect(abs(try #require(fit.exponentHigh) - (slope + half)) < 1e-9)
        #expect(fit.summary.hasPrefix(String(format: "energy ∝ parameters^%.2f (95%% %.2f–%.2f, R² = ", slope, slope - half, slope + half)))
    }

    @Test func reportsAnRSquaredBelowOneForScatteredPoints() throws {
        // ln y = ln x ± 0.1 alternating: slope 1 is not exact, R² high but not 1.
        let x = [1.0, 10, 100, 1000]
        let y = zip(x, [1.1, 0.9, 1.1, 0.9]).map { $0 * $1 }
        let fit = try #require(PowerLawFit.fit(x: x, y: y))
        #expect(fit.rSquared < 1)
        #expect(fit.rSquared > 0.99)
        #expect(abs(fit.exponent - 1) < 0.05)
        #expect(try #require(fit.exponentLow) < fit.exponent && fit.exponent < (try #require(fit.exponentHigh)))
    }

    @Test func twoPointsFitWithoutAnInterval() throws {
        let fit = try #require(PowerLawFit.fit(x: [100, 1000], y: [2, 20]))
        #expect(abs(fit.exponent - 1) < 1e-12)
        #expect(fit.exponentLow == nil && fit.exponentHigh == nil)
        #expect(fit.summary == "energy ∝ parameters^1.00 (R² = 1.000, 2 points)")
    }

    @Test func needsTwoDistinctPositiveInputs() {
        #expect(PowerLawFit.fit(x: [100, 100, 100], y: [1, 2, 3]) == nil)
        #expect(PowerLawFit.fit(x: [100, 0, -5], y: [1, 2, 3]) == nil)
        #expect(PowerLawFit.fit(x: [100, 1000], y: [1, 0]) == nil)
    }
}
