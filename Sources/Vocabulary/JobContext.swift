import Foundation

/// The distributed job this process is one rank of, read from the launcher's variables, so
/// that every rank's run adds up to one job and no node is counted once per rank.
///
/// - The key: `--job KEY`, else `slurm:<SLURM_JOB_ID>` (`.<SLURM_STEP_ID>` when a step is set),
///   else `torchelastic:<TORCHELASTIC_RUN_ID>` (torchrun's default id `none` names no job).
/// - The attempt: `TORCHELASTIC_RESTART_COUNT`, else `SLURM_RESTART_COUNT`; each attempt's
///   ranks are runs of their own.
/// - Rank, local rank and world size: `RANK`/`SLURM_PROCID`, `LOCAL_RANK`/`SLURM_LOCALID`,
///   `WORLD_SIZE`/`SLURM_NTASKS`.
/// - The node: `SLURMD_NODENAME`, else the host name (`FOOTPRINT_HOST` overrides it).
///
/// Local rank 0 (or a process with no local rank: one `footprint wrap` per node around
/// `torchrun`) reads the node's host meters; other ranks read only the GPUs
/// `CUDA_VISIBLE_DEVICES` gives them, and their CPU time attributes the node's energy.
public struct JobContext: Sendable, Equatable {
    /// The job key every rank shares.
    public var key: String
    /// Which attempt of the job this is (0 first), when the launcher says.
    public var attempt: Int?
    /// Global rank.
    public var rank: Int?
    /// Rank on this node.
    public var localRank: Int?
    /// Ranks in the job.
    public var worldSize: Int?
    /// The node's name.
    public var node: String
    /// `CUDA_VISIBLE_DEVICES`, as given.
    public var visibleDevices: String?

    /// A job context from explicit values.
    public init(
        key: String, attempt: Int? = nil, rank: Int? = nil, localRank: Int? = nil, worldSize: Int? = nil,
        node: String, visibleDevices: String? = nil
    ) {
        self.key = key
        self.attempt = attempt
        self.rank = rank
        self.localRank = localRank
        self.worldSize = worldSize
        self.node = node
        self.visibleDevices = visibleDevices
    }

    /// Whether this rank reads the node's host meters (RAPL, perf, and GPUs when
    /// `CUDA_VISIBLE_DEVICES` does not split them): local rank 0, or no local rank at all.
    public var readsHostMeters: Bool { (localRank ?? 0) == 0 }

    /// Whether the GPUs this rank sees are its own (`CUDA_VISIBLE_DEVICES` is set), so it
    /// measures them even when it is not local rank 0.
    public var hasOwnDevices: Bool {
        guard let visibleDevices else { return false }
        return !visibleDevices.trimmingCharacters(in: .whitespaces).isEmpty
    }
}
