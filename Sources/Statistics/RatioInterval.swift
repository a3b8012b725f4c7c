/// How many times one configuration's quantity is another's, with its 95% interval.
public struct RatioInterval: Sendable, Codable, Equatable {
    /// The ratio of the two fitted medians.
    public var median: Double
    /// Lower end of the interval; nil when either side has fewer than 2 values.
    public var low: Double?
    /// Upper end of the interval; nil when either side has fewer than 2 values.
    public var high: Double?
    /// True when the interval excludes 1: the two differ beyond their repeat-to-repeat noise.
    /// Always false without an interval, since a single run each cannot show a difference.
    public var distinguishable: Bool

    /// Creates a ratio from its figures.
    ///
    /// - Parameters:
    ///   - median: The ratio of medians.
    ///   - low: Lower end, nil when there is no interval.
    ///   - high: Upper end, nil when there is no interval.
    ///   - distinguishable: Whether the interval excludes 1.
    public init(median: Double, low: Double?, high: Double?, distinguishable: Bool) {
        self.median = median
        self.low = low
        self.high = high
        self.distinguishable = distinguishable
    }

    /// Whether the interval exists (two values or more on each side).
    public var hasInterval: Bool { low != nil && high != nil }

    /// True when the numerator is distinguishably larger (the interval lies above 1).
    public var isDistinguishablyAboveOne: Bool { distinguishable && median > 1 }

    /// True when the numerator is distinguishably smaller (the interval lies below 1).
    public var isDistinguishablyBelowOne: Bool { distinguishable && median < 1 }
}
