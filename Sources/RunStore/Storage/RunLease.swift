import Foundation

/// How a store shared by many hosts tells a crashed run from a live one.
///
/// On the host that recorded a run, its process is looked up: a run whose process is gone is
/// crashed at once. From any other host the process cannot be seen, so a recording process
/// writes a heartbeat every ``heartbeatSeconds``, and a `running` run is crashed once its last
/// heartbeat (or its start, before the first) is older than ``seconds``: ten heartbeats missed.
public enum RunLease {
    /// How often a recording process writes its heartbeat.
    public static let heartbeatSeconds = 30.0
    /// How long a run from another host may stay silent before it is reported crashed.
    public static let seconds = 300.0

    /// Whether `run`, stored as `running`, has been silent past the lease at `now`.
    public static func isExpired(_ run: RunRecord, now: Date = Date()) -> Bool {
        let lastSign = run.heartbeatAt ?? run.startedAt
        return now.timeIntervalSince(lastSign) > seconds
    }

    /// The status a store reports for `run`: the process check on its own host, the lease elsewhere.
    ///
    /// - Parameters:
    ///   - run: The stored run.
    ///   - hostName: The reading host's name.
    ///   - processIsGone: Whether the run's process is gone, asked only for runs of `hostName`.
    public static func effectiveStatus(
        of run: RunRecord, hostName: String, now: Date = Date(), processIsGone: (Int32, Int64?) -> Bool
    ) -> RunStatus {
        guard run.status == .running else { return run.status }
        if run.host == hostName, let pid = run.pid {
            return processIsGone(pid, run.processStartTicks) ? .crashed : .running
        }
        return isExpired(run, now: now) ? .crashed : .running
    }

    /// The error text stored with a run found crashed.
    public static func crashReason(of run: RunRecord, hostName: String, now: Date = Date()) -> String {
        let when = Timestamp.text(now)
        if run.host == hostName, let pid = run.pid {
            return "process \(pid) on \(hostName) ended without finishing the run (found gone at \(when))"
        }
        let lastSign = Timestamp.text(run.heartbeatAt ?? run.startedAt)
        return "no heartbeat from \(run.host) since \(lastSign), past the \(Int(seconds)) s lease "
            + "(found at \(when) by \(hostName))"
    }
}
