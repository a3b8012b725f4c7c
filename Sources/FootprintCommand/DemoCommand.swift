import ArgumentParser

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo", abstract: "Not yet available.")
    func run() throws {
        printError("footprint demo is not available in this build yet.")
        throw ExitCode(1)
    }
}
