import ArgumentParser

struct WrapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "wrap", abstract: "Not yet available.")
    func run() throws {
        printError("footprint wrap is not available in this build yet.")
        throw ExitCode(1)
    }
}
