import Footprint
import Vocabulary

/// Chooses each demo experiment's work (epochs, or repeats of the polynomial fit) on the
/// machine at hand, so that its cheapest configuration runs for at least ``resolutionSteps``
/// resolution steps of the meter in use, and every configuration gets the same work.
///
/// A fixed number of epochs resolves on one machine and not on a faster one: a CPU twice as
/// fast halves every run. So the demo times each configuration briefly (``measure(_:cost:)``),
/// then sets the work from the cheapest one's time per unit (``choose(_:costs:)``), within a
/// time budget; where the budget cannot buy the margin, the choice says so rather than pretend.
///
///     let calibration = DemoCalibration(resolution: .estimate(ticksPerSecond: 100), watts: 8)
///     let choices = try calibration.calibrate(DemoPlan.experiments()) { experiment, run, work in
///         try timeOneTraining(run, work)
///     }
public struct DemoCalibration: Sendable {
    /// Resolution steps the cheapest configuration must run for: three times the
    /// ``EnergyResolution/resolvedMultiple`` a figure needs to count, so a slower trial or a
    /// calibration that ran on a quiet moment still leaves the figure well above noise.
    public static let resolutionSteps = 30.0
    /// Seconds of training the whole demo may take, so that with the calibration, the tracker's
    /// own work and the reports it stays under two minutes on a slow 2-vCPU VM.
    public static let defaultBudgetSeconds = 90.0
    /// Power assumed, at least, to turn a meter's energy step into time: a CPU computing draws
    /// more than a watt, so a step of `s` joules takes at most `s` seconds to count.
    public static let floorWatts = 1.0
    /// The resolution of the meter that will measure the runs.
    public var resolution: EnergyResolution
    /// The machine's power during the calibration, watts, when the meter read one: it turns
    /// an energy step into seconds. Nil or smaller values use ``floorWatts``.
    public var watts: Double?
    /// Resolution steps wanted for the cheapest configuration (``resolutionSteps``).
    public var wantedSteps: Double
    /// Seconds of training, all experiments and trials together, the work may cost.
    public var budgetSeconds: Double
    /// A probe is doubled until it takes at least this long, so its time is not the clock's noise.
    public var probeSeconds: Double
    /// What tracking adds to each trial and each recorded epoch (``measureTracking(options:shouldStop:)``).
    public var tracking: DemoTrackingCost

    /// Creates a calibration.
    ///
    /// - Parameters:
    ///   - resolution: The resolution of the meter in use.
    ///   - watts: Power measured while calibrating, or nil.
    ///   - wantedSteps: Steps wanted for each experiment's cheapest configuration.
    ///   - budgetSeconds: Training seconds the demo may take.
    ///   - probeSeconds: The shortest probe that counts.
    ///   - tracking: What tracking adds to a trial and an epoch.
    public init(
        resolution: EnergyResolution, watts: Double? = nil, wantedSteps: Double = Self.resolutionSteps,
        budgetSeconds: Double = Self.defaultBudgetSeconds, probeSeconds: Double = 0.02, tracking: DemoTrackingCost = .assumed
    ) {
        self.tracking = tracking
        self.resolution = resolution
        self.watts = watts
        self.wantedSteps = wantedSteps
        self.budgetSeconds = budgetSeconds
        self.probeSeconds = probeSeconds
    }

    /// Seconds one resolution step takes: the meter's update period, or the time its energy step
    /// takes to count at the measured power (at least ``floorWatts``), whichever is longer.
    public var stepSeconds: Double {
        let watts = max(watts ?? Self.floorWatts, Self.floorWatts)
        return max(resolution.periodSeconds, resolution.stepJoules / watts)
    }

    /// Seconds the cheapest configuration must run: ``wantedSteps`` × ``stepSeconds``.
    public var requiredSeconds: Double { wantedSteps * stepSeconds }

    /// Times one configuration: doubles the work until a probe takes ``probeSeconds``, then
    /// times that work and twice it (the faster of two tries each, so a burst of another
    /// process's work does not count) and splits the time into a fixed part and a part per unit.
    ///
    /// - Parameters:
    ///   - name: The configuration's name, for the choice's text.
    ///   - cost: Wall seconds of one training of the given work (≥ 1).
    /// - Returns: The configuration's cost.
    /// - Throws: What `cost` throws.
    public func measure(_ name: String, cost: (Int) throws -> Double) throws -> DemoRunCost {
        var work = 1
        var seconds = try cost(work)
        // 2^20 units is far past any probe a real configuration needs; it bounds a cost that
        // reports no time at all.
        while seconds < probeSeconds && work < 1 << 20 {
            work *= 2
            seconds = try cost(work)
        }
        let once = min(seconds, try cost(work))
        let twice = min(try cost(2 * work), try cost(2 * work))
        // The extra work's time is the cost per unit; noise can make it smaller than it is, so it
        // is taken as at least half the average (the fixed part at most half of the probe).
        let perUnit = max(twice - once, twice / 4) / Double(work)
        return DemoRunCost(name: name, fixedSeconds: max(0, once - perUnit * Double(work)), secondsPerUnit: perUnit)
    }

    /// Times every configuration of every experiment, then chooses each experiment's work.
    ///
    /// - Parameters:
    ///   - experiments: The plan; each configuration's planned epochs are the least work it gets.
    ///   - cost: Wall seconds of one training of a configuration with the given work.
    /// - Returns: One choice per experiment, in the plan's order.
    /// - Throws: What `cost` throws.
    public func calibrate(
        _ experiments: [DemoExperiment], cost: (DemoExperiment, DemoRun, Int) throws -> Double
    ) throws -> [DemoWorkChoice] {
        let costs = try experiments.map { experiment in
            try experiment.runs.map { run in try measure(run.name) { try cost(experiment, run, $0) } }
        }
        return choose(experiments, costs: costs)
    }

    /// Chooses each experiment's work from its configurations' costs.
    ///
    /// The work is what the cheapest configuration needs for ``requiredSeconds`` (rounded up to
    /// two significant digits), and never less than the plan's epochs. An MLP's time per epoch
    /// includes recording the epoch (``tracking``), since a tracked run's wall time does. When the whole demo would
    /// exceed ``budgetSeconds``, the work above the plan's is scaled down, the same fraction for
    /// every experiment, until it fits; those choices are marked ``DemoWorkChoice/limitedByBudget``.
    ///
    /// - Parameters:
    ///   - experiments: The plan.
    ///   - costs: Each experiment's configurations' costs, in the plan's order.
    /// - Returns: One choice per experiment.
    public func choose(_ experiments: [DemoExperiment], costs: [[DemoRunCost]]) -> [DemoWorkChoice] {
        let drafts = zip(experiments, costs).map { experiment, costs in
            let planned = max(experiment.runs.map(\.configuration.epochs).max() ?? 1, 1)
            // A polynomial run records one epoch however many fits it makes.
            let recording = experiment.workUnit == .epochs ? tracking.secondsPerEpoch : 0
            // The configuration with the least time per unit needs the most units.
            let perUnit = (costs.map(\.secondsPerUnit).filter { $0 > 0 }.min() ?? 0) + recording
            let needed = perUnit > 0 ? Self.roundedUp(requiredSeconds / perUnit) : planned
            return DemoWorkChoice(
                slug: experiment.slug, title: experiment.title, unit: experiment.workUnit, work: max(needed, planned), plannedWork: planned,
                neededWork: needed, costs: costs, repeats: max(experiment.repeats, 1), stepSeconds: stepSeconds,
                wantedSteps: wantedSteps, budgetSeconds: budgetSeconds, recordingSecondsPerUnit: recording,
                trialOverheadSeconds: tracking.fixedSeconds)
        }
        let total = { (choices: [DemoWorkChoice]) in choices.reduce(0) { $0 + $1.predictedSeconds } }
        guard total(drafts) > budgetSeconds else { return drafts }
        // The largest fraction of the extra work that fits, by bisection: the total grows with it.
        let scaled = { (fraction: Double) in
            drafts.map { draft in
                var choice = draft
                let extra = Double(draft.work - draft.plannedWork) * fraction
                choice.work = draft.plannedWork + Int(extra.rounded(.down))
                choice.limitedByBudget = choice.work < draft.work
                return choice
            }
        }
        var low = 0.0
        var high = 1.0
        for _ in 0..<40 {
            let middle = (low + high) / 2
            if total(scaled(middle)) <= budgetSeconds { low = middle } else { high = middle }
        }
        return scaled(low)
    }

    /// `value` rounded up to two significant digits (163,043 → 170,000), at least 1, and no
    /// more than `Int.max / 4` so a zero-cost probe cannot overflow later sums.
    static func roundedUp(_ value: Double) -> Int {
        guard value.isFinite, value > 1 else { return 1 }
        let limit = Double(Int.max / 4)
        guard value < limit else { return Int.max / 4 }
        var scale = 1.0
        while value / scale >= 100 { scale *= 10 }
        // A relative 1e-9 below a round number is the floating point of a division, not work.
        return Int((value / scale * (1 - 1e-9)).rounded(.up) * scale)
    }
}

/// What one configuration's training cost in calibration: a fixed part (building the model,
/// splitting the data, the final evaluation) and a part per unit of work.
public struct DemoRunCost: Sendable, Equatable {
    /// The configuration's name (`poly d=1`).
    public var name: String
    /// Seconds a training takes whatever its work.
    public var fixedSeconds: Double
    /// Seconds each epoch, or each fit, adds.
    public var secondsPerUnit: Double

    /// Creates a cost.
    ///
    /// - Parameters:
    ///   - name: The configuration's name.
    ///   - fixedSeconds: The fixed part, seconds.
    ///   - secondsPerUnit: Seconds per epoch or fit.
    public init(name: String, fixedSeconds: Double, secondsPerUnit: Double) {
        self.name = name
        self.fixedSeconds = fixedSeconds
        self.secondsPerUnit = secondsPerUnit
    }

    /// Predicted wall seconds of a training of `work` units.
    public func seconds(work: Int) -> Double { fixedSeconds + secondsPerUnit * Double(work) }
}
