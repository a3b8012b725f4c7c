import Energy
import Learning
import Testing
import Vocabulary

@testable import FootprintDemo
import Footprint

/// `DemoCalibration` with fake costs: the work it chooses resolves each experiment's cheapest
/// configuration with the wanted margin, is the same for every configuration, stays within the
/// budget, and says so when a machine is too slow for the margin.
@Suite struct DemoCalibrationTests {
    /// The estimate's resolution: no energy step, 10 ms ticks, so 30 steps are 0.3 s.
    static let estimate = EnergyResolution.estimate(ticksPerSecond: 100)

    static func experiment(_ slug: String, model: (Int) -> ModelSpec, sizes: [Int], epochs: Int) -> DemoExperiment {
        DemoExperiment(
            slug: slug, title: "Experiment \(slug)", question: "?", dataset: "seed-regression",
            runs: sizes.map { size in
                DemoRun(name: "\(slug) \(size)", configuration: TrainingConfiguration(model: model(size), epochs: epochs))
            })
    }

    static let polynomials = experiment("poly", model: { .polynomial(degree: $0) }, sizes: [1, 2, 3, 4], epochs: 1)
    static let widths = experiment("mlp", model: { .mlp(hiddenLayers: 1, hiddenWidth: $0) }, sizes: [10, 100, 1000], epochs: 200)

    /// Seconds a training takes on a fake machine: 50 µs fixed, then `perUnit(size)` a unit.
    static func fakeCost(_ perUnit: @escaping (String) -> Double) -> (DemoExperiment, DemoRun, Int) -> Double {
        { _, run, work in 50e-6 + perUnit(run.name) * Double(work) }
    }

    @Test func measuringSplitsAProbeIntoItsFixedPartAndItsPartPerUnit() throws {
        let calibration = DemoCalibration(resolution: Self.estimate)
        var works: [Int] = []
        let cost = try calibration.measure("fake") { work in
            works.append(work)
            return 0.001 + 0.002 * Double(work)
        }
        #expect(abs(cost.secondsPerUnit - 0.002) < 1e-9)
        #expect(abs(cost.fixedSeconds - 0.001) < 1e-9)
        // Doubled until a probe took 20 ms (16 units: 33 ms), then that work and twice it.
        #expect(works == [1, 2, 4, 8, 16, 16, 32, 32])
    }

    @Test func theCheapestConfigurationGetsThirtyStepsAndEveryConfigurationTheSameWork() throws {
        let calibration = DemoCalibration(resolution: Self.estimate)
        // A fast machine: degree d costs d µs a fit; d = 1 needs 0.3 s / 1 µs = 300,000 fits.
        let cost = Self.fakeCost { name in Double(name.split(separator: " ")[1])! * 1e-6 }
        let choices = try calibration.calibrate([Self.polynomials], cost: cost)
        let choice = try #require(choices.first)
        #expect(choice.unit == .fits)
        #expect(choice.work >= 300_000 && choice.work <= 310_000)
        #expect(choice.predictedSteps >= DemoCalibration.resolutionSteps)
        #expect(choice.cheapest?.name == "poly 1")
        #expect(!choice.limitedByBudget)
        let plan = DemoWorkPlan(choices: choices, calibration: calibration, calibrationSeconds: 1.5)
        let applied = plan.apply(to: [Self.polynomials])
        #expect(applied[0].runs.allSatisfy { $0.configuration.epochs == choice.work })
        #expect(choice.explanation.hasPrefix("`poly 1`, the cheapest, took 1 µs a fit in calibration; 30 resolution steps need ≥ 300 ms"))
        #expect(choice.explanation.contains("so every configuration was fitted 300,000 times"))
        // Each configuration's run, at the chosen work, is at least 30 ticks of 10 ms.
        for run in applied[0].runs {
            #expect(cost(applied[0], run, run.configuration.epochs) >= 30 * Self.estimate.periodSeconds)
        }
    }

    @Test func aSlowerMachineGetsLessWorkForTheSameSteps() throws {
        let calibration = DemoCalibration(resolution: Self.estimate)
        let fast = calibration.choose([Self.polynomials], costs: [[DemoRunCost(name: "d1", fixedSeconds: 0, secondsPerUnit: 1e-6)]])
        let slow = calibration.choose([Self.polynomials], costs: [[DemoRunCost(name: "d1", fixedSeconds: 0, secondsPerUnit: 4e-6)]])
        #expect(fast[0].work == 300_000 && slow[0].work == 75_000)
    }

    @Test func thePlansOwnEpochsAreTheLeastWorkAConfigurationGets() throws {
        let calibration = DemoCalibration(resolution: Self.estimate)
        // H = 10 takes 2 ms an epoch: 150 epochs would do, the plan has 200.
        let choices = calibration.choose(
            [Self.widths],
            costs: [[10, 100, 1000].map { DemoRunCost(name: "mlp \($0)", fixedSeconds: 0.001, secondsPerUnit: 0.002 * Double($0) / 10) }])
        #expect(choices[0].work == 200 && choices[0].neededWork == 150 && choices[0].plannedWork == 200)
        #expect(choices[0].unit == .epochs)
        #expect(
            choices[0].explanation.contains("(150 epochs), no more than the plan's 200 epochs, so every configuration trained 200 epochs"))
    }

    @Test func recordingEachEpochCountsTowardsAnMLPsTimeButNotAPolynomialsFits() {
        let tracking = DemoTrackingCost(fixedSeconds: 0.05, secondsPerEpoch: 0.001)
        let calibration = DemoCalibration(resolution: Self.estimate, tracking: tracking)
        // 1 ms of training and 1 ms of recording an epoch: 150 epochs reach 0.3 s, not 300.
        let mlp = calibration.choose([Self.widths], costs: [[DemoRunCost(name: "mlp 10", fixedSeconds: 0, secondsPerUnit: 0.001)]])[0]
        #expect(mlp.neededWork == 150 && mlp.work == 200)
        #expect(abs(mlp.predictedSeconds - 3 * (0.4 + 0.05)) < 1e-9)
        #expect(mlp.explanation.contains("took 1.00 ms an epoch in calibration (2.00 ms with its recording)"))
        let fits = calibration.choose([Self.polynomials], costs: [[DemoRunCost(name: "poly 1", fixedSeconds: 0, secondsPerUnit: 0.001)]])[0]
        #expect(fits.neededWork == 300 && fits.recordingSecondsPerUnit == 0)
    }

    @Test func anEnergyStepNeedsTheTimeItTakesToCountAtTheMeasuredPower() {
        // NVML-like: 1 mJ steps every 100 ms; a 0.5 J step counts in 0.05 s at 10 W, 0.5 s at the 1 W floor.
        let coarse = EnergyResolution(stepJoules: 0.5, periodSeconds: 0.1, source: "coarse")
        #expect(DemoCalibration(resolution: coarse, watts: 10).stepSeconds == 0.1)
        #expect(DemoCalibration(resolution: coarse, watts: 0.2).stepSeconds == 0.5)
        #expect(DemoCalibration(resolution: coarse).requiredSeconds == 15)
        #expect(DemoCalibration(resolution: .rapl, watts: 20).requiredSeconds == 0.03)
    }

    @Test func theWholeDemoStaysWithinItsBudget() {
        // A coarse meter (1 s a step) on a machine where H = 10 costs 1 ms an epoch: 30 steps need
        // 30,000 epochs, and all three widths three times over would take far more than 60 s.
        let coarse = EnergyResolution(stepJoules: 0, periodSeconds: 1, source: "a 1 s counter")
        let calibration = DemoCalibration(resolution: coarse, budgetSeconds: 60)
        let costs = [1, 2, 4].map { DemoRunCost(name: "mlp \($0)", fixedSeconds: 0.01, secondsPerUnit: 0.001 * Double($0)) }
        let choices = calibration.choose([Self.widths], costs: [costs])
        let choice = choices[0]
        #expect(choice.neededWork == 30_000)
        #expect(choice.limitedByBudget)
        #expect(choice.work >= choice.plannedWork && choice.work < choice.neededWork)
        #expect(choice.predictedSeconds <= 60)
        #expect(choice.predictedSeconds > 55)
        // Honest about it: the margin is not reached, and the text says so.
        #expect(choice.predictedSteps < DemoCalibration.resolutionSteps)
        #expect(choice.explanation.contains("but the 1 min 00 s budget allowed"))
        #expect(
            choice.explanation.contains("short of the 30 wanted") || choice.explanation.contains("expect it reported below resolution"))
        let plan = DemoWorkPlan(choices: choices, calibration: calibration, calibrationSeconds: 2)
        #expect(plan.markdown.contains("- Experiment mlp: `mlp 1`, the cheapest"))
        #expect(plan.markdown.contains("within the 1 min 00 s budget"))
    }

    @Test func aMachineTooSlowForThePlansOwnWorkSaysItIsOverBudget() {
        let calibration = DemoCalibration(resolution: Self.estimate, budgetSeconds: 1)
        let costs = [10, 100, 1000].map { DemoRunCost(name: "mlp \($0)", fixedSeconds: 0, secondsPerUnit: 0.05) }
        let choices = calibration.choose([Self.widths], costs: [costs])
        #expect(choices[0].work == 200)
        let plan = DemoWorkPlan(choices: choices, calibration: calibration, calibrationSeconds: 2)
        #expect(plan.predictedSeconds > 1)
        #expect(plan.markdown.contains("over the 1.00 s budget even with the plan's own work"))
    }

    @Test func aBelowResolutionPredictionIsNamedAsSuch() {
        let coarse = EnergyResolution(stepJoules: 0, periodSeconds: 1, source: "a 1 s counter")
        let calibration = DemoCalibration(resolution: coarse, budgetSeconds: 10)
        let costs = [DemoRunCost(name: "poly 1", fixedSeconds: 0, secondsPerUnit: 0.001)]
        let choice = calibration.choose([Self.polynomials], costs: [costs])[0]
        // 10 s over 3 trials: about 3.2 s of work, 3 steps of the wanted 30.
        #expect(choice.limitedByBudget && choice.predictedSteps < 10)
        #expect(choice.explanation.hasSuffix("fewer than the 10 a figure needs to count: expect it reported below resolution."))
    }

    @Test func workIsRoundedUpToTwoSignificantDigits() {
        #expect(DemoCalibration.roundedUp(163_043) == 170_000)
        #expect(DemoCalibration.roundedUp(150) == 150)
        #expect(DemoCalibration.roundedUp(101) == 110)
        #expect(DemoCalibration.roundedUp(0.2) == 1)
        #expect(DemoCalibration.roundedUp(.infinity) == 1)
        #expect(DemoCalibration.roundedUp(1e300) == Int.max / 4)
    }

    @Test func calibratingOnThisMachineReadsTheMeterInUseAndChoosesWorkForEveryExperiment() throws {
        let tracker = try DemoRunnerTests.makeEstimatingTracker()
        let plan = [Self.polynomials]
        let work = try DemoCalibration.measure(plan, options: tracker.options, budgetSeconds: 20)
        #expect(work.calibration.resolution.source.hasPrefix("estimate"))
        #expect(work.choices.map(\.slug) == ["poly"])
        #expect(work.choices[0].costs.count == 4 && work.choices[0].costs.allSatisfy { $0.secondsPerUnit > 0 })
        #expect(work.choices[0].work > 1)
        #expect(work.calibrationSeconds > 0)
        // Tracking was timed into a scratch store, which is gone; the real store has no runs.
        // A fixed cost fitted from two timings: noise on a loaded machine can take it to 0, never below.
        #expect(work.calibration.tracking.fixedSeconds >= 0 && work.calibration.tracking.fixedSeconds.isFinite)
        #expect(work.calibration.tracking.secondsPerEpoch >= 0)
        #expect(try tracker.database.runs().isEmpty)
    }

    @Test func aStopDuringCalibrationStopsIt() throws {
        let tracker = try DemoRunnerTests.makeEstimatingTracker()
        let error = #expect(throws: LearningError.self) {
            try DemoCalibration.measure([Self.widths], options: tracker.options, shouldStop: { true })
        }
        #expect(error?.isInterruption == true)
    }
}
