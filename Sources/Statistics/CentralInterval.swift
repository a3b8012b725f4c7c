/// A central figure of repeated measurements with its 95% interval: the median energy of three
/// runs of one configuration, say, and the range its true value plausibly lies in.
public struct CentralInterval: Sendable, Codable, Equatable {
    /// The central value: the fitted median (see ``RepeatStatistics``).
    public var median: Double
    /// Lower end of the interval; nil with fewer than 2 values, where no interval exists.
    public var low: Double?
    /// Upper end of the interval; nil with fewer than 2 values.
    public var high: Double?
    /// How many values it summarises.
    public var count: Int

    /// Creates an interval from its figures.
    ///
    /// - Parameters:
    ///   - median: The central value.
    ///   - low: Lower end, nil when there is no interval.
    ///   - high: Upper end, nil when there is no interval.
    ///   - count: Values summarised.
    public init(median: Double, low: Double?, high: Double?, count: Int) {
        self.median = median
        self.low = low
        self.high = high
        self.count = count
    }

    /// Whether the interval exists (two values or more).
    public var hasInterval: Bool { low != nil && high != nil }
}
