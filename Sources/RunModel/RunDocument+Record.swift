import RunStore

extension RunDocument {
    /// A run's document and the row it was made from, read in one snapshot: for a reader that
    /// needs columns the document does not carry (the machine) without reading the row again.
    ///
    /// - Parameters:
    ///   - id: The run.
    ///   - database: The store.
    /// - Returns: The document and the run's row (with its effective status).
    /// - Throws: `RunStoreError.runNotFound` and store errors.
    package static func loadWithRecord(id: Int64, from database: any RunStorage) throws -> (document: RunDocument, record: RunRecord) {
        guard let details = try database.details(ids: [id]).first else { throw RunStoreError.runNotFound(id: id) }
        return (RunDocument(details: details), details.run)
    }
}
