import Footprint
import RunModel

/// What ``DemoRunner`` recorded: the runs of every experiment, in the plan's order.
public struct DemoResults: Sendable {
    /// One result per experiment of the plan.
    public var experiments: [DemoExperimentResult]
    /// Wall seconds from the first trial's start to the last one's end.
    public var seconds: Double

    /// Every trial's document, in the order they ran.
    public var documents: [RunDocument] { experiments.flatMap(\.documents) }

    /// Creates results.
    ///
    /// - Parameters:
    ///   - experiments: One per experiment.
    ///   - seconds: Wall seconds the runs took.
    public init(experiments: [DemoExperimentResult], seconds: Double) {
        self.experiments = experiments
        self.seconds = seconds
    }
}

/// The runs of one experiment.
public struct DemoExperimentResult: Sendable {
    public var experiment: DemoExperiment
    /// One per configuration, in the plan's order.
    public var configurations: [DemoConfigurationResult]
    /// Every trial's document, configuration by configuration, trial by trial.
    public var documents: [RunDocument]

    /// Creates an experiment's result.
    ///
    /// - Parameters:
    ///   - experiment: The experiment as planned.
    ///   - configurations: Its configurations' runs.
    ///   - documents: Every trial's document, in order.
    public init(experiment: DemoExperiment, configurations: [DemoConfigurationResult], documents: [RunDocument]) {
        self.experiment = experiment
        self.configurations = configurations
        self.documents = documents
    }
}

/// The trials of one configuration, tagged as one repeat group.
public struct DemoConfigurationResult: Sendable, Equatable {
    /// The configuration's name (`terrain H=100`).
    public var name: String
    /// The `repeat:` tag every trial carries.
    public var group: String
    /// Run ids of the trials, in order; the first has the configuration's own report.
    public var runIDs: [Int64]

    /// Creates a configuration's result.
    ///
    /// - Parameters:
    ///   - run: The configuration as planned.
    ///   - group: Its repeat group tag.
    ///   - runIDs: Its trials' run ids.
    public init(run: DemoRun, group: String, runIDs: [Int64]) {
        name = run.name
        self.group = group
        self.runIDs = runIDs
    }
}
