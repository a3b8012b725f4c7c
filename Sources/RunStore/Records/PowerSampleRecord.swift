import GRDB

/// One row of `power_samples` (v2): the average power of one meter zone over the interval that
/// ended `elapsed_seconds` after the run started.
public struct PowerSampleRecord: Codable, Sendable, Equatable {
    /// The run (`runs.id`); deleting the run deletes its samples.
    public var runID: Int64
    /// Seconds from the run's start to the end of the sampled interval.
    public var elapsedSeconds: Double
    /// Meter name: `rapl`, `perf`, `nvml`, `estimate`.
    public var meter: String
    /// Zone within the meter: `package-0`, `dram`, `gpu-0`.
    public var zone: String
    /// Average power over the interval.
    public var watts: Double

    /// Creates a power-sample row.
    ///
    /// - Parameters:
    ///   - runID: The run it belongs to.
    ///   - elapsedSeconds: Seconds since the run started.
    ///   - meter: Meter name.
    ///   - zone: Zone within the meter.
    ///   - watts: Average power over the interval.
    public init(runID: Int64, elapsedSeconds: Double, meter: String, zone: String, watts: Double) {
        self.runID = runID
        self.elapsedSeconds = elapsedSeconds
        self.meter = meter
        self.zone = zone
        self.watts = watts
    }

    /// The column of each property in `power_samples`.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case runID = "run_id"
        case elapsedSeconds = "elapsed_seconds"
        case meter, zone, watts
    }
}

extension PowerSampleRecord: FetchableRecord, PersistableRecord {
    /// `power_samples`.
    public static let databaseTableName = "power_samples"

    /// Reads a row by column name without going through `Decodable`, which is several times
    /// slower and matters for a day of samples (864,000 rows).
    public init(row: Row) throws {
        runID = try row.decode(forColumn: CodingKeys.runID.rawValue)
        elapsedSeconds = try row.decode(forColumn: CodingKeys.elapsedSeconds.rawValue)
        meter = try row.decode(forColumn: CodingKeys.meter.rawValue)
        zone = try row.decode(forColumn: CodingKeys.zone.rawValue)
        watts = try row.decode(forColumn: CodingKeys.watts.rawValue)
    }
}
