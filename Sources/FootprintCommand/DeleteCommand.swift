import ArgumentParser
import Foundation
import RunModel
import RunStore

/// `footprint delete RUN…`: remove runs and everything recorded with them.
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete runs and their epochs, samples and costs.")

    @Argument(help: "Run ids.")
    var runs: [Int64]

    @Flag(name: [.short, .long], help: "Do not ask for confirmation.")
    var yes = false

    @OptionGroup var store: StoreOptions

    func validate() throws {
        if runs.isEmpty { throw ValidationError("Name at least one run id (see footprint runs).") }
    }

    func run() throws {
        let database = try store.open()
        // A read-only file opens for reading; say so before asking anything.
        try (database as? RunDatabase)?.requireWritable()
        let found = try runs.map { try database.run(id: $0) }
        if !yes {
            guard standardInputIsTerminal else {
                printError("footprint: refusing to delete without confirmation: standard input is not a terminal. Add --yes.")
                throw ExitCode(1)
            }
            print(
                "Delete \(found.count) run(s): \(found.map { "\($0.id ?? 0) \(DisplayText.terminal($0.name, width: DisplayText.nameWidth))" }.joined(separator: ", "))? [y/N] ",
                terminator: "")
            guard let answer = readLine(), ["y", "yes"].contains(answer.lowercased()) else {
                print("Nothing deleted.")
                return
            }
        }
        let deleted = try database.deleteRuns(ids: runs)
        print("Deleted \(deleted) run(s) from \(database.locationDescription).")
    }
}
