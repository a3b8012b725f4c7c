/// One zone of one meter (`rapl` and `package-0`, `nvml` and `gpu-0`): the key of a zone's
/// latest watts and of its energy, where a run's figures are kept per zone.
public struct MeterZone: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The meter's name: `rapl`, `perf`, `nvml` or `estimate` (Energy's `MeterKind`).
    public var meter: String
    /// The zone within the meter: `package-0`, `dram-0`, `gpu-0`, `cpu`, …
    public var zone: String

    /// A meter's zone.
    ///
    /// - Parameters:
    ///   - meter: The meter's name.
    ///   - zone: The zone's name.
    public init(meter: String, zone: String) {
        self.meter = meter
        self.zone = zone
    }

    /// `meter/zone`, as notes and logs name a zone.
    public var description: String { meter + "/" + zone }

    /// Zones in the order of their `meter/zone` names, the order a live snapshot lists them in.
    public static func < (lhs: MeterZone, rhs: MeterZone) -> Bool {
        lhs.description < rhs.description
    }
}
