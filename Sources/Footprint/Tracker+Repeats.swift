import RunModel

extension Tracker {
    /// Runs `body` `count` times as one group: each trial records one run (with the group's tag
    /// among `tags`) and returns its id; then every run is read back and summarised.
    ///
    /// ```swift
    /// let repeated = try tracker.repeated(3) { trial, tags in
    ///     try tracker.train(data, configuration: configuration, tags: tags).runID
    /// }
    /// print(repeated.summary.joules?.median ?? 0)
    /// ```
    ///
    /// - Parameters:
    ///   - count: Trials (≥ 1).
    ///   - group: The group tag; a fresh one by default.
    ///   - body: One trial: gets its 1-based number and the tags to record, returns the run id.
    /// - Returns: The runs and their summary.
    /// - Throws: What a trial throws (the runs recorded before it stay recorded), or
    ///   `RunStoreError` when they cannot be read back.
    public func repeated(
        _ count: Int, group: String = RepeatedRuns.makeGroupTag(), _ body: (_ trial: Int, _ tags: [String]) throws -> Int64
    ) throws -> RepeatedRuns {
        var ids: [Int64] = []
        for trial in 1...max(count, 1) {
            ids.append(try body(trial, [group]))
        }
        return RepeatedRuns(group: group, runs: try RunDocument.load(ids: ids, from: database))
    }
}
