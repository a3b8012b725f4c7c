/// Polynomial regression of degree d by least squares: f(x; θ) = θ₀ + θ₁x + … + θ_d x^d.
///
/// To keep the problem well conditioned, x is first mapped to t = (x − c)/s in [−1, 1]
/// (c the midpoint, s the half-range of the data); the fit is solved in t by Householder QR in
/// Double precision; the coefficients are then expanded back to powers of the raw x, so θ is in
/// the units a user expects.
public struct PolynomialRegression: Sendable, Equatable {
    /// Degree d of the polynomial.
    public let degree: Int
    /// θ₀…θ_d in powers of the raw x.
    public private(set) var coefficients: [Double] = []
    private var center = 0.0
    private var scale = 1.0
    private var scaledCoefficients: [Double] = []

    /// Creates an unfitted model.
    ///
    /// - Throws: `LearningError.invalidHyperparameter` for a negative degree.
    public init(degree: Int) throws {
        guard degree >= 0 else {
            throw LearningError.invalidHyperparameter(name: "--degree", value: "\(degree)", allowed: "the degree must be 0 or more")
        }
        self.degree = degree
    }

    /// Number of parameters, d + 1.
    public var parameterCount: Int { degree + 1 }

    /// FLOPs of one prediction by Horner's rule on the scaled input: 2 for the scaling and
    /// 2 per degree.
    public var forwardFlopsPerSample: Int { 2 + 2 * degree }

    /// Fits θ to the points.
    ///
    /// - Parameters:
    ///   - x: Inputs.
    ///   - y: Targets, as many as `x`.
    /// - Returns: FLOPs executed: building the design matrix and solving.
    /// - Throws: `LearningError.underdetermined` when fewer than d + 1 distinct x values exist.
    @discardableResult
    public mutating func fit(x: [Double], y: [Double]) throws -> (designFlops: Int, solverFlops: Int) {
        precondition(x.count == y.count)
        let distinct = Set(x).count
        guard distinct >= degree + 1 else {
            throw LearningError.underdetermined(
                reason:
                    "degree \(degree) needs at least \(degree + 1) distinct x values, the data has \(distinct); use --degree \(max(distinct - 1, 0)) or less"
            )
        }
        let low = x.min() ?? 0, high = x.max() ?? 0
        center = (low + high) / 2
        scale = high > low ? (high - low) / 2 : 1
        let columns = degree + 1
        var design = [Double](repeating: 0, count: x.count * columns)
        for (row, value) in x.enumerated() {
            let t = (value - center) / scale
            var power = 1.0
            for column in 0..<columns {
                design[row * columns + column] = power
                power *= t
            }
        }
        let designFlops = x.count * (2 + max(columns - 1, 0))
        var solverFlops = 0
        scaledCoefficients = try HouseholderQR.solve(matrix: design, rows: x.count, columns: columns, rightHandSide: y, flops: &solverFlops)
        coefficients = Self.expand(scaledCoefficients, center: center, scale: scale)
        solverFlops += columns * columns * 3
        return (designFlops, solverFlops)
    }

    /// Predicts f(x) with the scaled coefficients (the better conditioned evaluation).
    public func predict(_ x: Double) -> Double {
        let t = (x - center) / scale
        var result = 0.0
        for coefficient in scaledCoefficients.reversed() { result = result * t + coefficient }
        return result
    }

    /// Rewrites Σ aₖ ((x − c)/s)^k as Σ θⱼ x^j by the binomial theorem.
    static func expand(_ a: [Double], center c: Double, scale s: Double) -> [Double] {
        let n = a.count
        var theta = [Double](repeating: 0, count: n)
        // poly holds ((x − c)/s)^k as coefficients of x^j.
        var poly = [Double](repeating: 0, count: n)
        poly[0] = 1
        for k in 0..<n {
            for j in 0...k { theta[j] += a[k] * poly[j] }
            // Multiply poly by (x − c)/s.
            var next = [Double](repeating: 0, count: n)
            for j in 0...k where j + 1 < n { next[j + 1] += poly[j] / s }
            for j in 0...k { next[j] -= poly[j] * c / s }
            poly = next
        }
        return theta
    }
}
