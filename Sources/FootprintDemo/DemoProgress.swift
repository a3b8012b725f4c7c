import Footprint
import RunModel

/// A moment in a demo, for its progress lines.
public enum DemoProgress: Sendable {
    /// A trial is about to train.
    case trialStarted(DemoTrial)
    /// A trial finished and is recorded.
    case trialFinished(RunDocument)

    /// The line to show: `[3/30] poly d=3 (seed-regression), trial 3/3…` before a trial,
    /// its figures, indented, after it.
    public var line: String {
        switch self {
        case .trialStarted(let trial):
            "[\(trial.number)/\(trial.total)] \(trial.runName) (\(trial.dataset)), trial \(trial.trial)/\(trial.repeats)…"
        case .trialFinished(let document):
            "        " + document.oneLineSummary
        }
    }
}

/// Which trial of the plan is running.
public struct DemoTrial: Sendable, Equatable {
    /// 1-based position among all the plan's trials.
    public var number: Int
    /// Trials in the plan.
    public var total: Int
    /// The configuration's name (`terrain H=100`).
    public var runName: String
    /// The dataset's catalog name.
    public var dataset: String
    /// 1-based trial of this configuration.
    public var trial: Int
    /// Trials of this configuration.
    public var repeats: Int

    init(number: Int, total: Int, run: DemoRun, dataset: String, trial: Int, repeats: Int) {
        self.number = number
        self.total = total
        runName = run.name
        self.dataset = dataset
        self.trial = trial
        self.repeats = repeats
    }
}
