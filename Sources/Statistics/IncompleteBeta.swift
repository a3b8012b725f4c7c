import Foundation

/// The regularized incomplete beta function I_x(a, b), the cumulative distribution behind
/// Student's t. Evaluated by its continued fraction with the modified Lentz method (Press et
/// al., *Numerical Recipes*, 3rd ed., §6.4), which converges fast on the side of
/// x < (a + 1) / (a + b + 2); the other side uses I_x(a, b) = 1 − I_{1−x}(b, a).
enum IncompleteBeta {
    /// Most terms of the continued fraction; it needs about √max(a, b) of them, and callers
    /// keep a, b below 10⁵ (``StudentT`` switches to an expansion beyond).
    static let maximumTerms = 20_000

    /// I_x(a, b) for a, b > 0.
    ///
    /// - Parameters:
    ///   - x: The point, in [0, 1]; values outside are clamped.
    ///   - a: First shape, > 0.
    ///   - b: Second shape, > 0.
    /// - Returns: The regularized integral, in [0, 1]; NaN for non-positive shapes.
    static func regularized(x: Double, a: Double, b: Double) -> Double {
        guard a > 0, b > 0, !x.isNaN else { return .nan }
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let logFront = lgamma(a + b) - lgamma(a) - lgamma(b) + a * log(x) + b * log1p(-x)
        let front = exp(logFront)
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(x: x, a: a, b: b) / a
        }
        return 1 - front * continuedFraction(x: 1 - x, a: b, b: a) / b
    }

    /// The continued fraction of I_x(a, b) (Numerical Recipes' `betacf`).
    private static func continuedFraction(x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        let sum = a + b
        let plusOne = a + 1
        let minusOne = a - 1
        var c = 1.0
        var d = 1 - sum * x / plusOne
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for term in 1...maximumTerms {
            let m = Double(term)
            let twice = 2 * m
            // Even step.
            var numerator = m * (b - m) * x / ((minusOne + twice) * (a + twice))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step.
            numerator = -(a + m) * (sum + m) * x / ((a + twice) * (plusOne + twice))
            d = 1 + numerator * d
            if abs(d) < tiny { d = tiny }
            c = 1 + numerator / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let change = d * c
            h *= change
            if abs(change - 1) < epsilon { break }
        }
        return h
    }
}
