import Foundation
import RunStore
import Vocabulary

extension JobContext {
    /// The job this process belongs to, or nil when neither `explicitKey` nor the environment
    /// names one.
    ///
    /// - Parameters:
    ///   - explicitKey: `--job KEY`.
    ///   - environment: The process environment.
    public static func detect(explicitKey: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> JobContext?
    {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        func number(_ names: String...) -> Int? {
            for name in names { if let text = value(name), let parsed = Int(text) { return parsed } }
            return nil
        }
        let key: String
        if let explicitKey = explicitKey?.trimmingCharacters(in: .whitespaces), !explicitKey.isEmpty {
            key = explicitKey
        } else if let slurm = value("SLURM_JOB_ID") {
            key = "slurm:" + slurm + (value("SLURM_STEP_ID").map { "." + $0 } ?? "")
        } else if let elastic = value("TORCHELASTIC_RUN_ID"), elastic != "none" {
            key = "torchelastic:" + elastic
        } else {
            return nil
        }
        return JobContext(
            key: key,
            attempt: number("TORCHELASTIC_RESTART_COUNT", "SLURM_RESTART_COUNT"),
            rank: number("RANK", "SLURM_PROCID"),
            localRank: number("LOCAL_RANK", "SLURM_LOCALID"),
            worldSize: number("WORLD_SIZE", "SLURM_NTASKS"),
            node: value("SLURMD_NODENAME") ?? ProcessIdentity.currentHostName(environment: environment),
            visibleDevices: value("CUDA_VISIBLE_DEVICES"))
    }

    /// Writes the job's columns into `record`.
    public func apply(to record: inout RunRecord) {
        record.jobKey = key
        record.jobAttempt = attempt
        record.rank = rank
        record.localRank = localRank
        record.worldSize = worldSize
        record.node = node
        record.visibleDevices = visibleDevices
    }

    /// Why this rank reads no host meter, for the run's notes.
    var deferralNote: String {
        let who = localRank.map { "local rank \($0)" } ?? "this rank"
        return "\(who) of job \(key) reads no host meter: local rank 0 on \(node) measures the node "
            + "(RAPL, perf or the estimate), and this run's CPU time attributes that energy among the ranks"
    }
}
