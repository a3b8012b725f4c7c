/// Mean and spread of a sample, for the intervals above.
struct Moments {
    let count: Int
    let mean: Double
    /// The sample variance (n − 1 in the denominator); nil for one value.
    let variance: Double?

    init(_ values: [Double]) {
        count = values.count
        let mean = values.reduce(0, +) / Double(values.count)
        self.mean = mean
        variance = values.count < 2 ? nil : values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count - 1)
    }

    /// s²/n, the variance of the mean; nil for one value.
    var varianceOfMean: Double? { variance.map { $0 / Double(count) } }

    /// t(n−1) · s/√n, half the width of the mean's 95% interval; nil for one value.
    var halfWidth: Double? {
        guard let varianceOfMean else { return nil }
        return RepeatStatistics.multiplier(degreesOfFreedom: Double(count - 1)) * varianceOfMean.squareRoot()
    }
}
