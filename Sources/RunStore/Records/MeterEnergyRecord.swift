import GRDB

/// One row of `meter_energy` (v2): the energy one meter zone counted over a run, and whether it
/// is part of the run's total (a parent zone and its children, or an MMIO zone and its MSR
/// twin, are stored but counted once), with the part of it bridged across intervals the zone's
/// counter lost (v6). Unique per (`run_id`, `meter`, `zone`).
public struct MeterEnergyRecord: Codable, Sendable, Equatable {
    /// The run (`runs.id`); deleting the run deletes these rows.
    public var runID: Int64
    /// Meter name: `rapl`, `perf`, `nvml`, `estimate`.
    public var meter: String
    /// Zone within the meter: `package-0`, `dram`, `gpu-0`.
    public var zone: String
    /// Energy the zone counted over the run.
    public var joules: Double
    /// Whether ``joules`` is part of `runs.energy_joules`.
    public var includedInTotal: Bool
    /// Seconds of the run bridged across intervals this zone's counter lost (a reset, a glitch,
    /// a failed read); nil when none (and for runs stored before schema 6).
    public var bridgedSeconds: Double?
    /// The joules of ``joules`` bridged over ``bridgedSeconds`` from the zone's power either side.
    public var bridgedJoules: Double?

    /// Creates a meter-energy row.
    ///
    /// - Parameters:
    ///   - runID: The run it belongs to.
    ///   - meter: Meter name.
    ///   - zone: Zone within the meter.
    ///   - joules: Energy counted over the run.
    ///   - includedInTotal: Whether it is part of the run's total.
    ///   - bridgedSeconds: Seconds bridged across intervals the counter lost, nil when none.
    ///   - bridgedJoules: The joules bridged over them.
    public init(
        runID: Int64, meter: String, zone: String, joules: Double, includedInTotal: Bool, bridgedSeconds: Double? = nil,
        bridgedJoules: Double? = nil
    ) {
        self.runID = runID
        self.meter = meter
        self.zone = zone
        self.joules = joules
        self.includedInTotal = includedInTotal
        self.bridgedSeconds = bridgedSeconds
        self.bridgedJoules = bridgedJoules
    }

    /// The column of each property in `meter_energy`.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case runID = "run_id"
        case meter, zone, joules
        case includedInTotal = "included_in_total"
        case bridgedSeconds = "bridged_seconds"
        case bridgedJoules = "bridged_joules"
    }
}

extension MeterEnergyRecord: FetchableRecord, PersistableRecord {
    /// `meter_energy`.
    public static let databaseTableName = "meter_energy"
}
