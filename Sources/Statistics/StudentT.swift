import Foundation

/// Student's t distribution: the multiplier of a standard error that gives a confidence
/// interval from a few repeats (t(0.975, 2) = 4.303 for three runs, against 1.960 for many).
public enum StudentT {
    /// Degrees of freedom beyond which the Cornish–Fisher expansion in 1/ν replaces the
    /// incomplete beta function: its error there is below 10⁻²⁰, and the continued fraction
    /// would need thousands of terms.
    static let expansionDegreesOfFreedom = 1e5

    /// The quantile: t such that P(T ≤ t) = `probability` with ν degrees of freedom.
    ///
    /// Real ν is allowed, as Welch's interval needs (its Welch–Satterthwaite ν is rarely whole).
    ///
    /// - Parameters:
    ///   - probability: In [0, 1]; 0 and 1 give ∓∞.
    ///   - degreesOfFreedom: ν > 0; `.infinity` gives the normal quantile.
    /// - Returns: The quantile, or NaN for a probability outside [0, 1] or ν ≤ 0.
    public static func quantile(_ probability: Double, degreesOfFreedom: Double) -> Double {
        let nu = degreesOfFreedom
        guard probability >= 0, probability <= 1, nu > 0, !nu.isNaN else { return .nan }
        if probability == 0 { return -.infinity }
        if probability == 1 { return .infinity }
        if probability == 0.5 { return 0 }
        if probability < 0.5 { return -quantile(1 - probability, degreesOfFreedom: nu) }
        if nu > expansionDegreesOfFreedom { return cornishFisher(z: StandardNormal.quantile(probability), degreesOfFreedom: nu) }
        let tail = 1 - probability
        // Bisection on ln t: the upper tail falls monotonically with t, and working on the
        // logarithm keeps relative precision from t ≈ 10⁻²⁰ to the far tails of ν < 1.
        var low = -50.0
        var high = 710.0
        for _ in 0..<400 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if upperTail(exp(middle), degreesOfFreedom: nu) > tail { low = middle } else { high = middle }
        }
        return exp((low + high) / 2)
    }

    /// P(T > t) for t ≥ 0: ½ · I_{ν/(ν+t²)}(ν/2, ½).
    static func upperTail(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard t.isFinite else { return 0 }
        // ν/(ν + t²) written as 1/(1 + t²/ν) so a huge t does not overflow t².
        let ratio = t / nu.squareRoot()
        let x = 1 / (1 + ratio * ratio)
        return 0.5 * IncompleteBeta.regularized(x: x, a: nu / 2, b: 0.5)
    }

    /// t from the normal quantile z by the Cornish–Fisher expansion to 1/ν⁴ (Abramowitz and
    /// Stegun, *Handbook of Mathematical Functions*, 26.7.5).
    static func cornishFisher(z: Double, degreesOfFreedom nu: Double) -> Double {
        guard nu.isFinite else { return z }
        let z2 = z * z
        let g1 = (z2 + 1) * z / 4
        let g2 = ((5 * z2 + 16) * z2 + 3) * z / 96
        let g3 = (((3 * z2 + 19) * z2 + 17) * z2 - 15) * z / 384
        let g4 = ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z / 92160
        return z + g1 / nu + g2 / (nu * nu) + g3 / (nu * nu * nu) + g4 / (nu * nu * nu * nu)
    }
}
