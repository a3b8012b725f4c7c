import ArgumentParser
import Footprint
import FootprintDemo
import Foundation
import Learning
import Reporting
import Vocabulary

/// `footprint demo`: the lecture's experiments end to end, with their cost measured.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the lecture's experiments, record every run and write comparison reports to Reports/.",
        discussion: """
            Each configuration is trained three times, so every figure has a median and a 95% interval. Polynomial degrees 1–4 on the lecture's 5 points; MLPs with H = 10, 100, 1000 on the terrain profile; the 3-class classifier; three MLP widths on the handwritten digits. A few seconds of calibration first time every configuration on this machine and choose each experiment's work (epochs, or repeats of the polynomial fit; the same for all its configurations) so that its cheapest configuration runs for at least 30 resolution steps of the meter in use, within --budget seconds of training. Each run is recorded in the database; then Reports/index.md links one comparison per experiment and a report per run, and states the work chosen and why. Build in release first (swift run -c release footprint demo): debug builds are far too slow.
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("Directory for the reports.", valueName: "dir"))
    var output: String = "Reports"

    @Option(help: "Seed for every run.")
    var seed: UInt64 = 42

    @Option(help: ArgumentHelp("Seconds of training the calibrated work may take, all runs together.", valueName: "seconds"))
    var budget: Double = DemoCalibration.defaultBudgetSeconds

    func validate() throws {
        guard budget.isFinite, budget > 0 else { throw ValidationError("--budget must be a positive number of seconds, not \(budget).") }
    }

    @OptionGroup var threads: ThreadOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var carbon: CarbonOptions
    @OptionGroup var meters: MeterFlags

    func run() throws {
        let tracker = try RecordingOptions.makeTracker(store: store, carbon: carbon, meters: meters)
        StopSignal.install()
        let start = Clocks.monotonicSeconds()
        let plan = DemoPlan.experiments(seed: seed)
        printError("footprint demo: calibrating the work of each experiment on this machine…")
        let work: DemoWorkPlan
        do {
            work = try DemoCalibration.measure(
                plan, options: tracker.options, threads: threads.count, budgetSeconds: budget,
                shouldStop: { StopSignal.isRequested })
        } catch let error as LearningError where error.isInterruption {
            printError(DemoRunner.stoppedAdvice)
            throw ExitCode(StopSignal.exitStatus(for: StopSignal.receivedSignal ?? SIGINT))
        }
        for choice in work.choices { printError("  \(choice.slug): \(choice.unit.count(choice.work))") }
        let runner = DemoRunner(tracker: tracker, experiments: work.apply(to: plan), threads: threads.count)
        printError(runner.announcement(reportsDirectory: output))
        let results: DemoResults
        do {
            results = try runner.run { printError($0.line) }
        } catch let error as TrackedRunError {
            printError("footprint: \(error)")
            if error.status == .interrupted {
                printError(DemoRunner.stoppedAdvice)
                throw ExitCode(StopSignal.exitStatus(for: StopSignal.receivedSignal ?? SIGINT))
            }
            throw ExitCode(1)
        }
        let experiments = results.experiments.map {
            DemoReports.Experiment(
                slug: $0.experiment.slug, title: $0.experiment.title, configurationRunIDs: $0.configurations.map(\.runIDs),
                documents: $0.documents)
        }
        let written = try DemoReports(directory: output).write(
            experiments, seconds: results.seconds, work: work.markdown, from: tracker.database)
        print(written.summary(seconds: Clocks.monotonicSeconds() - start))
    }
}
