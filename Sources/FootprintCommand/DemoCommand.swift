import ArgumentParser
import Footprint
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
            Each configuration is trained three times, so every figure has a median and a 95% interval. Polynomial degrees 1–4 on the lecture's 5 points (each run repeats the fit 100,000 times so its energy can be resolved); MLPs with H = 10, 100, 1000 on the terrain profile; the 3-class classifier; three MLP widths on the handwritten digits. Each run is recorded in the database; then Reports/index.md links one comparison per experiment and a report per run. Build in release first (swift run -c release footprint demo): debug builds are far too slow.
            """)

    @Option(name: [.short, .long], help: ArgumentHelp("Directory for the reports.", valueName: "dir"))
    var output: String = "Reports"

    @Option(help: "Seed for every run.")
    var seed: UInt64 = 42

    @OptionGroup var threads: ThreadOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var carbon: CarbonOptions
    @OptionGroup var meters: MeterFlags

    func run() throws {
        let tracker = try makeTracker(store: store, carbon: carbon, meters: meters)
        StopSignal.install()
        let start = Clocks.monotonicSeconds()
        let runner = DemoRunner(tracker: tracker, experiments: DemoPlan.experiments(seed: seed), threads: threads.count)
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
        let written = try DemoReports(directory: output).write(experiments, seconds: results.seconds, from: tracker.database)
        print(written.summary(seconds: Clocks.monotonicSeconds() - start))
    }
}
