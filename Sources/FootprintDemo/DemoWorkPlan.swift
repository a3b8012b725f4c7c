import Footprint
import RunModel
import Vocabulary

/// The work a calibration chose for every experiment of a demo, with what it was made from,
/// so the reports can say why.
public struct DemoWorkPlan: Sendable {
    /// One choice per experiment, in the plan's order.
    public var choices: [DemoWorkChoice]
    /// The calibration that chose them (resolution, steps wanted, budget).
    public var calibration: DemoCalibration
    /// Wall seconds the calibration itself took.
    public var calibrationSeconds: Double

    /// Creates a work plan.
    ///
    /// - Parameters:
    ///   - choices: One per experiment.
    ///   - calibration: The calibration that chose them.
    ///   - calibrationSeconds: How long it took.
    public init(choices: [DemoWorkChoice], calibration: DemoCalibration, calibrationSeconds: Double) {
        self.choices = choices
        self.calibration = calibration
        self.calibrationSeconds = calibrationSeconds
    }

    /// Predicted seconds of all the trials.
    public var predictedSeconds: Double { choices.reduce(0) { $0 + $1.predictedSeconds } }

    /// The experiments with each one's chosen work given to every configuration.
    ///
    /// - Parameter experiments: The plan the choices were made for, in the same order.
    /// - Returns: The plan with the chosen epochs (or fits); an experiment without a choice is unchanged.
    public func apply(to experiments: [DemoExperiment]) -> [DemoExperiment] {
        experiments.map { experiment in
            guard let choice = choices.first(where: { $0.slug == experiment.slug }) else { return experiment }
            return experiment.withWork(choice.work)
        }
    }

    /// The index's section on the work: a paragraph on the rule, then one bullet per experiment.
    public var markdown: String {
        let calibration = calibration
        var paragraph =
            "A \(UnitFormat.seconds(calibrationSeconds)) calibration on this machine timed each configuration and chose each comparison's work so that its cheapest configuration runs for at least \(DemoWorkChoice.steps(calibration.wantedSteps)) resolution steps of the meter in use (\(calibration.resolution.source); one step ≈ \(UnitFormat.seconds(calibration.stepSeconds))), "
        paragraph +=
            "\(DemoWorkChoice.steps(calibration.wantedSteps / EnergyResolution.resolvedMultiple))× the \(DemoWorkChoice.steps(EnergyResolution.resolvedMultiple)) a figure needs to count. Every configuration of a comparison gets the same work, so their energies compare models, not durations. "
        let predicted = predictedSeconds
        paragraph +=
            predicted <= calibration.budgetSeconds
            ? "Training was predicted at \(UnitFormat.seconds(predicted)), within the \(UnitFormat.seconds(calibration.budgetSeconds)) budget."
            : "Training was predicted at \(UnitFormat.seconds(predicted)), over the \(UnitFormat.seconds(calibration.budgetSeconds)) budget even with the plan's own work: this machine is slower than the demo was sized for."
        let bullets = choices.map { "- \($0.title): \($0.explanation)" }
        return ([paragraph, ""] + bullets).joined(separator: "\n")
    }
}

extension DemoExperiment {
    /// What the experiment's work is counted in: fits for polynomials, epochs for MLPs.
    public var workUnit: DemoWorkUnit {
        runs.allSatisfy { $0.configuration.model.kindName == "poly" } && !runs.isEmpty ? .fits : .epochs
    }

    /// The experiment with `work` epochs (or fits) for every configuration.
    ///
    /// - Parameter work: Epochs or fits (at least 1).
    public func withWork(_ work: Int) -> DemoExperiment {
        var experiment = self
        for index in experiment.runs.indices { experiment.runs[index].configuration.epochs = max(work, 1) }
        return experiment
    }
}
