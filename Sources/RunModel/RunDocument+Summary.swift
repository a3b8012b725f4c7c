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
        try load(finished: database.run(id: id), from: database, history: false)
    }
}
