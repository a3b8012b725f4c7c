import ArgumentParser
import Footprint
import Foundation
import Reporting
import Energy
import RunModel

/// `footprint wrap -- CMD ARGS…`: measure any program, in any language or framework.
struct WrapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wrap",
        abstract: "Run a command and record its time, energy and CO2e as a run.",
        discussion: """
            The command inherits stdin, stdout and stderr, so --json's object follows whatever it prints on stdout: use --json-output FILE to get the object alone. footprint exits with its status (128 + the signal when it died of one; 127 when it could not start). To get per-epoch energy, the program writes JSON lines to the FIFO named by $FOOTPRINT_EVENTS, for example {"event": "epoch", "index": 3, "loss": 0.21, "accuracy": 0.93} (the README shows the three lines of Python that do it).
            """)

    @Option(help: "A name for the run (default: the command line).")
    var name: String?

    @Option(name: .customLong("tag"), help: "A tag for the run (repeatable).")
    var tags: [String] = []

    @Flag(help: "Print the run as one JSON object on stdout when the command ends.")
    var json = false

    @OptionGroup var recording: RecordingOptions

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command to run, after --.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        if command.isEmpty {
            throw ValidationError("Give the command to measure after --, for example: footprint wrap -- python3 train.py")
        }
    }

    func run() throws {
        let publisher = try recording.metrics.startPublisher()
        defer { publisher?.close() }
        let tracker = try recording.makeTracker(live: publisher)
        let output = recording.output
        let trials = output.repeatCount
        do {
            if trials == 1 {
                let outcome = try wrapOnce(tracker: tracker, tags: tags)
                if outcome.finishFailure != nil {
                    // Reported by wrapOnce; the command's own exit status is kept.
                    if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
                    return
                }
                if json || output.jsonOutput != nil {
                    let (document, text) = try output.finishedRun(outcome.record, in: tracker.database)
                    if json { print(text) } else { printError(RunText.results(document)) }
                } else {
                    // The results need no epoch history: reading it would hold every epoch
                    // of a long run in memory at the end.
                    printError(RunText.results(try RunDocument.load(finished: outcome.record, from: tracker.database, history: false)))
                }
                if !json {
                    let number = tracker.database.storedRunNumber(outcome.runID)
                    printError("Recorded as run \(number) in \(tracker.database.locationDescription).")
                }
                if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
                return
            }
            let repeated = try tracker.repeated(trials) { trial, groupTags in
                printError("footprint: trial \(trial)/\(trials)")
                let outcome = try wrapOnce(tracker: tracker, tags: tags + groupTags)
                if outcome.finishFailure != nil { throw ExitCode(1) }
                if outcome.exitStatus != 0 { throw WrappedTrialFailed(runID: outcome.runID, exitStatus: outcome.exitStatus, trial: trial) }
                return outcome.runID
            }
            let text = try repeated.jsonText()
            try output.writeJSON(
                text, databasePath: tracker.database.locationDescription,
                runNumbers: repeated.runs.map { tracker.database.storedRunNumber($0.id) })
            if json {
                print(text)
            } else {
                printError(RunText.summary(repeated))
                let ids = repeated.runs.map { "\(tracker.database.storedRunNumber($0.id))" }.joined(separator: ", ")
                printError("Recorded as runs \(ids) in \(tracker.database.locationDescription).")
            }
        } catch let stop as WrappedTrialFailed {
            printError(
                "footprint: trial \(stop.trial) of \(trials) exited with status \(stop.exitStatus) (run \(stop.runID) recorded as failed); the remaining trials were not run."
            )
            throw ExitCode(stop.exitStatus)
        } catch let error as EnergyError {
            printError("footprint: \(error)")
            throw ExitCode(1)
        }
    }

    private func wrapOnce(tracker: Tracker, tags: [String]) throws -> WrappedCommand {
        let outcome = try tracker.wrap(
            command: command, name: name, tags: tags,
            warn: {
                // Warnings quote what the program sent: shown escaped, never sent to the terminal raw.
                printError("footprint: \(DisplayText.terminal($0, width: DisplayText.lineWidth))")
            })
        if outcome.exitStatus == 127 && outcome.record.errorText != nil {
            printError(
                "footprint: \(DisplayText.terminal(outcome.record.errorText ?? "", width: DisplayText.lineWidth)) (run \(outcome.runID) recorded as failed)"
            )
        }
        if let failure = outcome.finishFailure {
            let number = tracker.database.storedRunNumber(outcome.runID)
            printError(
                "footprint: the end of run \(number) could not be stored in \(tracker.database.locationDescription): \(failure) The run keeps what was stored before and will be listed as crashed; the command exited with status \(outcome.exitStatus)."
            )
        } else {
            // Each run (each trial of --repeat) goes to the MLflow run its own program named.
            Self.logToMLflow(
                runID: outcome.runID, record: outcome.record, mlflowRunID: outcome.mlflowRunID,
                mlflowTrackingURI: outcome.mlflowTrackingURI,
                database: tracker.database)
        }
        return outcome
    }
}

/// A trial of `wrap --repeat` whose program failed: the repeats stop there.
private struct WrappedTrialFailed: Error {
    var runID: Int64
    var exitStatus: Int32
    var trial: Int
}
