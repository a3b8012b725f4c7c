import Statistics

/// How many times one configuration's energy is another's, with the 95% interval that says
/// whether the difference is real.
public struct EnergyRatio: Sendable, Equatable {
    /// A FLOP ratio at least this many times the energy ratio means the energy is not following
    /// the arithmetic: per-step overhead (data handling, dispatch, memory traffic) dominates.
    public static let overheadFactor = 4.0

    /// Label of the larger configuration (by parameters, else FLOPs), the numerator.
    public var of: String
    /// Label of the smaller configuration, the denominator.
    public var to: String
    /// Runs behind the numerator.
    public var ofRuns: Int
    /// Runs behind the denominator.
    public var toRuns: Int
    /// The ratio of median energies and its interval.
    public var interval: RatioInterval
    /// The ratio of median FLOPs, when both recorded FLOPs.
    public var flopRatio: Double?

    /// Creates a ratio.
    ///
    /// - Parameters:
    ///   - of: Label of the numerator configuration.
    ///   - to: Label of the denominator configuration.
    ///   - ofRuns: Runs behind the numerator.
    ///   - toRuns: Runs behind the denominator.
    ///   - interval: The energy ratio with its interval.
    ///   - flopRatio: The FLOP ratio, if known.
    public init(of: String, to: String, ofRuns: Int, toRuns: Int, interval: RatioInterval, flopRatio: Double?) {
        self.of = of
        self.to = to
        self.ofRuns = ofRuns
        self.toRuns = toRuns
        self.interval = interval
        self.flopRatio = flopRatio
    }

    /// True when the FLOPs differ ``overheadFactor`` times more than the energy does: the
    /// energy difference (or its absence) is overhead, not FLOPs.
    public var isOverheadBound: Bool {
        guard let flopRatio, flopRatio > 1, interval.median > 0 else { return false }
        return flopRatio >= Self.overheadFactor * interval.median
    }

    /// `3 runs each`, `3 and 1 runs`, `one run each`.
    var runsPhrase: String {
        if ofRuns == toRuns { return ofRuns == 1 ? "one run each" : "\(ofRuns) runs each" }
        return "\(ofRuns) and \(toRuns) runs"
    }
}
