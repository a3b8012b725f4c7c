// The same row under another run number: the fallback store's, or the caller's.

extension EpochRecord {
    func reassigned(_ map: (Int64) -> Int64) -> EpochRecord {
        var row = self
        row.runID = map(runID)
        return row
    }
}

extension MetricRecord {
    func reassigned(_ map: (Int64) -> Int64) -> MetricRecord {
        var row = self
        row.runID = map(runID)
        return row
    }
}

extension LayerCostRecord {
    func reassigned(_ map: (Int64) -> Int64) -> LayerCostRecord {
        var row = self
        row.runID = map(runID)
        return row
    }
}

extension MeterEnergyRecord {
    func reassigned(_ map: (Int64) -> Int64) -> MeterEnergyRecord {
        var row = self
        row.runID = map(runID)
        return row
    }
}

extension PowerSampleRecord {
    func reassigned(_ map: (Int64) -> Int64) -> PowerSampleRecord {
        var row = self
        row.runID = map(runID)
        return row
    }
}

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
