import Foundation
import Learning
import RunStore
import Testing
@testable import FootprintDemo
import Footprint
import RunModel

/// `DemoRunner` on an injected plan: two configurations of the 3-class classifier, two trials
/// each, a few epochs, energy from the estimate so the test needs no counters.
@Suite struct DemoRunnerTests {
    static func makeTinyPlan() -> [DemoExperiment] {
        let widths = [2, 4]
        return [
            DemoExperiment(
                slug: "tiny", title: "Two tiny classifiers", question: "Does the runner run?", dataset: "seed-classification",
                runs: widths.map { width in
                    DemoRun(
                        name: "tiny H=\(width)",
                        configuration: TrainingConfiguration(
                            model: .mlp(hiddenLayers: 1, hiddenWidth: width), epochs: 3, batchSize: 5, learningRate: 0.02, seed: 7))
                },
                repeats: 2)
        ]
    }

    static func makeEstimatingTracker() throws -> Tracker {
        try DemoTestTracker.make(in: DemoTestTracker.temporaryDirectory())
    }

    @Test func recordsEveryTrialOfAnInjectedPlanTaggedByExperimentAndConfiguration() throws {
        let tracker = try Self.makeEstimatingTracker()
        let runner = DemoRunner(tracker: tracker, experiments: Self.makeTinyPlan(), threads: 2)
        #expect(runner.totalRuns == 4)
        let store = tracker.database.locationDescription
        #expect(runner.announcement(reportsDirectory: "out") == "footprint demo: 4 runs into \(store); reports in out/")

        var lines: [String] = []
        var trials: [DemoTrial] = []
        var finished: [RunDocument] = []
        let results = try runner.run { event in
            lines.append(event.line)
            switch event {
            case .trialStarted(let trial): trials.append(trial)
            case .trialFinished(let document): finished.append(document)
            }
        }

        let experiment = try #require(results.experiments.first)
        #expect(results.experiments.count == 1)
        #expect(experiment.experiment.slug == "tiny")
        #expect(experiment.configurations.map(\.name) == ["tiny H=2", "tiny H=4"])
        #expect(experiment.configurations.allSatisfy { $0.runIDs.count == 2 })
        let ids = experiment.configurations.flatMap(\.runIDs)
        #expect(Set(ids).count == 4)
        #expect(experiment.documents.map(\.id) == ids)
        #expect(results.documents.map(\.id) == ids)
        #expect(results.seconds > 0)

        // Each configuration's trials share one repeat group, and only they do.
        let groups = experiment.configurations.map(\.group)
        #expect(groups.allSatisfy { $0.hasPrefix("repeat:") } && Set(groups).count == 2)
        for (configuration, documents) in zip(experiment.configurations, [experiment.documents.prefix(2), experiment.documents.suffix(2)]) {
            for document in documents {
                #expect(document.name == configuration.name)
                #expect(Set(document.tags).isSuperset(of: ["demo", "demo:tiny", configuration.group]))
                #expect(document.status == "completed")
                #expect(document.dataset == "seed-classification")
                #expect(document.epochs == 3)
                #expect(document.hyperparameters?["threads"] == "2")
                #expect(document.energy?.provenance == .estimated)
            }
        }

        // Progress: a line before and after every trial, numbered over the whole plan.
        #expect(trials.map(\.number) == [1, 2, 3, 4])
        #expect(trials.map(\.trial) == [1, 2, 1, 2])
        #expect(trials.allSatisfy { $0.total == 4 && $0.repeats == 2 })
        #expect(finished.map(\.id) == ids)
        #expect(lines.count == 8)
        #expect(lines[0] == "[1/4] tiny H=2 (seed-classification), trial 1/2…")
        #expect(lines[6] == "[4/4] tiny H=4 (seed-classification), trial 2/2…")
        #expect(lines[1].hasPrefix("        ") && lines[1].contains("accuracy "))
    }

    @Test func aDatasetThatDoesNotLoadStopsTheRunBeforeAnyTrial() throws {
        let tracker = try Self.makeEstimatingTracker()
        var plan = Self.makeTinyPlan()
        plan[0].dataset = "no-such-dataset"
        var started = 0
        #expect(throws: LearningError.self) {
            try DemoRunner(tracker: tracker, experiments: plan).run { _ in started += 1 }
        }
        #expect(started == 0)
        #expect(try tracker.database.runs().isEmpty)
    }

    @Test func theLecturePlanRunsEachConfigurationThreeTimes() throws {
        let plan = DemoPlan.experiments(seed: 1)
        #expect(plan.map(\.slug) == ["polynomial-degree", "terrain-width", "classifier", "digits-width"])
        #expect(plan.allSatisfy { $0.repeats == 3 })
        #expect(DemoRunner(tracker: try Self.makeEstimatingTracker(), experiments: plan).totalRuns == 33)
        // The terrain widths take the dataset's catalog defaults for everything but H.
        let terrain = DatasetCatalog.defaults(for: "terrain")
        #expect(
            plan[1].runs.allSatisfy { $0.configuration.epochs == terrain.epochs && $0.configuration.learningRate == terrain.learningRate })
        // Before calibration, each experiment has its least work: one fit, the datasets' epochs;
        // every configuration of an experiment has the same.
        #expect(plan.map(\.workUnit) == [.fits, .epochs, .epochs, .epochs])
        #expect(plan[0].runs.allSatisfy { $0.configuration.epochs == 1 })
        #expect(plan[3].runs.allSatisfy { $0.configuration.epochs == DatasetCatalog.defaults(for: "digits").epochs })
    }

    @Test func aCalibratedPlanGivesEveryConfigurationOfAnExperimentItsChosenWork() throws {
        let plan = DemoPlan.experiments(seed: 1)
        let calibration = DemoCalibration(resolution: .estimate(ticksPerSecond: 100))
        let costs = plan.map { experiment in
            experiment.runs.enumerated().map { index, run in
                DemoRunCost(name: run.name, fixedSeconds: 0, secondsPerUnit: 1e-6 * Double(index + 1))
            }
        }
        let work = DemoWorkPlan(choices: calibration.choose(plan, costs: costs), calibration: calibration, calibrationSeconds: 1)
        let calibrated = work.apply(to: plan)
        // 0.3 s at 1 µs a unit: 300,000 fits, and as many epochs (above every plan's own).
        for experiment in calibrated {
            #expect(experiment.runs.allSatisfy { $0.configuration.epochs == 300_000 }, "\(experiment.slug)")
        }
        #expect(calibrated.map(\.slug) == plan.map(\.slug))
        #expect(DemoRunner(tracker: try Self.makeEstimatingTracker(), experiments: calibrated).totalRuns == 33)
    }
}
