import Foundation
import GRDB

extension RunDatabase {
    /// The status a reader should see: `crashed` for a `running` run recorded on this host whose
    /// process no longer exists (`kill(pid, 0)` fails with `ESRCH`) or whose pid now belongs to a
    /// process that started at a different time; the stored status otherwise. Runs of other
    /// hosts cannot be checked and keep their stored status.
    ///
    /// - Parameter run: A run as stored.
    /// - Returns: Its effective status.
    public func effectiveStatus(of run: RunRecord) -> RunStatus {
        RunLease.effectiveStatus(of: run, hostName: hostName) { pid, startTicks in
            processTable.liveness(pid: pid, startTicks: startTicks) == .gone
        }
    }

    /// Stores `crashed` for every run ``effectiveStatus(of:)`` finds crashed, with the reason
    /// (process gone on this host, or lease expired for another host's run) as its error text.
    ///
    /// - Returns: The ids of the runs marked.
    /// - Throws: ``RunStoreError``.
    @discardableResult
    public func markCrashedRuns() throws -> [Int64] {
        let running = try perform {
            try pool.read { db in
                try RunRecord.filter(RunRecord.Field.status == RunStatus.running.rawValue).fetchAll(db)
            }
        }
        let now = Date()
        let crashed = running.filter { effectiveStatus(of: $0) == .crashed }
        guard !crashed.isEmpty else { return [] }
        return try perform {
            try pool.write { db in
                var marked: [Int64] = []
                for run in crashed {
                    guard let id = run.id else { continue }
                    // Only if still running and silent: the process may have finished it, or
                    // written a heartbeat, since we looked.
                    try db.execute(
                        sql: """
                            UPDATE runs SET status = 'crashed', error_text = coalesce(error_text, ?)
                            WHERE id = ? AND status = 'running' AND heartbeat_at IS ?
                            """,
                        arguments: [RunLease.crashReason(of: run, hostName: hostName, now: now), id, run.heartbeatAt.map(Timestamp.text)])
                    if db.changesCount > 0 { marked.append(id) }
                }
                return marked
            }
        }
    }

    func withEffectiveStatus(_ run: RunRecord) -> RunRecord {
        var shown = run
        shown.status = effectiveStatus(of: run)
        return shown
    }
}
