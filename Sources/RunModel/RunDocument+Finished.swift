import RunStore

extension RunDocument {
    /// The document of a run its caller has just finished, from the record the store returned
    /// when it completed the run (`completeRun`): only the run's rows below it (epochs, metrics,
    /// layers, meters) are read, never the run's own row again.
    ///
    /// - Parameters:
    ///   - run: The finished record, as `completeRun` returned it; its `id` names the run.
    ///   - database: The store it was recorded in.
    ///   - history: Whether to read the per-epoch history (false: `history` empty, `epochs` 0,
    ///     in memory that does not grow with the run's epochs).
    /// - Returns: The document, the same as ``load(id:from:)`` reads.
    /// - Throws: `RunStoreError.runNotFound` for a record without an id, and store errors.
    public static func load(finished run: RunRecord, from database: any RunStorage, history: Bool = true) throws -> RunDocument {
        guard let id = run.id else { throw RunStoreError.runNotFound(id: 0) }
        return RunDocument(
            run: run, status: run.status, epochs: history ? try database.epochs(runID: id) : [], metrics: try database.metrics(runID: id),
            layers: try database.layerCosts(runID: id), meters: try database.meterEnergy(runID: id))
    }
}
