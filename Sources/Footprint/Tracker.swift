import Carbon
import Energy
import Foundation
import Learning
import RunStore
import Synchronization
import Vocabulary
import RunModel

/// Records training runs in the store with their energy, carbon and quality.
///
/// Wrap any training loop:
///
/// ```swift
/// let tracker = try Tracker(options: .fromEnvironment())
/// try tracker.track(name: "my-mlp", model: "mlp:784-256-10", dataset: "mnist") { run in
///     for epoch in 1...10 {
///         let loss = trainOneEpoch()
///         try run.recordEpoch(EpochMetrics(index: epoch, trainLoss: loss))
///     }
///     run.setFinalMetrics(accuracy: 0.97)
/// }
/// ```
public final class Tracker: Sendable {
    /// The run store.
    public let database: any RunStorage
    public let options: TrackerOptions
    /// The options' carbon settings, resolved to a grid intensity when the tracker was made.
    package let carbonCalculator: CarbonCalculator

    /// Opens (or creates) the store and checks the carbon settings, before any work starts.
    ///
    /// - Throws: `RunStoreError` for a foreign, corrupted, newer or unwritable database;
    ///   `CarbonError` for an unknown country or a bad PUE.
    public init(options: TrackerOptions) throws {
        // Checked and resolved here, once, before the store is opened or any work starts.
        carbonCalculator = try CarbonCalculator(settings: options.carbon)
        self.options = options
        database = try options.storeOpener(options.store, options.busyTimeoutSeconds)
    }

    /// Runs `body` as a tracked run of kind `api`.
    ///
    /// The run is inserted as `running` before `body` starts; each `recordEpoch` is committed
    /// at once; the run ends `completed`, or `failed` with the error's text when `body` throws
    /// (the error is rethrown), or `interrupted` after SIGINT/SIGTERM when `StopSignal` is
    /// installed and `body` throws.
    ///
    /// - Parameters:
    ///   - name: A name for the run.
    ///   - model: A short model description, such as `"mlp:784-256-10"`.
    ///   - dataset: The dataset's name.
    ///   - hyperparameters: Stored as JSON.
    ///   - plannedEpochs: Lets the tracker predict the run's total cost as epochs finish.
    ///   - tags: Tags for this run, beside the options' (`repeated` passes its group here).
    ///   - body: The training loop; it reports through the `TrackedRun`.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws, or `RunStoreError` when the store fails.
    public func track<Result>(
        name: String, model: String, dataset: String? = nil, hyperparameters: [String: String] = [:],
        plannedEpochs: Int? = nil, tags: [String] = [], _ body: (TrackedRun) throws -> Result
    ) throws -> Result {
        var record = RunRecord(name: name, kind: .api, startedAt: Date(), host: "")
        record.modelName = model
        record.modelDescription = model
        record.dataset = dataset
        record.hyperparametersJSON = JSONText.encode(hyperparameters)
        record.tags = tags
        let session = try RunSession(database: database, options: options, record: record, calculator: carbonCalculator)
        session.plannedEpochs = plannedEpochs
        let run = TrackedRun(session: session)
        do {
            let result = try body(run)
            try run.storeFinalValues()
            try session.finish(status: .completed)
            return result
        } catch {
            let status: RunStatus = StopSignal.isRequested ? .interrupted : .failed
            try? run.storeFinalValues()
            _ = try? session.finish(status: status, errorText: "\(error)")
            throw error
        }
    }
}

/// The handle a tracked training loop reports through.
public final class TrackedRun: Sendable {
    let session: RunSession
    /// The final metrics set so far; a body may hand the run to other threads, so it is locked.
    private let finalMetrics = Mutex(QualityMetrics())

    init(session: RunSession) {
        self.session = session
    }

    /// The run's id in the store.
    public var id: Int64 { session.id }

    /// True once SIGINT or SIGTERM has been received: stop at the next convenient point and
    /// throw, and the run is recorded as `interrupted`.
    public var shouldStop: Bool { StopSignal.isRequested }

    /// The latest prediction of the whole run's time, energy and CO2e (after two epochs).
    public var prediction: RunPrediction? { session.latestPrediction }

    /// Commits one epoch, with the energy and time measured since the previous one.
    ///
    /// - Throws: `RunStoreError` when the store cannot be written.
    public func recordEpoch(_ metrics: EpochMetrics) throws {
        try session.recordEpoch(metrics)
    }

    /// Sets the final quality figures shown by `footprint show` and reports.
    public func setFinalMetrics(
        trainLoss: Double? = nil, validationLoss: Double? = nil, accuracy: Double? = nil, mse: Double? = nil, r2: Double? = nil
    ) {
        let set = QualityMetrics(trainLoss: trainLoss, validationLoss: validationLoss, accuracy: accuracy, mse: mse, r2: r2)
        finalMetrics.withLock { metrics in
            for name in QualityMetrics.names { if let value = set[name] { metrics[name] = value } }
        }
    }

    /// Writes the final metrics set during the run.
    func storeFinalValues() throws {
        var quality = finalMetrics.withLock { metrics in
            defer { metrics = QualityMetrics() }
            return metrics
        }
        guard !quality.isEmpty else { return }
        // Accuracy, MSE and R² are held-out figures when a validation loss was set.
        quality.split = quality.validationLoss != nil ? .validation : .train
        try session.database.insertMetrics(MetricRecord.rows(runID: session.id, quality: quality))
    }
}
