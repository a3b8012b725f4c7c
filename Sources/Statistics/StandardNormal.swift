import Foundation

/// The standard normal distribution's quantile, the limit of Student's t for infinite degrees
/// of freedom.
enum StandardNormal {
    /// z such that P(Z ≤ z) = `probability`, by bisection on the CDF ½·erfc(−z/√2), which
    /// Foundation evaluates to full precision in both tails.
    ///
    /// - Parameter probability: In (0, 1); 0 and 1 give ∓∞, anything else NaN.
    /// - Returns: The quantile.
    static func quantile(_ probability: Double) -> Double {
        guard probability.isFinite, probability >= 0, probability <= 1 else { return .nan }
        if probability == 0 { return -.infinity }
        if probability == 1 { return .infinity }
        if probability == 0.5 { return 0 }
        // Search the upper tail, so the small complement 1 − p keeps its precision.
        let tail = probability > 0.5 ? 1 - probability : probability
        func upperTail(_ z: Double) -> Double { 0.5 * erfc(z / 2.squareRoot()) }
        var low = 0.0
        var high = 40.0
        for _ in 0..<200 {
            let middle = (low + high) / 2
            if middle == low || middle == high { break }
            if upperTail(middle) > tail { low = middle } else { high = middle }
        }
        let z = (low + high) / 2
        return probability > 0.5 ? z : -z
    }
}
