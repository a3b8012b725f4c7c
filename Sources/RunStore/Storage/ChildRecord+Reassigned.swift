// The same row under another run number: the fallback store's, or the caller's.

/// A row that belongs to one run through `run_id`: every table but `runs`.
protocol RunChildRecord {
    /// The run the row belongs to.
    var runID: Int64 { get set }
}

extension RunChildRecord {
    /// The same row with its run number mapped by `map`.
    func reassigned(_ map: (Int64) -> Int64) -> Self {
        var row = self
        row.runID = map(runID)
        return row
    }
}

extension EpochRecord: RunChildRecord {}
extension MetricRecord: RunChildRecord {}
extension LayerCostRecord: RunChildRecord {}
extension MeterEnergyRecord: RunChildRecord {}
extension PowerSampleRecord: RunChildRecord {}

extension RunBundle {
    /// The same rows with the run's and every child's run number set to `id`.
    public func reassigned(to id: Int64) -> RunBundle {
        var copy = self
        let map: (Int64) -> Int64 = { _ in id }
        copy.details.run.id = id
        copy.details.epochs = details.epochs.map { $0.reassigned(map) }
        copy.details.metrics = details.metrics.map { $0.reassigned(map) }
        copy.details.layerCosts = details.layerCosts.map { $0.reassigned(map) }
        copy.details.meterEnergy = details.meterEnergy.map { $0.reassigned(map) }
        copy.powerSamples = powerSamples.map { $0.reassigned(map) }
        return copy
    }
}
