import ArgumentParser

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Not yet available.")
    func run() throws {
        printError("footprint export is not available in this build yet.")
        throw ExitCode(1)
    }
}
