import ArgumentParser

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compare", abstract: "Not yet available.")
    func run() throws {
        printError("footprint compare is not available in this build yet.")
        throw ExitCode(1)
    }
}
