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
