import RunStore

extension RunDocument {
    /// A run's document without its per-epoch history (`history` empty, `epochs` 0): what the
    /// terminal's results need, read in memory that does not grow with the run's epochs.
    ///
    /// - Parameters:
    ///   - id: The run.
    ///   - database: The store.
    /// - Returns: The document, with every figure but the epochs.
    /// - Throws: `RunStoreError.runNotFound` and store errors.
    public static func loadWithoutHistory(id: Int64, from database: any RunStorage) throws -> RunDocument {
        let run = try database.run(id: id)
        return RunDocument(
            run: run, status: run.status, epochs: [], metrics: try database.metrics(runID: id), layers: try database.layerCosts(runID: id),
            meters: try database.meterEnergy(runID: id))
    }
}
