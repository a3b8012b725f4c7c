import Foundation
import GRDB
import Vocabulary

/// One row of `runs`: a training run, a wrapped command or a tracked loop, with what ran, where,
/// what it cost and what it emitted.
///
/// Storage only: the Footprint module fills these fields from its own types. Every field but
/// the identity and timing is optional, because a wrapped shell script has no FLOPs and a run on
/// a machine without meters has no measured energy; a missing value is `NULL`, never a zero.
/// Columns are the snake_case of the property names (see ``CodingKeys``), so SQL users can read
/// them off this declaration.
public struct RunRecord: Codable, Sendable, Equatable {
    // MARK: Identity and lifecycle (v1)

    /// The row id (`runs.id`), nil until inserted. Run ids are never reused.
    public var id: Int64?
    /// A human name for the run (`mlp-h100`, the wrapped command's first word).
    public var name: String
    /// What produced the run.
    public var kind: RunKind
    /// The stored status. Reads through ``RunDatabase`` report `crashed` for a dead `running` run.
    public var status: RunStatus
    /// When the run was inserted, UTC.
    public var startedAt: Date
    /// When the run ended, UTC; nil while running.
    public var endedAt: Date?

    // MARK: Machine and process (v1)

    /// Host name of the machine that ran it (crash detection only trusts the same host).
    public var host: String
    /// Process id of the recording process.
    public var pid: Int32?
    /// Start time of that process in clock ticks since boot (`/proc/<pid>/stat` field 22), to
    /// tell the run's process from a later one that reuses its pid.
    public var processStartTicks: Int64?
    /// Operating system name and version, e.g. `Ubuntu 24.04.1 LTS`.
    public var os: String?
    /// Kernel release, e.g. `6.8.0-45-generic`.
    public var kernel: String?
    /// CPU model name as the OS reports it.
    public var cpuModel: String?
    /// Logical CPUs available to the run.
    public var cpuCount: Int?
    /// Physical memory of the machine in bytes.
    public var memoryBytes: Int64?

    // MARK: What ran (v1)

    /// The command line, for `wrap` runs and the CLI.
    public var command: String?
    /// A human description of the model (`MLP 1-100-1, tanh, Adam`).
    public var modelDescription: String?
    /// A short, filterable model name: `mlp:1-100-1`, `poly:3`.
    public var modelName: String?
    /// Trainable parameters.
    public var parameterCount: Int64?
    /// Dataset name.
    public var dataset: String?
    /// Task: `regression`, `classification`, …
    public var task: String?
    /// Hyper-parameters as a JSON object (learning rate, epochs, batch size, …).
    public var hyperparametersJSON: String?
    /// Random seed as a signed 64-bit integer (SQLite has no unsigned type); see ``unsignedSeed``.
    public var seed: Int64?
    /// `git rev-parse HEAD` of the working directory, when it is a repository.
    public var gitCommit: String?
    /// Free tags, stored as a JSON array of strings (`["baseline","h100"]`).
    public var tags: [String]
    /// Why the run failed, crashed or was interrupted.
    public var errorText: String?
    /// Exit status of a wrapped command (128 + signal when it died of one).
    public var exitStatus: Int32?

    // MARK: Work done (v1)

    /// Wall-clock duration.
    public var wallSeconds: Double?
    /// CPU time of the run's process tree (user + system).
    public var cpuSeconds: Double?
    /// Floating-point operations in forward passes over training data.
    public var flopsForward: Int64?
    /// Floating-point operations in backward passes.
    public var flopsBackward: Int64?
    /// Floating-point operations in optimizer steps.
    public var flopsOptimizer: Int64?
    /// Floating-point operations evaluating metrics.
    public var flopsEvaluation: Int64?
    /// All floating-point operations of the run.
    public var flopsTotal: Int64?
    /// The part of ``flopsTotal`` done in matrix multiplications.
    public var flopsMatmul: Int64?
    /// Seconds per phase as a JSON object (`{"forward":1.2,"backward":2.3,…}`).
    public var phaseSecondsJSON: String?
    /// The matrix-multiply kernel used (`avx512`, `avx2`, `scalar`).
    public var gemmKernel: String?
    /// Training samples processed, all epochs together.
    public var samplesProcessed: Int64?
    /// Time, energy and CO2e predicted during the run, with intervals, as JSON.
    public var predictionJSON: String?

    // MARK: Energy (v2)

    /// Whole-machine energy over the run, every meter in the total counted once.
    public var energyJoules: Double?
    /// The run's process tree's share of ``energyJoules`` by CPU time.
    public var attributedJoules: Double?
    /// Whether the energy was measured or estimated; never nil when ``energyJoules`` is set.
    public var energyProvenance: EnergyProvenance?
    /// Idle power measured before the run (`--baseline`).
    public var idleWatts: Double?
    /// ``energyJoules`` minus idle power over the run.
    public var netJoules: Double?
    /// Meter notes as JSON: meters tried, why one was unavailable, warnings.
    public var energyNotesJSON: String?
    /// The estimate's model and constants when ``energyProvenance`` is `estimated`.
    public var estimateModel: String?

    // MARK: Resolution (v4)

    /// The smallest energy step the run's meters can show, joules (61 µJ for RAPL; 0 for the
    /// estimate, whose resolution is its clock). A figure under ten steps is not a result.
    public var energyResolutionJoules: Double?
    /// The meters' update period, seconds (1 ms for RAPL, 10 ms for the estimate's /proc/stat
    /// ticks). A figure over less than ten periods is not a result.
    public var energyResolutionSeconds: Double?
    /// What sets the resolution, in words (`rapl: 2^-14 J steps, ~1 ms updates`).
    public var energyResolutionSource: String?

    // MARK: Bridged energy (v6)

    /// Joules of ``energyJoules`` bridged across intervals a counter lost (a reset, a glitch, a
    /// failed read), from each zone's power either side; nil when nothing was bridged.
    public var bridgedJoules: Double?
    /// The least the true energy can be once bridges are allowed for (every bridge held
    /// nothing); nil when nothing was bridged.
    public var energyMinimumJoules: Double?
    /// The most the true energy can be once bridges are allowed for (each zone at its peak
    /// power over its gaps); nil when nothing was bridged.
    public var energyMaximumJoules: Double?
    /// Whether the energy is a result as the run judged it: false when it is below resolution or
    /// more than 5 % of it is bridged. Nil for runs stored before schema 6, which are judged
    /// by their resolution alone.
    public var energyResolved: Bool?

    // MARK: Wrapped programs' model facts (v7)

    /// Seconds from the start of a wrapped program to its `train_begin` event: its startup
    /// (imports, data loading), never charged to an epoch; nil when the program sent none.
    public var startupSeconds: Double?
    /// Energy over ``startupSeconds`` (part of ``energyJoules``); nil when the startup or the
    /// energy is unknown.
    public var startupJoules: Double?
    /// Training FLOPs per sample a wrapped program declared (forward + backward); ``flopsTotal``
    /// is this times the samples of its epochs.
    public var flopsPerSample: Int64?
    /// Facts a wrapped program sent that Footprint has no column for, as a JSON object of
    /// numbers, strings and booleans; nil when none.
    public var extraFactsJSON: String?

    // MARK: Identity across machines, jobs and liveness (v5)

    /// A random UUID (lowercase text) given when the record is made: the run's identity in
    /// every store, so `footprint sync` copies a run once however often it runs. ``id`` is
    /// only its number in one store.
    public var uuid: String
    /// The job the run is one rank of: `--job`, or `slurm:<SLURM_JOB_ID>[.<SLURM_STEP_ID>]`, or
    /// `torchelastic:<TORCHELASTIC_RUN_ID>`; nil for a run on its own.
    public var jobKey: String?
    /// Which attempt of the job (`TORCHELASTIC_RESTART_COUNT`, 0 first); each attempt's ranks are
    /// runs of their own.
    public var jobAttempt: Int?
    /// Global rank in the job (`RANK`, `SLURM_PROCID`).
    public var rank: Int?
    /// Rank on its node (`LOCAL_RANK`, `SLURM_LOCALID`); local rank 0 reads the node's host meters.
    public var localRank: Int?
    /// Ranks in the job (`WORLD_SIZE`, `SLURM_NTASKS`), when known.
    public var worldSize: Int?
    /// The node the rank ran on: Slurm's node name, else ``host``.
    public var node: String?
    /// `CUDA_VISIBLE_DEVICES` as the run saw it: the GPUs it may measure.
    public var visibleDevices: String?
    /// The last time the recording process said it was alive. A `running` run from another host
    /// is crashed once this (or its start) is older than ``RunLease/seconds``.
    public var heartbeatAt: Date?

    // MARK: Carbon (v3)

    /// Operational plus embodied emissions, grams CO2-equivalent.
    public var gramsCO2e: Double?
    /// Low end of the uncertainty range of ``gramsCO2e``.
    public var gramsCO2eLow: Double?
    /// High end of the uncertainty range of ``gramsCO2e``.
    public var gramsCO2eHigh: Double?
    /// Grid carbon intensity used, gCO2e per kWh.
    public var intensityGramsPerKilowattHour: Double?
    /// Where the intensity came from (`Ember 2023`, `--intensity`).
    public var intensitySource: String?
    /// The year the intensity describes.
    public var intensityYear: Int?
    /// ISO 3166 alpha-3 country code of the grid.
    public var country: String?
    /// Power usage effectiveness applied.
    public var pue: Double?
    /// The embodied (manufacturing) share of ``gramsCO2e``, stated separately.
    public var embodiedGrams: Double?
    /// Embodied emissions of the whole machine, kilograms CO2e (`--embodied-kg`).
    public var embodiedKilograms: Double?
    /// Lifetime the embodied emissions are amortised over (`--lifetime-years`).
    public var lifetimeYears: Double?

    /// Creates a run record with its identity; every measured field starts nil.
    ///
    /// - Parameters:
    ///   - name: A human name for the run.
    ///   - kind: What produced it.
    ///   - startedAt: When it started (stored to the millisecond, UTC).
    ///   - host: The host name; ``ProcessIdentity/current()`` gives this machine's.
    ///   - status: The initial status; ``RunDatabase/insertRun(_:)`` always stores `running`.
    public init(name: String, kind: RunKind, startedAt: Date, host: String, status: RunStatus = .running) {
        self.name = name
        self.kind = kind
        self.status = status
        self.startedAt = startedAt
        self.host = host
        self.tags = []
        self.uuid = UUID().uuidString.lowercased()
    }

    /// ``seed`` read as the unsigned 64-bit value generators take (bit pattern preserved).
    public var unsignedSeed: UInt64? {
        get { seed.map { UInt64(bitPattern: $0) } }
        set { seed = newValue.map { Int64(bitPattern: $0) } }
    }
}
