/// Where a run is in its life, stored in `runs.status`.
///
/// A run is inserted `running` before its work starts and ends in exactly one of the other
/// states. `crashed` is never written by the run itself: a reader finds a `running` run whose
/// process is gone (see ``RunDatabase/effectiveStatus(of:)``) and ``RunDatabase/markCrashedRuns()``
/// persists it.
public enum RunStatus: String, Codable, Sendable, CaseIterable {
    /// The run's process is still working (or was, when it last wrote).
    case running
    /// The work ended normally.
    case completed
    /// The work threw or the wrapped command exited non-zero; `error_text` says why.
    case failed
    /// SIGINT or SIGTERM stopped the run; everything recorded before the signal is kept.
    case interrupted
    /// The process died without finishing the run (killed, power loss, out of memory).
    case crashed

    /// True for every state a run can end in, false for `running`.
    public var isFinished: Bool { self != .running }
}
