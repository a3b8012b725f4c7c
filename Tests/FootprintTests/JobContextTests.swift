import Foundation
import Testing
import Vocabulary

@testable import Footprint

@Suite struct JobContextTests {
    @Test func slurmGivesTheKeyStepRankLocalRankWorldSizeAndNode() throws {
        let job = try #require(
            JobContext.detect(environment: [
                "SLURM_JOB_ID": "981", "SLURM_STEP_ID": "2", "SLURM_PROCID": "5", "SLURM_LOCALID": "1", "SLURM_NTASKS": "8",
                "SLURMD_NODENAME": "gpu-3", "CUDA_VISIBLE_DEVICES": "1", "SLURM_RESTART_COUNT": "1",
            ]))
        #expect(job == JobContext(key: "slurm:981.2", attempt: 1, rank: 5, localRank: 1, worldSize: 8, node: "gpu-3", visibleDevices: "1"))
        #expect(!job.readsHostMeters && job.hasOwnDevices)
    }

    @Test func torchrunGivesTheRunIDAndRestartCountButNotItsDefaultNone() throws {
        let environment = [
            "TORCHELASTIC_RUN_ID": "abc", "TORCHELASTIC_RESTART_COUNT": "2", "RANK": "0", "LOCAL_RANK": "0", "WORLD_SIZE": "2",
            "FOOTPRINT_HOST": "node-x",
        ]
        let job = try #require(JobContext.detect(environment: environment))
        #expect(job.key == "torchelastic:abc" && job.attempt == 2 && job.rank == 0 && job.node == "node-x" && job.readsHostMeters)
        #expect(JobContext.detect(environment: ["TORCHELASTIC_RUN_ID": "none", "RANK": "1"]) == nil)
    }

    @Test func anExplicitKeyWinsAndNothingMeansNoJob() throws {
        let job = try #require(JobContext.detect(explicitKey: "sweep-7", environment: ["SLURM_JOB_ID": "1", "LOCAL_RANK": "3"]))
        #expect(job.key == "sweep-7" && job.localRank == 3 && !job.readsHostMeters && !job.hasOwnDevices)
        #expect(JobContext.detect(environment: ["RANK": "2"]) == nil)
        #expect(JobContext.detect(explicitKey: "  ", environment: [:]) == nil)
        // One `footprint wrap` around a node's launcher has no local rank: it reads the node.
        #expect(JobContext.detect(explicitKey: "node-level", environment: [:])?.readsHostMeters == true)
    }
}
