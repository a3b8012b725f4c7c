import Footprint
import RunModel

/// What a demo experiment's work is counted in.
public enum DemoWorkUnit: String, Sendable, Equatable {
    /// Passes over the training data of an MLP.
    case epochs
    /// Repeats of a polynomial's least-squares fit (each counted in its FLOPs).
    case fits

    /// `an epoch`, `a fit`.
    var one: String { self == .epochs ? "an epoch" : "a fit" }

    /// `trained 200 epochs`, `was fitted 170,000 times`.
    func done(_ work: Int) -> String {
        let count = UnitFormat.integer(Int64(work))
        switch self {
        case .epochs: return "trained \(count) epoch\(work == 1 ? "" : "s")"
        case .fits: return work == 1 ? "was fitted once" : "was fitted \(count) times"
        }
    }

    /// `200 epochs`, `170,000 fits`.
    ///
    /// - Parameter work: The count.
    public func count(_ work: Int) -> String {
        "\(UnitFormat.integer(Int64(work))) \(work == 1 ? String(rawValue.dropLast()) : rawValue)"
    }
}

/// The work ``DemoCalibration`` chose for one experiment, and why.
public struct DemoWorkChoice: Sendable, Equatable {
    /// The experiment's slug.
    public var slug: String
    /// The experiment's title.
    public var title: String
    /// Epochs or fits.
    public var unit: DemoWorkUnit
    /// The work every configuration of the experiment gets.
    public var work: Int
    /// The plan's own work, the least any configuration gets (the lecture's epochs; 1 fit).
    public var plannedWork: Int
    /// The work the cheapest configuration needs for the wanted steps.
    public var neededWork: Int
    /// Each configuration's cost in calibration, in the plan's order.
    public var costs: [DemoRunCost]
    /// Trials of each configuration.
    public var repeats: Int
    /// Seconds one resolution step of the meter takes.
    public var stepSeconds: Double
    /// Steps wanted for the cheapest configuration.
    public var wantedSteps: Double
    /// The training budget the choice was made within, seconds.
    public var budgetSeconds: Double
    /// Seconds recording each unit adds to a tracked run (an MLP's epoch; 0 for a fit).
    public var recordingSecondsPerUnit: Double
    /// Seconds tracking adds to each trial (meters, sampler, storing the run).
    public var trialOverheadSeconds: Double
    /// True when the budget allowed less work than the wanted steps need.
    public var limitedByBudget = false

    /// Predicted wall seconds of one tracked run of `cost`'s configuration at the chosen work,
    /// its recording included, the per-trial overhead not (so the run's figure is a little larger).
    public func seconds(_ cost: DemoRunCost) -> Double {
        cost.seconds(work: work) + recordingSecondsPerUnit * Double(work)
    }

    /// The configuration that takes least time at the chosen work.
    public var cheapest: DemoRunCost? {
        costs.min { seconds($0) < seconds($1) }
    }

    /// The cheapest configuration's predicted resolution steps at the chosen work.
    public var predictedSteps: Double {
        guard let cheapest, stepSeconds > 0 else { return .infinity }
        return seconds(cheapest) / stepSeconds
    }

    /// Predicted seconds of all the experiment's trials, the tracker's overhead per trial included.
    public var predictedSeconds: Double {
        Double(repeats) * costs.reduce(0) { $0 + seconds($1) + trialOverheadSeconds }
    }

    /// One sentence of Markdown for the index: what the cheapest configuration cost a unit in
    /// calibration, what the wanted steps need, the work chosen, and, when the budget did not
    /// allow the margin, that the figure falls short of it.
    public var explanation: String {
        guard let cheapest else { return "No configuration to calibrate; each \(unit.done(work))." }
        let need = "\(Self.steps(wantedSteps)) resolution steps need ≥ \(UnitFormat.seconds(wantedSteps * stepSeconds))"
        var text = "`\(cheapest.name)`, the cheapest, took \(UnitFormat.seconds(cheapest.secondsPerUnit)) \(unit.one) in calibration"
        if recordingSecondsPerUnit > 0 {
            text += " (\(UnitFormat.seconds(cheapest.secondsPerUnit + recordingSecondsPerUnit)) with its recording)"
        }
        text += "; \(need)"
        let steps = predictedSteps
        let predicted = "the cheapest predicted at \(UnitFormat.seconds(seconds(cheapest))), \(Self.steps(steps)) steps"
        if limitedByBudget {
            text +=
                " (\(unit.count(neededWork))), but the \(UnitFormat.seconds(budgetSeconds)) budget allowed \(unit.count(work)): every configuration \(unit.done(work)), \(predicted), "
            text +=
                steps >= 10
                ? "short of the \(Self.steps(wantedSteps)) wanted (10 is the least a figure needs to count)."
                : "fewer than the 10 a figure needs to count: expect it reported below resolution."
        } else if neededWork <= plannedWork && plannedWork > 1 {
            text +=
                " (\(unit.count(neededWork))), no more than the plan's \(unit.count(plannedWork)), so every configuration \(unit.done(work)) (\(predicted))."
        } else {
            text += ", so every configuration \(unit.done(work)) (\(predicted))."
        }
        return text
    }

    /// Whole steps, or `∞` when the meter has no step.
    static func steps(_ value: Double) -> String {
        value.isFinite ? UnitFormat.integer(Int64(value.rounded(.down))) : "∞"
    }
}
