import ArgumentParser
import Footprint
import Foundation
import Vocabulary

/// `--job KEY`: the job a recording is one rank of.
struct JobOption: ParsableArguments {
    @Option(
        name: .customLong("job"),
        help: ArgumentHelp(
            "Record this run as one rank of job KEY (default: slurm:$SLURM_JOB_ID[.$SLURM_STEP_ID], else torchelastic:$TORCHELASTIC_RUN_ID). Rank and node come from RANK/SLURM_PROCID, LOCAL_RANK/SLURM_LOCALID and the host name; local rank 0 reads the node's host meters.",
            valueName: "key"))
    var key: String?

    func validate() throws {
        if let key, key.trimmingCharacters(in: .whitespaces).isEmpty || key.count > 200 {
            throw ValidationError("--job needs a key of 1 to 200 characters, got '\(key)'.")
        }
    }

    /// The job from `--job` and the launcher's variables, or nil.
    var context: JobContext? { JobContext.detect(explicitKey: key) }
}
