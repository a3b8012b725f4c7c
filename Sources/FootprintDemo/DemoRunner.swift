import Footprint
import Learning
import Vocabulary
import RunModel

/// Runs a demo plan: every configuration of every experiment, `repeats` times, each trial a
/// tracked training tagged `demo`, `demo:<slug>` and the configuration's repeat group.
///
/// It records runs and returns their ids and documents; writing reports from them is the
/// `Reporting` module's `DemoReports`.
///
///     let runner = DemoRunner(tracker: tracker, experiments: DemoPlan.experiments(seed: 42))
///     let results = try runner.run { print($0.line) }
public struct DemoRunner: Sendable {
    /// Records every trial.
    public var tracker: Tracker
    /// The plan; ``DemoPlan/experiments(seed:)`` for the lecture's.
    public var experiments: [DemoExperiment]
    /// Threads for the matrix kernel, applied to every configuration.
    public var threads: Int

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - tracker: Records the runs.
    ///   - experiments: The plan (default: the lecture's, seed 42).
    ///   - threads: Threads for the matrix kernel.
    public init(tracker: Tracker, experiments: [DemoExperiment] = DemoPlan.experiments(), threads: Int = 1) {
        self.tracker = tracker
        self.experiments = experiments
        self.threads = threads
    }

    /// Trials in the whole plan.
    public var totalRuns: Int {
        experiments.reduce(0) { $0 + $1.runs.count * $1.repeats }
    }

    /// The line that opens a demo: `footprint demo: 30 runs into footprint.sqlite; reports in Reports/`.
    ///
    /// - Parameter reportsDirectory: Where the reports will go.
    public func announcement(reportsDirectory: String) -> String {
        "footprint demo: \(totalRuns) runs into \(tracker.database.locationDescription); reports in \(reportsDirectory)/"
    }

    /// What to tell a user whose demo was stopped by a signal.
    public static let stoppedAdvice =
        "Demo stopped; the runs finished so far are recorded. Run `footprint compare --tag demo` to compare them."

    /// Trains every trial of the plan, in order.
    ///
    /// - Parameter progress: Called before and after each trial, on the calling thread.
    /// - Returns: The recorded runs, per experiment and per configuration.
    /// - Throws: `LearningError` for a dataset that does not load; `TrackedRunError` for a trial
    ///   that fails or is interrupted (``stoppedAdvice`` says what to do then; the trials before
    ///   it stay recorded); `RunStoreError` when the store cannot be read.
    public func run(progress: (DemoProgress) -> Void = { _ in }) throws -> DemoResults {
        let start = Clocks.monotonicSeconds()
        let total = totalRuns
        var finished = 0
        var results: [DemoExperimentResult] = []
        for experiment in experiments {
            let dataset = try DatasetCatalog.load(experiment.dataset)
            var configurations: [DemoConfigurationResult] = []
            for demoRun in experiment.runs {
                var configuration = demoRun.configuration
                configuration.threads = threads
                let group = RepeatedRuns.makeGroupTag()
                var ids: [Int64] = []
                for trial in 1...max(experiment.repeats, 1) {
                    finished += 1
                    progress(
                        .trialStarted(
                            DemoTrial(
                                number: finished, total: total, run: demoRun, dataset: experiment.dataset, trial: trial,
                                repeats: experiment.repeats)))
                    let outcome = try tracker.train(
                        dataset, configuration: configuration, name: demoRun.name, tags: ["demo", "demo:\(experiment.slug)", group])
                    ids.append(outcome.runID)
                    let document = try RunDocument.load(id: outcome.runID, from: tracker.database)
                    progress(.trialFinished(document))
                }
                configurations.append(DemoConfigurationResult(run: demoRun, group: group, runIDs: ids))
            }
            let documents = try RunDocument.load(ids: configurations.flatMap(\.runIDs), from: tracker.database)
            results.append(DemoExperimentResult(experiment: experiment, configurations: configurations, documents: documents))
        }
        return DemoResults(experiments: results, seconds: Clocks.monotonicSeconds() - start)
    }
}
