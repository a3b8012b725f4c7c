import Vocabulary
import GRDB

/// One row of `metrics`: a final quality figure of a run (`mse`, `accuracy`, `r2`, …) on one
/// split. Unique per (`run_id`, `split`, `name`).
public struct MetricRecord: Codable, Sendable, Equatable {
    /// The run (`runs.id`); deleting the run deletes its metrics.
    public var runID: Int64
    /// Metric name, lower case: `mse`, `accuracy`, `r2`, `loss`.
    public var name: String
    /// The value.
    public var value: Double
    /// The data it was computed on.
    public var split: MetricSplit

    /// Creates a metric row.
    ///
    /// - Parameters:
    ///   - runID: The run it belongs to.
    ///   - name: Metric name.
    ///   - value: The value.
    ///   - split: The data it was computed on.
    public init(runID: Int64, name: String, value: Double, split: MetricSplit) {
        self.runID = runID
        self.name = name
        self.value = value
        self.split = split
    }

    /// The column of each property in `metrics`.
    public enum CodingKeys: String, CodingKey, CaseIterable, Sendable {
        case runID = "run_id"
        case name, value, split
    }
}

extension MetricRecord: FetchableRecord, PersistableRecord {
    /// `metrics`.
    public static let databaseTableName = "metrics"
}
