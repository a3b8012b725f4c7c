import Vocabulary

extension MetricRecord {
    /// A metric row with a typed name.
    public init(runID: Int64, metric: MetricName, value: Double, split: MetricSplit) {
        self.init(runID: runID, name: metric.rawValue, value: value, split: split)
    }

    /// The typed name, nil for a name Footprint does not write.
    public var metric: MetricName? { MetricName(rawValue: name) }
}
