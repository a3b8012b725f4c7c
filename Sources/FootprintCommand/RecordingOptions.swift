import ArgumentParser
import Carbon
import Footprint
import FootprintMetrics
import RunStore
import RunStores
import Vocabulary

/// The options of a command that records runs (`train`, `wrap`): where the runs go, how they
/// are measured and accounted, the job they belong to, and what is written and published.
struct RecordingOptions: ParsableArguments {
    @OptionGroup var output: RecordingOutputOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var carbon: CarbonOptions
    @OptionGroup var meters: MeterFlags
    @OptionGroup var job: JobOption
    @OptionGroup var metrics: MetricsOptions

    /// The tracker these options describe, publishing to `live` when given.
    func makeTracker(live: LiveMetricsPublisher?) throws -> Tracker {
        try Self.makeTracker(store: store, carbon: carbon, meters: meters, job: job.context, live: live)
    }

    /// The tracker a recording command records with: into `--db`'s store (a server going on
    /// into `FOOTPRINT_FALLBACK_DB` should it stop answering), with the command line stored
    /// without a password.
    ///
    /// - Parameters:
    ///   - job: The job this process is a rank of (`--job`, Slurm, torchrun), or nil.
    ///   - live: Receives the runs' live snapshots (`--metrics-port`, `--pushgateway`).
    /// - Throws: `ValidationError` for carbon settings that cannot be used; `RunStoreError`
    ///   when the store cannot be opened.
    static func makeTracker(
        store: StoreOptions, carbon: CarbonOptions, meters: MeterFlags, job: JobContext? = nil, live: LiveMetricsPublisher? = nil
    ) throws -> Tracker {
        var options = TrackerOptions(
            store: store.location, meters: meters.meterOptions(), carbon: try carbon.settings(), baselineSeconds: meters.baselineSeconds,
            commandLine: TrackerOptions.storedCommandLine(CommandLine.arguments))
        options.busyTimeoutSeconds = TrackerOptions.busyTimeout()
        options.job = job
        if let live { options.liveObserver = { live.observe($0) } }
        options.storeOpener = RunStores.recordingOpener(fallback: .fromEnvironment(notice: { printError($0) }))
        do {
            return try Tracker(options: options)
        } catch let error as CarbonError {
            throw ValidationError("\(error)")
        }
    }
}
