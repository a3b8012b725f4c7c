/// A multiplicative uncertainty band: the true value lies, we claim, between
/// `lowFactor × value` and `highFactor × value`.
///
/// The bands Footprint uses and why (also in `Carbon.docc/DATA-SOURCES.md`):
/// - `measuredEnergy` (×0.9 … ×1.2): RAPL energy counters track the package and DRAM power
///   they cover closely (Khan et al. 2018, "RAPL in Action", ACM TOMPECS, compare RAPL with
///   plug power meters), so ±10% covers the meter. They do not see the power supply's
///   conversion losses (an 80 PLUS Gold unit is ≈ 90% efficient at typical load), fans, disks
///   and the board, all of which can only add energy: hence +20% above and −10% below.
/// - `estimatedEnergy` (×0.5 … ×2): estimates from TDP or a constant per thread (CodeCarbon
///   assumes 4 W per thread for an unknown CPU and 20 W for RAM) do not know the machine's real
///   draw, which ranges from near idle to above TDP under turbo. A factor of two either way is
///   the honest width; it is symmetric on a log scale.
/// - `averageIntensity` (×0.8 … ×1.2): a yearly average hides hour-to-hour variation of the
///   grid (large where wind and solar are a big share) and the year-to-year drift of a
///   decarbonising grid (the table's years run from 2021 to 2024).
/// - `exact` (×1 … ×1): for quantities the user states (PUE, embodied carbon).
public struct RelativeBand: Sendable, Hashable, Codable {
    /// Multiplier giving the low bound (≤ 1).
    public var lowFactor: Double
    /// Multiplier giving the high bound (≥ 1).
    public var highFactor: Double

    /// Creates a band.
    ///
    /// - Parameters:
    ///   - lowFactor: Multiplier for the low bound, in (0, 1].
    ///   - highFactor: Multiplier for the high bound, ≥ 1.
    public init(lowFactor: Double, highFactor: Double) {
        self.lowFactor = lowFactor
        self.highFactor = highFactor
    }

    /// Energy read from hardware counters (RAPL, NVML): −10% … +20%.
    public static let measuredEnergy = RelativeBand(lowFactor: 0.9, highFactor: 1.2)
    /// Energy estimated from a power model (TDP, watts per thread): −50% … +100%.
    public static let estimatedEnergy = RelativeBand(lowFactor: 0.5, highFactor: 2.0)
    /// A yearly-average grid intensity applied to a run at an unknown hour: ±20%.
    public static let averageIntensity = RelativeBand(lowFactor: 0.8, highFactor: 1.2)
    /// No stated uncertainty.
    public static let exact = RelativeBand(lowFactor: 1, highFactor: 1)

    /// Combines two independent bands by multiplying their bounds (interval arithmetic).
    ///
    /// This is the worst case — both factors at their extreme together — and so wider than a
    /// quadrature sum would be; we prefer a range that is too wide to one that is too narrow.
    ///
    /// - Parameter other: The other band.
    /// - Returns: The band of the product of the two quantities.
    public func combined(with other: RelativeBand) -> RelativeBand {
        RelativeBand(lowFactor: lowFactor * other.lowFactor, highFactor: highFactor * other.highFactor)
    }
}
