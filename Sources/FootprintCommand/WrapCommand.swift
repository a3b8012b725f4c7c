import ArgumentParser
import Footprint
import Foundation
import Reporting

/// `footprint wrap -- CMD ARGS…`: measure any program, in any language or framework.
struct WrapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wrap",
        abstract: "Run a command and record its time, energy and CO2e as a run.",
        discussion: """
            The command inherits stdin, stdout and stderr; footprint exits with its status (128 + the signal when it died of one; 127 when it could not start). To get per-epoch energy, the program writes JSON lines to the FIFO named by $FOOTPRINT_EVENTS, for example {"event": "epoch", "index": 3, "loss": 0.21, "accuracy": 0.93} (the README shows the three lines of Python that do it).
            """)

    @Option(help: "A name for the run (default: the command line).")
    var name: String?

    @Option(name: .customLong("tag"), help: "A tag for the run (repeatable).")
    var tags: [String] = []

    @Flag(help: "Print the run as one JSON object on stdout when the command ends.")
    var json = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var carbon: CarbonOptions
    @OptionGroup var meters: MeterFlags

    @Argument(parsing: .postTerminator, help: ArgumentHelp("The command to run, after --.", valueName: "command"))
    var command: [String] = []

    func validate() throws {
        if command.isEmpty { throw ValidationError("Give the command to measure after --, for example: footprint wrap -- python3 train.py") }
    }

    func run() throws {
        let tracker = try makeTracker(store: store, carbon: carbon, meters: meters)
        let outcome = try tracker.wrap(command: command, name: name, tags: tags, warn: { printError("footprint: \($0)") })
        if outcome.exitStatus == 127 && outcome.record.errorText != nil {
            printError("footprint: \(outcome.record.errorText ?? "") (run \(outcome.runID) recorded as failed)")
        }
        let document = try RunDocument.load(id: outcome.runID, from: tracker.database)
        if json {
            print(try document.jsonText())
        } else {
            printError(RunText.results(document))
            printError("Recorded as run \(outcome.runID) in \(tracker.database.path).")
        }
        if outcome.exitStatus != 0 { throw ExitCode(outcome.exitStatus) }
    }
}
