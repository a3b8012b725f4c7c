import Foundation

/// Where runs are kept: the embedded SQLite file (``RunDatabase``) or a team's shared server
/// (the `PostgresRunStore` module). Everything that records or reads runs — the tracker, the
/// reports, the command line — goes through this interface, so both behave the same.
///
/// Calls are synchronous and thread-safe; each one is atomic. Errors are ``RunStoreError``s
/// that name the store (a server's address never includes its password).
public protocol RunStorage: AnyObject, Sendable {
    /// What the store is, for messages: a file path or a `postgres://user@host:port/db` address
    /// without its password.
    var locationDescription: String { get }

    // MARK: Writing

    /// Records a new run with status `running`, before its work starts.
    /// - Returns: The run's number in this store.
    @discardableResult
    func insertRun(_ run: RunRecord) throws -> Int64
    /// Replaces every column of an existing run with `run`'s fields.
    func updateRun(_ run: RunRecord) throws
    /// Ends a running run: sets its final status and end time, and the figures given.
    func finishRun(
        id: Int64, status: RunStatus, endedAt: Date, errorText: String?, exitStatus: Int32?,
        wallSeconds: Double?, cpuSeconds: Double?) throws
    /// Ends a running run in one transaction: last samples, energy per meter zone, every field
    /// of `run` and its final status.
    @discardableResult
    func completeRun(
        _ run: RunRecord, status: RunStatus, endedAt: Date, samples: [PowerSampleRecord],
        meterEnergy: [MeterEnergyRecord]
    ) throws -> RunRecord
    /// Says the run's process is alive at `date` (see ``RunLease``).
    func recordHeartbeat(runID: Int64, at date: Date) throws
    /// Deletes runs and everything recorded about them; returns how many were deleted.
    func deleteRuns(ids: [Int64]) throws -> Int
    /// Stores one finished epoch (replacing a row of the same index).
    func appendEpoch(_ epoch: EpochRecord) throws
    /// Stores a run's per-layer costs.
    func insertLayerCosts(_ layers: [LayerCostRecord]) throws
    /// Stores final metrics (replacing rows of the same split and name).
    func insertMetrics(_ metrics: [MetricRecord]) throws
    /// Stores the energy each meter zone counted.
    func insertMeterEnergy(_ meters: [MeterEnergyRecord]) throws
    /// Stores power samples.
    func insertPowerSamples(_ samples: [PowerSampleRecord]) throws
    /// Stores a whole run copied from another store — the record as it is (status, times,
    /// UUID) and every child row — in one transaction, under a new number.
    /// - Returns: The run's number in this store.
    @discardableResult
    func importRun(_ bundle: RunBundle) throws -> Int64
    /// Stores a whole run as ``importRun(_:)`` does, saying as it goes how many of its child
    /// rows are copied (a store that copies large runs in batches calls `progress` after each
    /// batch; the others once, at the end).
    /// - Returns: The run's number in this store.
    @discardableResult
    func importRun(_ bundle: RunBundle, progress: (ImportProgress) -> Void) throws -> Int64

    // MARK: Reading

    /// Runs, newest first, with crashed runs reported as such (see ``effectiveStatus(of:)``).
    func runs(_ query: RunQuery) throws -> [RunRecord]
    /// One run by number.
    func run(id: Int64) throws -> RunRecord
    /// One run by UUID, or nil.
    func run(uuid: String) throws -> RunRecord?
    /// How many runs the store holds.
    func runCount() throws -> Int
    /// A run's epochs, in order.
    func epochs(runID: Int64) throws -> [EpochRecord]
    /// A run's per-layer costs, in layer order.
    func layerCosts(runID: Int64) throws -> [LayerCostRecord]
    /// A run's final metrics.
    func metrics(runID: Int64) throws -> [MetricRecord]
    /// A run's power samples, in time order.
    func powerSamples(runID: Int64) throws -> [PowerSampleRecord]
    /// The energy each meter zone counted during a run.
    func meterEnergy(runID: Int64) throws -> [MeterEnergyRecord]

    // MARK: Liveness

    /// The status to show: a `running` run whose process is gone (same host) or whose
    /// heartbeat is older than the lease (another host) is `crashed`.
    func effectiveStatus(of run: RunRecord) -> RunStatus
    /// Stores `crashed` for every run ``effectiveStatus(of:)`` finds crashed; returns their ids.
    @discardableResult
    func markCrashedRuns() throws -> [Int64]

    /// The number the run the caller knows as `id` has in ``locationDescription``: `id` itself,
    /// except in a store that moved its runs to another (``FallbackRunStorage`` after a failover).
    func storedRunNumber(_ id: Int64) -> Int64

    /// Closes the store; later calls fail.
    func close() throws
}

extension RunStorage {
    /// Runs, newest first; every filter is optional.
    public func runs(
        limit: Int? = nil, model: String? = nil, status: RunStatus? = nil, tag: String? = nil, job: String? = nil
    ) throws -> [RunRecord] {
        try runs(RunQuery(limit: limit, model: model, status: status, tag: tag, job: job))
    }

    /// Ends a running run (see ``finishRun(id:status:endedAt:errorText:exitStatus:wallSeconds:cpuSeconds:)``),
    /// keeping every figure not given.
    public func finishRun(
        id: Int64, status: RunStatus, endedAt: Date = Date(), errorText: String? = nil,
        exitStatus: Int32? = nil, wallSeconds: Double? = nil
    ) throws {
        try finishRun(
            id: id, status: status, endedAt: endedAt, errorText: errorText, exitStatus: exitStatus,
            wallSeconds: wallSeconds, cpuSeconds: nil)
    }

    /// Ends a running run with its final figures (see ``completeRun(_:status:endedAt:samples:meterEnergy:)``).
    @discardableResult
    public func completeRun(
        _ run: RunRecord, status: RunStatus, endedAt: Date = Date(), samples: [PowerSampleRecord] = []
    ) throws -> RunRecord {
        try completeRun(run, status: status, endedAt: endedAt, samples: samples, meterEnergy: [])
    }

    /// Several runs with everything recorded about them, in the order asked.
    public func details(ids: [Int64]) throws -> [RunDetails] {
        try ids.map { id in
            RunDetails(
                run: try run(id: id), epochs: try epochs(runID: id), metrics: try metrics(runID: id),
                layerCosts: try layerCosts(runID: id), meterEnergy: try meterEnergy(runID: id))
        }
    }

    /// `id`: a store that keeps its runs where it numbered them.
    public func storedRunNumber(_ id: Int64) -> Int64 { id }

    /// Stores a whole run in one call, then reports every child row copied.
    @discardableResult
    public func importRun(_ bundle: RunBundle, progress: (ImportProgress) -> Void) throws -> Int64 {
        let id = try importRun(bundle)
        progress(ImportProgress(rowsCopied: bundle.childRowCount, rowsTotal: bundle.childRowCount))
        return id
    }

    /// A run and every child row, ready for ``importRun(_:)`` into another store.
    public func bundle(runID: Int64) throws -> RunBundle {
        guard let details = try details(ids: [runID]).first else { throw RunStoreError.runNotFound(id: runID) }
        return RunBundle(details: details, powerSamples: try powerSamples(runID: runID))
    }
}

/// The filters of ``RunStorage/runs(_:)``; nil means any.
public struct RunQuery: Sendable, Equatable {
    /// At most this many runs, newest first.
    public var limit: Int?
    /// A model name (`mlp:1-100-1`) or its family (`mlp`).
    public var model: String?
    /// One status, as ``RunStorage/effectiveStatus(of:)`` reports it.
    public var status: RunStatus?
    /// Runs carrying this tag.
    public var tag: String?
    /// Runs of this job key.
    public var job: String?

    /// A query; every filter defaults to any.
    public init(limit: Int? = nil, model: String? = nil, status: RunStatus? = nil, tag: String? = nil, job: String? = nil) {
        self.limit = limit
        self.model = model
        self.status = status
        self.tag = tag
        self.job = job
    }
}

/// A run with every row recorded about it: what ``RunStorage/importRun(_:)`` copies.
public struct RunBundle: Sendable, Equatable {
    /// The run, its epochs, metrics, layer costs and meter energy.
    public var details: RunDetails
    /// Its power samples.
    public var powerSamples: [PowerSampleRecord]

    /// A bundle of `details` and `powerSamples`.
    public init(details: RunDetails, powerSamples: [PowerSampleRecord]) {
        self.details = details
        self.powerSamples = powerSamples
    }
}

extension RunBundle {
    /// How many child rows (epochs, metrics, layer costs, meter energy, power samples) the
    /// bundle holds: what a copy of it writes besides the run's own row.
    public var childRowCount: Int {
        details.epochs.count + details.metrics.count + details.layerCosts.count + details.meterEnergy.count + powerSamples.count
    }
}

/// How far the copy of one run has gone (``RunStorage/importRun(_:progress:)``).
public struct ImportProgress: Sendable, Equatable {
    /// Child rows written so far.
    public var rowsCopied: Int
    /// Child rows the run has.
    public var rowsTotal: Int

    /// Progress of `rowsCopied` rows out of `rowsTotal`.
    public init(rowsCopied: Int, rowsTotal: Int) {
        self.rowsCopied = rowsCopied
        self.rowsTotal = rowsTotal
    }
}
