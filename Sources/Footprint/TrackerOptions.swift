import Carbon
import Energy
import Foundation
import RunStore
import Vocabulary

/// Where a tracker records runs and how it measures and accounts for them.
public struct TrackerOptions: Sendable {
    /// The run store: a SQLite file (`footprint.sqlite` in the current directory unless `--db`
    /// or `FOOTPRINT_DB` says otherwise) or a PostgreSQL server, which needs ``storeOpener``.
    public var store: RunStoreLocation
    /// Opens ``store``; the default opens SQLite files only. Programs that link `RunStores`
    /// pass `RunStores.recordingOpener(fallback:)` to record into PostgreSQL too.
    public var storeOpener: RunStoreOpener = RunDatabase.fileOpener
    /// The job this process is one rank of, read from `--job`, Slurm or torchrun variables
    /// (nil: a run on its own). Local rank 0 reads the node's host meters; other ranks do not.
    public var job: JobContext?
    /// Energy meters: powercap roots, sampling interval, CPU watts override.
    public var meters: MeterOptions
    /// Grid intensity, PUE and embodied carbon.
    public var carbon: CarbonSettings
    /// Seconds of idle power to measure before a run, for net energy (nil: none).
    public var baselineSeconds: Double?
    /// Tags stored with every run.
    public var tags: [String]
    /// The command line to store with runs (the CLI sets it).
    public var commandLine: String?
    /// How long a write waits for another process's lock before failing
    /// (`FOOTPRINT_BUSY_TIMEOUT`, default 10 s).
    public var busyTimeoutSeconds: Double = RunDatabase.defaultBusyTimeoutSeconds
    /// Seconds between flushes of a wrapped run's samples and energy so far (default 5 s).
    public var flushIntervalSeconds: Double?
    /// Called with the run's figures so far every ``liveIntervalSeconds`` and once at the end,
    /// on a thread of its own (the metrics endpoint and the Pushgateway push use it).
    public var liveObserver: (@Sendable (LiveRunSnapshot) -> Void)?
    /// Seconds between calls of ``liveObserver`` (default: the meters' sampling interval).
    public var liveIntervalSeconds: Double?

    /// Creates options from explicit values.
    public init(
        store: RunStoreLocation = .file(path: RunDatabase.defaultFileName), meters: MeterOptions = MeterOptions(),
        carbon: CarbonSettings = CarbonSettings(), baselineSeconds: Double? = nil, tags: [String] = [],
        commandLine: String? = nil
    ) {
        self.store = store
        self.meters = meters
        self.carbon = carbon
        self.baselineSeconds = baselineSeconds
        self.tags = tags
        self.commandLine = commandLine
    }

    /// Creates options that record into the store a `--db` value names: a SQLite file's path
    /// or a `postgres://` URL, read once here.
    public init(
        databasePath: String, meters: MeterOptions = MeterOptions(), carbon: CarbonSettings = CarbonSettings(),
        baselineSeconds: Double? = nil, tags: [String] = [], commandLine: String? = nil
    ) {
        self.init(
            store: RunStoreLocation(databasePath), meters: meters, carbon: carbon, baselineSeconds: baselineSeconds, tags: tags,
            commandLine: commandLine)
    }

    /// Options from `FOOTPRINT_DB`, `FOOTPRINT_POWERCAP_ROOT`, `FOOTPRINT_METERS`,
    /// `FOOTPRINT_COUNTRY`, `FOOTPRINT_INTENSITY`, `FOOTPRINT_PUE`, `CUDA_VISIBLE_DEVICES`, and
    /// the job variables of Slurm and torchrun (see ``JobContext``).
    ///
    /// - Throws: `CarbonError` when a carbon variable does not parse; `EnergyError` for an
    ///   unknown name in `FOOTPRINT_METERS`.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> TrackerOptions {
        _ = try MeterOptions.meterChoice(from: environment)
        var options = TrackerOptions(
            store: RunStoreLocation(RunDatabase.resolvedPath(explicitPath: nil, environment: environment)),
            meters: MeterOptions.fromEnvironment(environment),
            carbon: try CarbonSettings.fromEnvironment(environment))
        options.busyTimeoutSeconds = busyTimeout(environment)
        options.job = JobContext.detect(environment: environment)
        return options
    }

    /// A program's arguments as a run stores them: joined by spaces, the password of a
    /// `postgres://user:password@…` argument replaced by `***`.
    ///
    /// - Parameter arguments: The program's arguments, its name first.
    /// - Returns: The command line to store.
    public static func storedCommandLine(_ arguments: [String]) -> String {
        arguments.map(RunStoreLocation.redacting).joined(separator: " ")
    }

    /// `FOOTPRINT_BUSY_TIMEOUT` in seconds when set to a positive number, else the default.
    public static func busyTimeout(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Double {
        guard let text = environment["FOOTPRINT_BUSY_TIMEOUT"], let value = Double(text), value > 0, value.isFinite else {
            return RunDatabase.defaultBusyTimeoutSeconds
        }
        return value
    }
}
