import Foundation

/// A power law y = coefficient · x^exponent fitted by least squares on logarithms — the
/// scaling of energy with parameters, energy ∝ parameters^α — with a 95% interval on α.
public struct PowerLawFit: Sendable, Codable, Equatable {
    /// α: the slope of ln y against ln x.
    public var exponent: Double
    /// Lower end of α's 95% interval; nil with two points, which always fit exactly.
    public var exponentLow: Double?
    /// Upper end of α's 95% interval; nil with two points.
    public var exponentHigh: Double?
    /// The factor: e^intercept.
    public var coefficient: Double
    /// Coefficient of determination of the fit on the logarithms (1 when every point lies on it).
    public var rSquared: Double
    /// Points the fit used.
    public var pointCount: Int

    /// Creates a fit from its figures.
    ///
    /// - Parameters:
    ///   - exponent: α.
    ///   - exponentLow: Lower end of α's interval, nil for none.
    ///   - exponentHigh: Upper end of α's interval, nil for none.
    ///   - coefficient: The factor.
    ///   - rSquared: R² on the logarithms.
    ///   - pointCount: Points used.
    public init(
        exponent: Double, exponentLow: Double? = nil, exponentHigh: Double? = nil, coefficient: Double, rSquared: Double, pointCount: Int
    ) {
        self.exponent = exponent
        self.exponentLow = exponentLow
        self.exponentHigh = exponentHigh
        self.coefficient = coefficient
        self.rSquared = rSquared
        self.pointCount = pointCount
    }

    /// Fits y = c · x^α by ordinary least squares of ln y on ln x.
    ///
    /// α's interval is α ± t(n−2) · SE, with SE = √(RSS / (n − 2) / Σ(ln x − mean)²) from the
    /// residuals: wide with three points, as it should be.
    ///
    /// - Parameters:
    ///   - x: Inputs (parameters); pairs where either value is not a positive finite number are
    ///     left out.
    ///   - y: Outputs (joules), same count as `x`.
    /// - Returns: The fit, or nil with fewer than 2 distinct x values left.
    public static func fit(x: [Double], y: [Double]) -> PowerLawFit? {
        let pairs = zip(x, y).filter { $0.0 > 0 && $0.1 > 0 && $0.0.isFinite && $0.1.isFinite }
        guard Set(pairs.map(\.0)).count >= 2 else { return nil }
        let logX = pairs.map { log($0.0) }
        let logY = pairs.map { log($0.1) }
        let n = Double(pairs.count)
        let meanX = logX.reduce(0, +) / n
        let meanY = logY.reduce(0, +) / n
        var sxx = 0.0
        var sxy = 0.0
        var syy = 0.0
        for (u, v) in zip(logX, logY) {
            sxx += (u - meanX) * (u - meanX)
            sxy += (u - meanX) * (v - meanY)
            syy += (v - meanY) * (v - meanY)
        }
        let slope = sxy / sxx
        let intercept = meanY - slope * meanX
        let residual = zip(logX, logY).reduce(0) { sum, point in
            let error = point.1 - (intercept + slope * point.0)
            return sum + error * error
        }
        // Every y equal: the flat line explains them exactly.
        let rSquared = syy > 0 ? max(0, 1 - residual / syy) : 1
        var low: Double?
        var high: Double?
        if pairs.count > 2 {
            let standardError = (residual / (n - 2) / sxx).squareRoot()
            let half = RepeatStatistics.multiplier(degreesOfFreedom: n - 2) * standardError
            low = slope - half
            high = slope + half
        }
        return PowerLawFit(
            exponent: slope, exponentLow: low, exponentHigh: high, coefficient: exp(intercept), rSquared: rSquared, pointCount: pairs.count)
    }

    /// `energy ∝ parameters^1.52 (95% 1.31–1.73, R² = 0.98, 3 points)`.
    public var summary: String {
        let interval = exponentLow.flatMap { low in exponentHigh.map { String(format: "95%% %.2f–%.2f, ", low, $0) } } ?? ""
        return String(format: "energy ∝ parameters^%.2f (%@R² = %.3f, %d points)", exponent, interval, rSquared, pointCount)
    }
}
