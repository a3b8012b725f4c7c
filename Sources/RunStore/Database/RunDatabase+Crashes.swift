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
        guard run.status == .running, run.host == hostName, let pid = run.pid else { return run.status }
        return processTable.liveness(pid: pid, startTicks: run.processStartTicks) == .gone ? .crashed : .running
    }

    /// Persists `crashed` for every run that ``effectiveStatus(of:)`` finds crashed, with an
    /// error text naming the vanished process. The end time stays empty: when the process died
    /// is not known.
    ///
    /// - Returns: The ids of the runs marked.
    /// - Throws: ``RunStoreError``.
    @discardableResult
    public func markCrashedRuns() throws -> [Int64] {
        let running = try perform {
            try pool.read { db in
                try RunRecord.filter(RunRecord.Field.status == RunStatus.running.rawValue)
                    .filter(RunRecord.Field.host == hostName)
                    .fetchAll(db)
            }
        }
        let crashed = running.filter { effectiveStatus(of: $0) == .crashed }
        guard !crashed.isEmpty else { return [] }
        let when = Timestamp.text(Date())
        return try perform {
            try pool.write { db in
                var marked: [Int64] = []
                for run in crashed {
                    guard let id = run.id, let pid = run.pid else { continue }
                    // Only if still running: the process may have finished it since we looked.
                    try db.execute(
                        sql: """
                            UPDATE runs SET status = 'crashed', error_text = coalesce(error_text, ?)
                            WHERE id = ? AND status = 'running'
                            """,
                        arguments: [
                            "process \(pid) on \(hostName) ended without finishing the run "
                                + "(found gone at \(when))", id,
                        ])
                    if db.changesCount > 0 { marked.append(id) }
                }
                return marked
            }
        }
    }

    /// `run` with ``effectiveStatus(of:)`` in place of its stored status.
    func withEffectiveStatus(_ run: RunRecord) -> RunRecord {
        var shown = run
        shown.status = effectiveStatus(of: run)
        return shown
    }
}
