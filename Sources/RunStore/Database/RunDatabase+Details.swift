import GRDB

/// Everything recorded about one run except its power samples.
public struct RunDetails: Sendable, Equatable {
    /// The run, with its effective status (see ``RunDatabase/effectiveStatus(of:)``).
    public var run: RunRecord
    public var epochs: [EpochRecord]
    public var metrics: [MetricRecord]
    public var layerCosts: [LayerCostRecord]
    public var meterEnergy: [MeterEnergyRecord]
}

extension RunDatabase {
    /// The details of several runs, read in one snapshot with one query per table, so that
    /// comparing a thousand runs costs five queries instead of five thousand.
    ///
    /// - Parameter ids: Run ids; the result keeps their order.
    /// - Returns: One entry per id.
    /// - Throws: ``RunStoreError/runNotFound(id:)`` for an unknown id, or a store error.
    public func details(ids: [Int64]) throws -> [RunDetails] {
        guard !ids.isEmpty else { return [] }
        let (runs, epochs, metrics, layers, meters) = try perform {
            try pool.read { db in
                // SQLite limits bound parameters (32,766 by default); chunk the id list well below.
                var runs: [RunRecord] = [], epochs: [EpochRecord] = [], metrics: [MetricRecord] = []
                var layers: [LayerCostRecord] = [], meters: [MeterEnergyRecord] = []
                for start in stride(from: 0, to: ids.count, by: 5_000) {
                    let chunk = Array(ids[start..<min(start + 5_000, ids.count)])
                    let marks = databaseQuestionMarks(count: chunk.count)
                    let arguments = StatementArguments(chunk)
                    runs += try RunRecord.fetchAll(db, sql: "SELECT * FROM runs WHERE id IN (\(marks))", arguments: arguments)
                    epochs += try EpochRecord.fetchAll(
                        db, sql: "SELECT * FROM epochs WHERE run_id IN (\(marks)) ORDER BY run_id, epoch_index", arguments: arguments)
                    metrics += try MetricRecord.fetchAll(
                        db, sql: "SELECT * FROM metrics WHERE run_id IN (\(marks)) ORDER BY run_id, split, name", arguments: arguments)
                    layers += try LayerCostRecord.fetchAll(
                        db, sql: "SELECT * FROM layer_costs WHERE run_id IN (\(marks)) ORDER BY run_id, layer_index", arguments: arguments)
                    meters += try MeterEnergyRecord.fetchAll(
                        db, sql: "SELECT * FROM meter_energy WHERE run_id IN (\(marks)) ORDER BY run_id, meter, zone", arguments: arguments)
                }
                return (runs, epochs, metrics, layers, meters)
            }
        }
        let runsByID = Dictionary(runs.map { ($0.id ?? 0, $0) }, uniquingKeysWith: { first, _ in first })
        let epochsByRun = Dictionary(grouping: epochs, by: \.runID)
        let metricsByRun = Dictionary(grouping: metrics, by: \.runID)
        let layersByRun = Dictionary(grouping: layers, by: \.runID)
        let metersByRun = Dictionary(grouping: meters, by: \.runID)
        return try ids.map { id in
            guard let run = runsByID[id] else { throw RunStoreError.runNotFound(id: id) }
            return RunDetails(
                run: withEffectiveStatus(run), epochs: epochsByRun[id] ?? [], metrics: metricsByRun[id] ?? [],
                layerCosts: layersByRun[id] ?? [], meterEnergy: metersByRun[id] ?? [])
        }
    }
}
