import Foundation
import PostgresNIO
import RunStore

extension PostgresRunStore {
    /// The status to show: the process check for runs of this host, the heartbeat lease for
    /// runs of other hosts (see ``RunLease``).
    public func effectiveStatus(of run: RunRecord) -> RunStatus {
        RunLease.effectiveStatus(of: run, hostName: hostName) { pid, startTicks in
            processTable.liveness(pid: pid, startTicks: startTicks) == .gone
        }
    }

    /// Stores `crashed`, with the reason, for every run ``effectiveStatus(of:)`` finds crashed,
    /// unless it finished or wrote a heartbeat since it was read.
    ///
    /// - Returns: The ids of the runs marked.
    /// - Throws: ``RunStoreError``.
    @discardableResult
    public func markCrashedRuns() throws -> [Int64] {
        let running = try fetch(RunRecord.self, "SELECT * FROM runs WHERE status = 'running' AND uuid NOT LIKE 'partial-import:%'")
        let now = Date()
        let crashed = running.filter { effectiveStatus(of: $0) == .crashed }
        guard !crashed.isEmpty else { return [] }
        return try inTransaction { connection in
            var marked: [Int64] = []
            for run in crashed {
                guard let id = run.id else { continue }
                let reason = RunLease.crashReason(of: run, hostName: hostName, now: now)
                let heartbeat = run.heartbeatAt.map(Timestamp.text)
                let changed = try connection.run(
                    """
                    UPDATE runs SET status = 'crashed', error_text = coalesce(error_text, \(reason))
                    WHERE id = \(id) AND status = 'running' AND heartbeat_at IS NOT DISTINCT FROM \(heartbeat)
                    """)
                if changed > 0 { marked.append(id) }
            }
            return marked
        }
    }

    func withEffectiveStatus(_ run: RunRecord) -> RunRecord {
        var shown = run
        shown.status = effectiveStatus(of: run)
        return shown
    }
}
