/// Copies runs from one store to another by UUID, so running it again copies nothing twice:
/// `footprint sync --to postgres://…` sends a laptop's or a cut-off node's runs to the team's
/// server.
///
/// For each run of the source, oldest first:
/// - not in the target: copied (``RunStorage/importRun(_:progress:)``: one transaction, or for
///   a large run on a server, batches under a hidden row shown by a final commit);
/// - in the target but unfinished there (`running`, or `crashed` as the target sees it) while
///   finished in the source: replaced — the server kept the start of a run whose end went to a
///   local file when the server stopped answering;
/// - in the target otherwise: skipped;
/// - still running in the source: skipped unless ``includeRunning`` (its copy would stop at
///   whatever it has written so far).
///
/// A replacement deletes the target's copy, then imports the source's. Between the two, the
/// run is briefly absent from the target; if the import fails there, the run stays absent until
/// the next sync copies it again. The source keeps it throughout, and a store cannot hold two
/// runs with one UUID, so deleting first is the only order that works through ``RunStorage``.
public struct RunSync {
    /// What happens to one run.
    public enum Action: String, Sendable, Equatable {
        /// Not in the target: copied.
        case copy
        /// Unfinished in the target, finished in the source: replaced.
        case replace
        /// Already in the target.
        case skipPresent
        /// Still running in the source.
        case skipRunning
    }

    /// One run's step, for progress lines.
    public struct Step: Sendable {
        /// Its position, from 1, and the number of runs.
        public var index: Int
        public var total: Int
        /// The run as the source stores it.
        public var run: RunRecord
        /// What was (or, in a dry run, would be) done.
        public var action: Action
    }

    /// How many runs each action took.
    public struct Summary: Sendable, Equatable {
        public var copied = 0
        public var replaced = 0
        public var skippedPresent = 0
        public var skippedRunning = 0

        /// A summary with every count zero.
        public init() {}

        /// One line for people, such as `3 copied, 1 replaced, 12 already there`.
        public func line(dryRun: Bool) -> String {
            var parts = [
                "\(copied) \(dryRun ? "to copy" : "copied")", "\(replaced) \(dryRun ? "to replace" : "replaced")",
                "\(skippedPresent) already there",
            ]
            if skippedRunning > 0 { parts.append("\(skippedRunning) still running, not copied (--include-running copies them)") }
            return parts.joined(separator: ", ")
        }
    }

    /// Where runs are read.
    public let source: any RunStorage
    /// Where runs are copied.
    public let target: any RunStorage
    /// Whether runs still running in the source are copied as they are.
    public var includeRunning: Bool

    /// A sync from `source` to `target`.
    ///
    /// - Parameters:
    ///   - source: Where runs are read.
    ///   - target: Where runs are copied.
    ///   - includeRunning: Copy runs still running in the source too.
    public init(source: any RunStorage, target: any RunStorage, includeRunning: Bool = false) {
        self.source = source
        self.target = target
        self.includeRunning = includeRunning
    }

    /// What would happen to `run` (as the source reports it).
    ///
    /// - Throws: ``RunStoreError`` when the target cannot be read.
    public func action(for run: RunRecord) throws -> Action {
        if run.status == .running && !includeRunning { return .skipRunning }
        guard let present = try target.run(uuid: run.uuid) else { return .copy }
        let unfinishedThere = present.status == .running || present.status == .crashed
        let finishedHere = run.status != .running && run.status != .crashed
        return unfinishedThere && finishedHere ? .replace : .skipPresent
    }

    /// Copies what is missing, oldest run first.
    ///
    /// Each run is counted by what this call did to it: a run another sync copied (or is
    /// copying) since this one looked is counted as already there, not as copied, so several
    /// syncs at once report together exactly the runs copied.
    ///
    /// - Parameters:
    ///   - dryRun: Decide every step but write nothing.
    ///   - copying: Called as a run's rows are copied, after each batch of a large run.
    ///   - progress: Called after each run's step.
    /// - Returns: How many runs each action took.
    /// - Throws: ``RunStoreError`` from either store; runs copied before it stay copied.
    @discardableResult
    public func run(
        dryRun: Bool = false, copying: (Step, ImportProgress) -> Void = { _, _ in }, progress: (Step) -> Void = { _ in }
    ) throws -> Summary {
        let runs = try source.runs(RunQuery()).reversed()
        var summary = Summary()
        for (offset, run) in runs.enumerated() {
            var step = Step(index: offset + 1, total: runs.count, run: run, action: try action(for: run))
            if !dryRun, let id = run.id {
                let planned = step
                step.action = try perform(planned, runID: id) { copying(planned, $0) }
            }
            switch step.action {
            case .copy: summary.copied += 1
            case .replace: summary.replaced += 1
            case .skipPresent: summary.skippedPresent += 1
            case .skipRunning: summary.skippedRunning += 1
            }
            progress(step)
        }
        return summary
    }

    /// Does what `step` decided, and returns what was done: `.skipPresent` when another sync
    /// got there first.
    private func perform(_ step: Step, runID: Int64, progress: (ImportProgress) -> Void) throws -> Action {
        switch step.action {
        case .copy:
            return try importing(source.bundle(runID: runID), progress: progress) ? .copy : .skipPresent
        case .replace:
            let bundle = try source.bundle(runID: runID)
            // Only a copy still unfinished is replaced: another sync may have replaced it already.
            guard let present = try target.run(uuid: step.run.uuid) else {
                return try importing(bundle, progress: progress) ? .copy : .skipPresent
            }
            guard present.status == .running || present.status == .crashed, let stale = present.id else { return .skipPresent }
            _ = try target.deleteRuns(ids: [stale])
            return try importing(bundle, progress: progress) ? .replace : .skipPresent
        case .skipPresent, .skipRunning:
            return step.action
        }
    }

    /// Imports `bundle`; false when the target already has its UUID (another sync won).
    private func importing(_ bundle: RunBundle, progress: (ImportProgress) -> Void) throws -> Bool {
        do {
            try target.importRun(bundle, progress: progress)
            return true
        } catch RunStoreError.duplicateRun {
            return false
        }
    }
}
