import ArgumentParser
import Footprint
import Foundation
import Learning
import Energy
import Reporting
import RunStore

/// `footprint train`: train one of the lecture's models and record what it cost.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a polynomial or an MLP, recording its FLOPs, time, energy and CO2e.",
        discussion: """
            Defaults depend on the dataset, so `footprint train --dataset terrain --hidden 100` and `footprint train --dataset digits` just work. The run id is printed; `footprint show ID` and `footprint report ID` tell the rest.
            """)

    @Option(help: ArgumentHelp("Polynomial regression or a multilayer perceptron.", valueName: "kind"))
    var model: ModelChoice = .mlp

    @Option(help: "Polynomial degree d (with --model poly).")
    var degree: Int = 2

    @Option(help: "Number of hidden layers L (with --model mlp).")
    var layers: Int?

    @Option(help: "Width H of each hidden layer.")
    var hidden: Int?

    @Option(help: ArgumentHelp(DatasetCatalog.helpText, valueName: "name"))
    var dataset: String = "terrain"

    @Option(help: ArgumentHelp("Label column of a CSV file (default: the last column).", valueName: "name"))
    var label: String?

    @Option(help: ArgumentHelp("Task of a CSV file.", valueName: "task"))
    var task: TaskHint = .automatic

    @Option(help: "Passes over the training data (with --model poly: how many times the fit is repeated, so its energy can be resolved).")
    var epochs: Int?

    @Option(name: .customLong("batch-size"), help: "Samples per minibatch.")
    var batchSize: Int?

    @Option(name: .customLong("lr"), help: "Learning rate.")
    var learningRate: Double?

    @Option(help: ArgumentHelp("The optimizer (default: the dataset's, Adam for the built-in ones).", valueName: "name"))
    var optimizer: OptimizerChoice?

    @Option(help: "Momentum for SGD.")
    var momentum: Double = 0.9

    @Option(help: "Seed for initialisation, split and shuffles.")
    var seed: UInt64 = 42

    @Option(help: "A name for the run.")
    var name: String?

    @Option(name: .customLong("tag"), help: "A tag for the run (repeatable).")
    var tags: [String] = []

    @Flag(help: "Print one JSON object on stdout and nothing else there.")
    var json = false

    @OptionGroup var threads: ThreadOptions
    @OptionGroup var recording: RecordingOptions

    func validate() throws {
        // Flags that only make sense together, and the values alone as a usage error before any
        // data is read; the trainer checks the configuration against the data, once, in `run()`.
        if let hidden, hidden < 1 { throw ValidationError("--hidden must be at least 1, got \(hidden).") }
        if model == .poly && (layers != nil || hidden != nil) {
            throw ValidationError("--layers and --hidden apply to --model mlp, not poly.")
        }
        let configuration = makeConfiguration()
        try TrainingConfiguration.withFlagNames { try configuration.validate() }
        // Flags the configuration leaves out (momentum for Adam, a degree for an MLP) are refused
        // all the same rather than silently ignored.
        if case .adam = configuration.optimizer, !(momentum >= 0 && momentum < 1) {
            throw ValidationError("--momentum must be in [0, 1), got \(momentum).")
        }
        if model != .poly, degree < 0 { throw ValidationError("--degree must be 0 or more, got \(degree).") }
    }

    func run() throws {
        let data: Dataset
        do {
            data = try DatasetCatalog.load(dataset, labelColumn: label, task: task)
        } catch let error as LearningError {
            if case .unknownDataset = error {
                let hint = DatasetCatalog.suggestion(for: dataset).map { " Did you mean '\($0)'?" } ?? ""
                throw ValidationError("\(error)\(hint)")
            }
            printError("footprint: \(error)")
            throw ExitCode(65)
        }
        // What the data allows (a polynomial's degree against its distinct x values), checked
        // once as the trainer is made; the tracker trains this trainer without checking again.
        let configuration = makeConfiguration()
        let trainer = try TrainingConfiguration.withFlagNames { try Trainer(configuration: configuration, dataset: data) }
        let publisher = try recording.metrics.startPublisher()
        defer { publisher?.close() }
        let tracker = try recording.makeTracker(live: publisher)
        StopSignal.install()
        let json = self.json
        let progress = ProgressLine(enabled: standardErrorIsTerminal)
        let output = recording.output
        let trials = output.repeatCount
        do {
            if trials == 1 {
                let outcome = try trainOnce(trainer, tracker: tracker, tags: tags, announce: !json, progress: progress)
                let (document, text) = try output.finishedRun(outcome.record, in: tracker.database)
                if json {
                    print(text)
                } else {
                    print(RunText.results(document))
                    let store = tracker.database.locationDescription
                    let number = tracker.database.storedRunNumber(outcome.runID)
                    print("Recorded as run \(number) in \(store). Next: footprint report \(number)")
                }
                return
            }
            let repeated = try tracker.repeated(trials) { trial, groupTags in
                if !json || standardErrorIsTerminal { printError("Trial \(trial)/\(trials)") }
                return try trainOnce(trainer, tracker: tracker, tags: tags + groupTags, announce: !json && trial == 1, progress: progress)
                    .runID
            }
            let text = try repeated.jsonText()
            try output.writeJSON(
                text, databasePath: tracker.database.locationDescription,
                runNumbers: repeated.runs.map { tracker.database.storedRunNumber($0.id) })
            if json {
                print(text)
            } else {
                print(RunText.summary(repeated))
                print(
                    "Recorded as runs \(repeated.runs.map { "\(tracker.database.storedRunNumber($0.id))" }.joined(separator: ", ")) in \(tracker.database.locationDescription). Next: footprint compare --tag \(repeated.group)"
                )
            }
        } catch let error as TrackedRunError {
            progress.finish()
            printError("footprint: \(error)")
            if error.status == .interrupted {
                throw ExitCode(StopSignal.exitStatus(for: StopSignal.receivedSignal ?? SIGINT))
            }
            throw ExitCode(1)
        } catch let error as EnergyError {
            progress.finish()
            printError("footprint: \(error)")
            throw ExitCode(1)
        }
    }

    private func trainOnce(_ trainer: Trainer, tracker: Tracker, tags: [String], announce: Bool, progress: ProgressLine) throws
        -> TrackedTraining
    {
        let data = trainer.dataset
        let outcome = try tracker.train(
            trainer, name: name, tags: tags,
            willStart: { runID, summary in
                guard announce else { return }
                print("Run \(runID): \(summary.name) on \(data.name) (\(data.sampleCount) samples, \(data.task.name))")
                print(ModelSummaryText.render(summary))
            },
            progress: { progress.update($0) })
        progress.finish()
        return outcome
    }

    /// The configuration the flags describe, with the dataset's defaults for what they leave out.
    func makeConfiguration() -> TrainingConfiguration {
        let choices = TrainingDefaults.Choices(
            model: model == .poly ? .polynomial(degree: degree) : .mlp(hiddenLayers: layers, hiddenWidth: hidden), epochs: epochs,
            batchSize: batchSize, learningRate: learningRate, optimizer: optimizer?.kind(momentum: momentum), momentum: momentum,
            seed: seed, threads: threads.count)
        return DatasetCatalog.defaults(for: dataset).configuration(choices)
    }
}
