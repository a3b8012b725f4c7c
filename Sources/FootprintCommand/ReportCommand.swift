import ArgumentParser

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Not yet available.")
    func run() throws {
        printError("footprint report is not available in this build yet.")
        throw ExitCode(1)
    }
}
