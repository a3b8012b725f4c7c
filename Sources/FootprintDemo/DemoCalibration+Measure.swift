import Footprint
import Energy
import Learning
import Vocabulary

extension DemoCalibration {
    /// Calibrates the demo on this machine: trains every configuration briefly, untracked, with
    /// the meters the runs will use reading beside it, times what tracking adds
    /// (``measureTracking(options:shouldStop:)``), and chooses each experiment's work.
    ///
    /// The meter's resolution and the machine's power come from that reading, so the choice is
    /// for the meter that will measure the runs (RAPL's 61 µJ steps, NVML's 100 ms, the
    /// estimate's 10 ms ticks).
    ///
    /// - Parameters:
    ///   - experiments: The plan; each configuration's planned epochs are the least it gets.
    ///   - options: The tracker's options: its meters are the ones the runs will use.
    ///   - threads: Threads for the matrix kernel, as the runs will use.
    ///   - wantedSteps: Resolution steps wanted for each experiment's cheapest configuration.
    ///   - budgetSeconds: Seconds of training the demo may take.
    ///   - shouldStop: Polled while training; true stops with `LearningError.interrupted`.
    /// - Returns: The work chosen for every experiment, and why.
    /// - Throws: `LearningError` for a dataset that does not load or a stop;
    ///   `EnergyError.noMeterAvailable` when not even the estimate opens; `RunStoreError` when
    ///   the scratch store for timing the tracking cannot be written.
    public static func measure(
        _ experiments: [DemoExperiment], options: TrackerOptions, threads: Int = 1, wantedSteps: Double = resolutionSteps,
        budgetSeconds: Double = defaultBudgetSeconds, shouldStop: @escaping () -> Bool = { false }
    ) throws -> DemoWorkPlan {
        let start = Clocks.monotonicSeconds()
        let datasets = try experiments.map { try DatasetCatalog.load($0.dataset) }
        var meterOptions = options.meters
        if meterOptions.processCPUSeconds == nil { meterOptions.processCPUSeconds = { Clocks.processCPUSeconds() } }
        let monitor = EnergyMonitor(options: meterOptions)
        try monitor.start()
        let cpuStart = Clocks.processCPUSeconds()
        let hooks = TrainingHooks(shouldStop: shouldStop)
        let costs: [[DemoRunCost]]
        do {
            // Resolution and power are read after the probes, so the choice waits for them.
            let probe = DemoCalibration(resolution: .estimate(ticksPerSecond: 100))
            costs = try zip(experiments, datasets).map { experiment, dataset in
                try experiment.runs.map { run in
                    try probe.measure(run.name) { work in
                        var configuration = run.configuration
                        configuration.epochs = work
                        configuration.threads = threads
                        let began = Clocks.monotonicSeconds()
                        _ = try Trainer(configuration: configuration, dataset: dataset).train(hooks: hooks)
                        return Clocks.monotonicSeconds() - began
                    }
                }
            }
        } catch {
            _ = monitor.stop(processCPUSeconds: nil)
            throw error
        }
        let measurement = monitor.stop(processCPUSeconds: Clocks.processCPUSeconds() - cpuStart)
        let watts = measurement.seconds > 0 ? measurement.joules / measurement.seconds : nil
        let tracking = try measureTracking(options: options, shouldStop: shouldStop)
        let calibration = DemoCalibration(
            resolution: measurement.resolution, watts: watts, wantedSteps: wantedSteps, budgetSeconds: budgetSeconds,
            tracking: tracking)
        return DemoWorkPlan(
            choices: calibration.choose(experiments, costs: costs), calibration: calibration,
            calibrationSeconds: Clocks.monotonicSeconds() - start)
    }
}
