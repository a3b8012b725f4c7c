import ArgumentParser

struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "estimate", abstract: "Not yet available.")
    func run() throws {
        printError("footprint estimate is not available in this build yet.")
        throw ExitCode(1)
    }
}
