import Foundation

/// Medians, intervals and ratios of repeated runs: what a few repeats of a configuration
/// support, and no more.
///
/// ```swift
/// let energy = RepeatStatistics.logNormalInterval([41.2, 39.8, 44.0])   // joules of 3 repeats
/// let ratio = RepeatStatistics.ratio(largeJoules, to: smallJoules)
/// if ratio?.distinguishable == false { print("indistinguishable in energy") }
/// ```
public enum RepeatStatistics {
    /// Two-sided confidence of every interval here.
    public static let confidence = 0.95

    /// The method in one sentence, for reports.
    public static let method =
        "95% intervals use Student's t on the logarithms of the runs' values "
        + "(energy, time and CO2e are positive and right-skewed, so they are modelled as log-normal, "
        + "and a bootstrap is unreliable below about 8 repeats); ratios use Welch's interval on the "
        + "difference of mean logarithms."

    /// The t multiplier of a two-sided ``confidence`` interval.
    static func multiplier(degreesOfFreedom: Double) -> Double {
        StudentT.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: degreesOfFreedom)
    }

    /// The median and 95% interval of a positive quantity (joules, seconds, grams).
    ///
    /// The values are taken as log-normal: the median is exp(mean ln x), the median of the
    /// fitted log-normal, and the interval exp(mean ± t(n−1) · s/√n) with s the standard
    /// deviation of the logarithms.
    ///
    /// - Parameter values: The repeats' values.
    /// - Returns: The interval (`low`, `high` nil for a single value), or nil for no values or
    ///   any value that is not a positive finite number.
    public static func logNormalInterval(_ values: [Double]) -> CentralInterval? {
        guard !values.isEmpty, values.allSatisfy({ $0 > 0 && $0.isFinite }) else { return nil }
        // One value, or several equal ones, is its own median; exp(ln x) would only add rounding.
        if values.allSatisfy({ $0 == values[0] }) {
            let end = values.count > 1 ? values[0] : nil
            return CentralInterval(median: values[0], low: end, high: end, count: values.count)
        }
        let summary = Moments(values.map { log($0) })
        // Two or more distinct values: the half-width exists.
        let half = summary.halfWidth ?? 0
        return CentralInterval(
            median: exp(summary.mean), low: exp(summary.mean - half), high: exp(summary.mean + half), count: values.count)
    }

    /// The mean and 95% interval of a quantity that may be zero or negative (R², a loss).
    ///
    /// The values are taken as normal: the median is the mean, and the interval
    /// mean ± t(n−1) · s/√n.
    ///
    /// - Parameter values: The repeats' values.
    /// - Returns: The interval (`low`, `high` nil for a single value), or nil for no values or
    ///   a non-finite one.
    public static func meanInterval(_ values: [Double]) -> CentralInterval? {
        guard !values.isEmpty, values.allSatisfy(\.isFinite) else { return nil }
        let summary = Moments(values)
        guard let half = summary.halfWidth else {
            return CentralInterval(median: summary.mean, low: nil, high: nil, count: values.count)
        }
        return CentralInterval(median: summary.mean, low: summary.mean - half, high: summary.mean + half, count: values.count)
    }

    /// How many times the numerator configuration's median is the denominator's, with a 95%
    /// interval.
    ///
    /// The ratio is exp(mean ln a − mean ln b); its interval is Welch's on that difference,
    /// with the Welch–Satterthwaite degrees of freedom, exponentiated. It makes no assumption
    /// that the two configurations vary alike.
    ///
    /// - Parameters:
    ///   - numerator: The repeats of one configuration (positive values).
    ///   - denominator: The repeats of the other.
    /// - Returns: The ratio; `low`, `high` nil and `distinguishable` false when either side has
    ///   fewer than 2 values. Nil when either side is empty or holds a value that is not a
    ///   positive finite number.
    public static func ratio(_ numerator: [Double], to denominator: [Double]) -> RatioInterval? {
        let valid = { (values: [Double]) in !values.isEmpty && values.allSatisfy { $0 > 0 && $0.isFinite } }
        guard valid(numerator), valid(denominator) else { return nil }
        let top = Moments(numerator.map { log($0) })
        let bottom = Moments(denominator.map { log($0) })
        let difference = top.mean - bottom.mean
        let median = exp(difference)
        guard let topVariance = top.varianceOfMean, let bottomVariance = bottom.varianceOfMean else {
            return RatioInterval(median: median, low: nil, high: nil, distinguishable: false)
        }
        let variance = topVariance + bottomVariance
        guard variance > 0 else {
            // No spread on either side: the interval shrinks to the ratio itself.
            return RatioInterval(median: median, low: median, high: median, distinguishable: difference != 0)
        }
        let degrees =
            variance * variance
            / (topVariance * topVariance / Double(top.count - 1) + bottomVariance * bottomVariance / Double(bottom.count - 1))
        let half = multiplier(degreesOfFreedom: degrees) * variance.squareRoot()
        let low = exp(difference - half)
        let high = exp(difference + half)
        return RatioInterval(median: median, low: low, high: high, distinguishable: low > 1 || high < 1)
    }
}
