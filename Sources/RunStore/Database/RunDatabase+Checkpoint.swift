import GRDB

extension RunDatabase {
    /// Copies the write-ahead log into the database file and truncates the log to nothing.
    ///
    /// On a disk or file-size limit that filled while the log grew, the log's pages are far
    /// more than the file needs: truncating it gives a last small write (a run's final row)
    /// room that appending to the log would not have.
    ///
    /// - Throws: ``RunStoreError`` when the checkpoint cannot complete (the file itself cannot
    ///   grow, or another connection is reading).
    public func truncateWriteAheadLog() throws {
        try perform { try pool.writeWithoutTransaction { db in try db.checkpoint(.truncate) } }
    }
}
